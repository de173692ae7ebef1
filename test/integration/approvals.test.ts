import type { KubeObject } from '../fakes/kube-api';
import type { SlackMessage } from '../fakes/slack-api/types';
import { eventually, startBotHarness } from '../helpers/bot-harness';

const REQUESTER = 'U0SRE';
const APPROVER = 'U0LEAD0001';
const OTHER_APPROVER = 'U0LEAD0002';
const GROUP_MEMBER = 'U0ONCALL01';
const STRANGER = 'U0VISITOR';
const DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/cart';
const ANNOTATION = 'proxy.istio.io/config';

let harness: Awaited<ReturnType<typeof startBotHarness>>;
let original: KubeObject;

beforeAll(async () => {
  harness = await startBotHarness(undefined, undefined, {
    approvals: { users: [APPROVER, OTHER_APPROVER], userGroups: ['S0ONCALL01'] },
  });
  harness.slack.setUsergroup('S0ONCALL01', [GROUP_MEMBER]);
  original = harness.kube.get('Deployment', 'shop', 'cart') as KubeObject;
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(() => {
  harness.kube.faults.clear();
});

/** Resets shop/cart to the captured object, optionally with other pod-template annotations. */
function resetCart(annotations?: Record<string, string> | null): void {
  const cart = structuredClone(original) as KubeObject & { spec: { template: { metadata: Record<string, unknown> } } };
  delete (cart.metadata as Record<string, unknown>).resourceVersion;
  if (annotations === null) delete cart.spec.template.metadata.annotations;
  else if (annotations) cart.spec.template.metadata.annotations = annotations;
  harness.kube.put(cart);
}

function cartAnnotation(): string | undefined {
  const cart = harness.kube.get('Deployment', 'shop', 'cart') as {
    spec: { template: { metadata: { annotations?: Record<string, string> } } };
  };
  return cart.spec.template.metadata.annotations?.[ANNOTATION];
}

const realPatches = () =>
  harness.kube.requests.filter((r) => r.method === 'PATCH' && r.path === DEPLOYMENT && r.query.dryRun !== 'All');
const dryRuns = () =>
  harness.kube.requests.filter((r) => r.method === 'PATCH' && r.path === DEPLOYMENT && r.query.dryRun === 'All');

const buttonsOf = (m: SlackMessage | undefined) =>
  ((m?.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

/** Runs a diagnosis of shop/cart and returns the proposal message of the cart patch. */
async function propose(
  requester = REQUESTER,
): Promise<{ id: string; ts: string; message: () => SlackMessage | undefined }> {
  const trigger = `t-${Math.random()}`;
  await harness.slash('diagnose shop/cart', { user: requester, trigger });
  const proposal = await eventually('a proposal message', () =>
    harness.slack
      .messages('C0INCIDENT')
      .filter((m) => m.thread_ts && m.thread_ts !== m.ts)
      .reverse()
      .find((m) => buttonsOf(m).some((b) => b.action_id === 'approve_patch') && !seen.has(m.ts)),
  );
  seen.add(proposal.ts);
  const id = String(buttonsOf(proposal).find((b) => b.action_id === 'approve_patch')?.value);
  return { id, ts: proposal.ts, message: () => harness.slack.messages('C0INCIDENT').find((m) => m.ts === proposal.ts) };
}
const seen = new Set<string>();

const stateText = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const answers = (needle: string) => harness.responses.received.filter((r) => String(r.text).includes(needle));

async function auditActions(id: string): Promise<string[]> {
  return (await harness.audit.latest(100)).filter((e) => e.proposal === id).map((e) => e.action);
}

/** Approves a proposal, completes the rollout, and waits until the Roll back button is offered. */
async function approveAndRollOut(id: string, message: () => SlackMessage | undefined): Promise<void> {
  await harness.click('approve_patch', id, APPROVER);
  await completeRollout();
  await eventually(
    'the rollback button',
    () => buttonsOf(message()).some((b) => b.action_id === 'rollback_patch') || undefined,
  );
}

/** Plays the Deployment controller: once the pod template changed, reports the rollout complete. */
async function completeRollout(): Promise<void> {
  const cart = await eventually('the patched generation', () => {
    const c = harness.kube.get('Deployment', 'shop', 'cart') as KubeObject & { metadata: { generation?: number } };
    return (c.metadata.generation ?? 0) > ((original.metadata as { generation?: number }).generation ?? 0)
      ? c
      : undefined;
  });
  const replicas = (cart as { spec: { replicas?: number } }).spec.replicas ?? 1;
  harness.kube.put({
    ...cart,
    status: {
      observedGeneration: (cart.metadata as { generation: number }).generation,
      replicas,
      updatedReplicas: replicas,
      availableReplicas: replicas,
      readyReplicas: replicas,
    },
  } as KubeObject);
}

describe('patch approvals with real Redis, the fake Slack API and the fake Kubernetes API', () => {
  it('happy path: an approver approves, the patch is dry-run then applied once, the message says so, and the re-diagnosis is posted', async () => {
    resetCart();
    const { id, message } = await propose();
    expect(stateText(message())).toContain('Waiting for an approver');

    await harness.click('approve_patch', id, APPROVER);
    await completeRollout();

    await eventually(
      'the applied state',
      () => stateText(message()).includes('Applied. Approved by <@U0LEAD0001>') || undefined,
    );
    expect(dryRuns()).toHaveLength(1);
    expect(realPatches()).toHaveLength(1);
    expect(realPatches()[0]?.contentType).toContain('application/merge-patch+json');
    expect(JSON.parse(cartAnnotation() ?? '{}')).toEqual({
      terminationDrainDuration: '20s',
      holdApplicationUntilProxyStarts: true,
    });
    expect(buttonsOf(message()).map((b) => b.action_id)).toEqual(['rollback_patch']);
    const proposalTs = message()?.thread_ts as string;
    const verdict = await eventually('the re-diagnosis', () =>
      harness.slack.threadOf(proposalTs).find((m) => /\*(Fixed|Still failing)\*/.test(String(m.text))),
    );
    expect(String(verdict.text)).toContain('proxy-startup-econnrefused');
    await eventually('the audit trail', async () => {
      const actions = await auditActions(id);
      return actions.includes('verified') ? actions : undefined;
    });
    expect((await auditActions(id)).reverse()).toEqual(['proposed', 'approved', 'dry-run', 'applied', 'verified']);
  });

  it('refuses a clicker who is not an approver, with an ephemeral reason and an audit record; nothing is patched', async () => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;

    await harness.click('approve_patch', id, STRANGER);

    await eventually('the refusal', () => answers('You are not an approver').length > 0 || undefined);
    expect(answers('You are not an approver').at(-1)?.response_type).toBe('ephemeral');
    expect(await auditActions(id)).toContain('refused');
    expect(realPatches()).toHaveLength(before);
    expect(stateText(message())).toContain('Waiting for an approver');
  });

  it('accepts a member of an approver user group', async () => {
    resetCart();
    const { id, message } = await propose();

    await harness.click('reject_patch', id, GROUP_MEMBER);

    await eventually(
      'the rejected state',
      () => stateText(message()).includes('Rejected by <@U0ONCALL01>') || undefined,
    );
    expect(harness.slack.calls('usergroups.users.list').length).toBeGreaterThan(0);
  });

  it('refuses the requester approving their own proposal', async () => {
    resetCart();
    const { id } = await propose(APPROVER);
    const before = realPatches().length;

    await harness.click('approve_patch', id, APPROVER);

    await eventually('the refusal', () => answers('another approver must approve').length > 0 || undefined);
    expect(realPatches()).toHaveLength(before);
    expect(await auditActions(id)).toContain('refused');
  });

  it('two concurrent approvals lead to exactly one PATCH', async () => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;

    await Promise.all([
      harness.click('approve_patch', id, APPROVER),
      harness.click('approve_patch', id, OTHER_APPROVER),
      harness.click('approve_patch', id, APPROVER),
    ]);
    await completeRollout();

    await eventually('the applied state', () => stateText(message()).includes('Applied.') || undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(realPatches().length - before).toBe(1);
    expect((await auditActions(id)).filter((a) => a === 'approved')).toHaveLength(1);
    expect(answers('Someone else decided on this proposal first').length + answers('already').length).toBeGreaterThan(
      0,
    );
  });

  it('applies nothing when the object changed since the diagnosis, and offers a re-diagnosis', async () => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;
    resetCart({ 'example.com/edited-by': 'someone-else' });

    await harness.click('approve_patch', id, APPROVER);

    await eventually('the changed state', () => stateText(message()).includes('changed since diagnosis') || undefined);
    expect(realPatches()).toHaveLength(before);
    expect(buttonsOf(message()).map((b) => b.action_id)).toEqual(['rediagnose']);
    expect(await auditActions(id)).toContain('changed-since-diagnosis');
  });

  it('applies nothing when the server-side dry run is refused', async () => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;
    harness.kube.faults.add({
      method: 'PATCH',
      path: /deployments\/cart\?.*dryRun=All/,
      status: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'admission webhook "policy.example.com" denied the request: annotations are locked',
        reason: 'Invalid',
        code: 422,
      },
    });

    await harness.click('approve_patch', id, APPROVER);

    await eventually('the refused dry run', () => stateText(message()).includes('dry run refused') || undefined);
    expect(stateText(message())).toContain('annotations are locked');
    expect(realPatches()).toHaveLength(before);
  });

  it('refuses an expired proposal', async () => {
    resetCart();
    const { id, message } = await propose();
    harness.clock.skewMs = 31 * 60_000;
    try {
      await harness.click('approve_patch', id, APPROVER);

      await eventually('the expired answer', () => answers('This proposal is expired').length > 0 || undefined);
      await eventually('the expired message', () => stateText(message()).includes('Expired') || undefined);
      expect(await auditActions(id)).toEqual(expect.arrayContaining(['expired', 'refused']));
    } finally {
      harness.clock.skewMs = 0;
    }
  });

  it('rolls back to exactly the previous annotation value', async () => {
    resetCart({ [ANNOTATION]: '{"terminationDrainDuration": "20s"}', 'example.com/keep': 'yes' });
    const { id, message } = await propose();
    await approveAndRollOut(id, message);

    await harness.click('rollback_patch', id, OTHER_APPROVER);

    await eventually(
      'the rolled-back state',
      () => stateText(message()).includes('Rolled back by <@U0LEAD0002>') || undefined,
    );
    expect(cartAnnotation()).toBe('{"terminationDrainDuration": "20s"}');
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['rollback-approved', 'rolled-back']));
  });

  it('rolls back by removing an annotation that was absent before', async () => {
    resetCart(null);
    const { id, message } = await propose();
    await approveAndRollOut(id, message);
    expect(cartAnnotation()).toBe('{"holdApplicationUntilProxyStarts":true}');

    await harness.click('rollback_patch', id, OTHER_APPROVER);

    await eventually('the rolled-back state', () => stateText(message()).includes('Rolled back') || undefined);
    expect(cartAnnotation()).toBeUndefined();
  });

  it('/mesh audit shows the latest entries to the asker only', async () => {
    await harness.slash('audit 5', { user: REQUESTER });

    const answer = await eventually('the audit answer', () => answers('Latest 5 audit entries').at(-1));
    expect(answer.response_type).toBe('ephemeral');
  });
});
