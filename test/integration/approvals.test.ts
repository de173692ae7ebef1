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

/** Where each proposal message is: its ts and the diagnosis thread it was posted in. */
const posted = new Map<string, { ts: string; threadTs: string }>();
const seen = new Set<string>();

/** Waits for the next proposal message of the cart patch in C0INCIDENT. */
async function nextProposal(): Promise<{ id: string; ts: string; message: () => SlackMessage | undefined }> {
  const proposal = await eventually('a proposal message', () =>
    harness.slack
      .messages('C0INCIDENT')
      .filter((m) => m.thread_ts && m.thread_ts !== m.ts)
      .reverse()
      .find((m) => buttonsOf(m).some((b) => b.action_id === 'approve_patch') && !seen.has(m.ts)),
  );
  seen.add(proposal.ts);
  const id = String(buttonsOf(proposal).find((b) => b.action_id === 'approve_patch')?.value);
  posted.set(id, { ts: proposal.ts, threadTs: String(proposal.thread_ts) });
  return { id, ts: proposal.ts, message: () => harness.slack.messages('C0INCIDENT').find((m) => m.ts === proposal.ts) };
}

/** Runs a diagnosis of shop/cart and returns the proposal message of the cart patch. */
async function propose(
  requester = REQUESTER,
): Promise<{ id: string; ts: string; message: () => SlackMessage | undefined }> {
  await harness.slash('diagnose shop/cart', { user: requester, trigger: `t-${Math.random()}` });
  return nextProposal();
}

/** A click on a button of the proposal message of `id`, as Slack sends it (unless `on` moves it elsewhere). */
function clickOn(
  actionId: string,
  id: string,
  user: string,
  on: { channel?: string; messageTs?: string; threadTs?: string; team?: string } = {},
) {
  const at = posted.get(id) ?? { ts: '0.0', threadTs: '0.0' };
  return harness.click(actionId, id, user, on.channel ?? 'C0INCIDENT', on.messageTs ?? at.ts, {
    threadTs: 'threadTs' in on ? on.threadTs : at.threadTs,
    team: on.team,
  });
}

const stateText = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const answers = (needle: string) => harness.responses.received.filter((r) => String(r.text).includes(needle));

/** Runs `act` and waits for a new ephemeral answer containing `needle`. */
async function answerTo(needle: string, act: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const before = answers(needle).length;
  await act();
  return eventually(`an answer with "${needle}"`, () => answers(needle)[before]);
}

/** The Redis key of a proposal's record. */
async function proposalKey(id: string): Promise<string> {
  const key = `${harness.prefix}:proposal:${id}`;
  if (!(await harness.redis.exists(key))) throw new Error(`no record for proposal ${id}`);
  return key;
}

async function auditActions(id: string): Promise<string[]> {
  return (await harness.audit.latest(100)).filter((e) => e.proposal === id).map((e) => e.action);
}

/** Approves a proposal, completes the rollout, and waits until the Roll back button is offered. */
async function approveAndRollOut(id: string, message: () => SlackMessage | undefined): Promise<void> {
  await clickOn('approve_patch', id, APPROVER);
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
    // Worded against the Deployment as read: what changes, and what of the annotation stays.
    expect(stateText(message())).toContain(
      'set pod template annotation proxy.istio.io/config: holdApplicationUntilProxyStarts=true on Deployment shop/cart, keeping terminationDrainDuration',
    );

    await clickOn('approve_patch', id, APPROVER);
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

    await clickOn('approve_patch', id, STRANGER);

    await eventually('the refusal', () => answers('You are not an approver').length > 0 || undefined);
    expect(answers('You are not an approver').at(-1)?.response_type).toBe('ephemeral');
    expect(await auditActions(id)).toContain('refused');
    expect(realPatches()).toHaveLength(before);
    expect(stateText(message())).toContain('Waiting for an approver');
  });

  it('accepts a member of an approver user group', async () => {
    resetCart();
    const { id, message } = await propose();

    await clickOn('reject_patch', id, GROUP_MEMBER);

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

    await clickOn('approve_patch', id, APPROVER);

    await eventually('the refusal', () => answers('another approver must approve').length > 0 || undefined);
    expect(realPatches()).toHaveLength(before);
    expect(await auditActions(id)).toContain('refused');
  });

  it('two concurrent approvals lead to exactly one PATCH', async () => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;

    await Promise.all([
      clickOn('approve_patch', id, APPROVER),
      clickOn('approve_patch', id, OTHER_APPROVER),
      clickOn('approve_patch', id, APPROVER),
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

    await clickOn('approve_patch', id, APPROVER);

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

    await clickOn('approve_patch', id, APPROVER);

    await eventually('the refused dry run', () => stateText(message()).includes('dry run refused') || undefined);
    expect(stateText(message())).toContain('annotations are locked');
    expect(realPatches()).toHaveLength(before);
  });

  it('refuses an expired proposal', async () => {
    resetCart();
    const { id, message } = await propose();
    harness.clock.skewMs = 31 * 60_000;
    try {
      await clickOn('approve_patch', id, APPROVER);

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

    await clickOn('rollback_patch', id, OTHER_APPROVER);

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

    await clickOn('rollback_patch', id, OTHER_APPROVER);

    await eventually('the rolled-back state', () => stateText(message()).includes('Rolled back') || undefined);
    expect(cartAnnotation()).toBeUndefined();
  });

  it.each<[string, { channel?: string; threadTs?: string; messageTs?: string }]>([
    ['another channel', { channel: 'C0ELSEWHERE', messageTs: '1.000001' }],
    ['another thread of the channel', { threadTs: '1.000002' }],
    ['a message outside any thread', { threadTs: undefined, messageTs: '1.000003' }],
  ])('refuses an approval sent from %s: audited, answered to the clicker only, nothing applied', async (_what, on) => {
    resetCart();
    const { id, message } = await propose();
    const before = realPatches().length;

    const answer = await answerTo('This click came from another', () => clickOn('approve_patch', id, APPROVER, on));

    expect(answer.response_type).toBe('ephemeral');
    expect(await auditActions(id)).toEqual(['refused', 'proposed']);
    expect(realPatches()).toHaveLength(before);
    expect(stateText(message())).toContain('Waiting for an approver');
  });

  it("refuses an approval from another workspace than the request's", async () => {
    resetCart();
    const { id, message } = await propose();
    const key = await proposalKey(id);
    const spec = JSON.parse(String(await harness.redis.hget(key, 'spec'))) as Record<string, unknown>;
    await harness.redis.hset(key, 'spec', JSON.stringify({ ...spec, team: 'T0FAKE0001' }));
    const before = realPatches().length;

    await answerTo('came from another workspace', () => clickOn('approve_patch', id, APPROVER, { team: 'T0OTHERORG' }));
    expect(realPatches()).toHaveLength(before);
    expect(stateText(message())).toContain('Waiting for an approver');
    await clickOn('reject_patch', id, APPROVER);
    await eventually(
      'the rejection from the same workspace',
      () => stateText(message()).includes('Rejected by') || undefined,
    );
  });

  it('Re-diagnose is for approvers only, and the new diagnosis keeps the original requester', async () => {
    resetCart();
    // An approver asks; their proposal cannot be applied (the object changed) and offers Re-diagnose.
    const { id, message } = await propose(APPROVER);
    resetCart({ 'example.com/edited-by': 'someone-else' });
    await clickOn('approve_patch', id, OTHER_APPROVER);
    await eventually(
      'the re-diagnose button',
      () => buttonsOf(message()).some((b) => b.action_id === 'rediagnose') || undefined,
    );
    const rediagnose = (user: string) => clickOn('rediagnose', id, user);

    await answerTo('you cannot re-diagnose this patch', () => rediagnose(STRANGER));
    await rediagnose(OTHER_APPROVER);
    const next = await nextProposal();

    expect(JSON.stringify(next.message()?.blocks)).toContain(`<@${APPROVER}>'s diagnosis`);
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['refused', 'rediagnosed']));
    await answerTo('another approver must approve', () => clickOn('approve_patch', next.id, APPROVER));
    expect(stateText(next.message())).toContain('Waiting for an approver');
  });

  it('a proposal whose record is gone is redrawn without buttons on the next click', async () => {
    resetCart();
    const { id, message } = await propose();
    const key = await proposalKey(id);
    await harness.redis.del(key);

    const answer = await answerTo('This proposal is no longer stored', () => clickOn('approve_patch', id, APPROVER));

    await eventually('the redrawn message', () => buttonsOf(message()).length === 0 || undefined);
    expect(stateText(message())).toContain(
      'This proposal is no longer stored (expired or lost); run the diagnosis again.',
    );
    expect(answer.response_type).toBe('ephemeral');
    expect(await harness.redis.exists(key)).toBe(0);
  });

  it('refuses at apply time a patch of a namespace on the deny list, saying why in the message and the audit', async () => {
    resetCart();
    const { id, message } = await propose();
    const key = await proposalKey(id);
    const spec = JSON.parse(String(await harness.redis.hget(key, 'spec'))) as {
      patch: { target: { namespace: string } };
    };
    spec.patch.target.namespace = 'kube-system';
    await harness.redis.hset(key, 'spec', JSON.stringify(spec));

    await clickOn('approve_patch', id, APPROVER);

    await eventually('the refusal', () => stateText(message()).includes('is on the deny list') || undefined);
    expect(harness.kube.requests.filter((r) => r.method === 'PATCH' && r.path.includes('kube-system'))).toEqual([]);
    expect(
      (await harness.audit.latest(100)).find((e) => e.proposal === id && e.action === 'refused')?.detail,
    ).toContain('namespace kube-system is on the deny list (MESH_PATCH_DENY_NAMESPACES)');
  });

  it('/mesh audit shows the latest entries to the asker only', async () => {
    await harness.slash('audit 5', { user: REQUESTER });

    const answer = await eventually('the audit answer', () => answers('Latest 5 audit entries').at(-1));
    expect(answer.response_type).toBe('ephemeral');
  });
});
