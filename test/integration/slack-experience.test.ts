import type { SlackMessage } from '../fakes/slack-api/types';
import { eventually, startBotHarness } from '../helpers/bot-harness';

/**
 * What a person sees in Slack, through the whole bot (real Redis, real worker, the fake Slack Web API and
 * the fake Kubernetes API): the root message turning into the verdict, one proposal for a fix of two
 * steps with confirmation dialogs, applied in order and rolled back in reverse.
 */
const REQUESTER = 'U0SRE';
const APPROVER = 'U0LEAD0001';
const NAMESPACE = '/api/v1/namespaces/billing';
const DEPLOYMENT = '/apis/apps/v1/namespaces/billing/deployments/invoice-api';

let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness('sidecar-not-injected', '2024-11-19T15:00:00Z', {
    approvals: { users: [APPROVER] },
  });
});

afterAll(async () => {
  await harness.stop();
});

type Block = {
  type: string;
  block_id?: string;
  text?: { text?: string };
  elements?: Array<{
    action_id?: string;
    value?: string;
    confirm?: { title: { text: string }; text: { text: string }; confirm: { text: string } };
  }>;
};
const blocksOf = (m: SlackMessage | undefined) => (m?.blocks ?? []) as Block[];
const buttonsOf = (m: SlackMessage | undefined) =>
  blocksOf(m)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);
const writes = () =>
  harness.kube.requests
    .filter((r) => r.method === 'PATCH' && (r.path === NAMESPACE || r.path === DEPLOYMENT))
    .map(
      (r) => `${r.query.dryRun === 'All' ? 'dry-run' : 'write'} ${r.path === NAMESPACE ? 'Namespace' : 'Deployment'}`,
    );
const label = () =>
  (harness.kube.get('Namespace', null, 'billing') as { metadata: { labels?: Record<string, string> } }).metadata
    .labels?.['istio-injection'];

describe('the Slack experience, end to end', () => {
  let root: SlackMessage;
  let proposal: () => SlackMessage | undefined;
  let id: string;

  it('the root message becomes the verdict, with a link to the report in its thread', async () => {
    await harness.slash('diagnose billing', { user: REQUESTER });
    root = await eventually('the verdict on the root message', () =>
      harness.slack
        .messages('C0INCIDENT')
        .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && blocksOf(m).some((b) => b.block_id === 'root-verdict')),
    );
    const verdict = blocksOf(root).find((b) => b.block_id === 'root-verdict')?.text?.text ?? '';
    expect(verdict).toMatch(
      /^:warning: \*warning: .+\* · billing · 1 problem · <https:\/\/fake\.slack\.test\/archives\/C0INCIDENT\/p\d+\?thread_ts=/,
    );
    expect(root.text).toMatch(/^warning: .+ in billing \(1 problem\)$/);
    const report = harness.slack.threadOf(root.ts).find((m) => blocksOf(m).some((b) => b.block_id === 'verdict'));
    expect(verdict).toContain(`p${String(report?.ts).replace('.', '')}`);
  });

  it('a fix of two steps is one proposal, and every button asks for confirmation with the targets and the risk', async () => {
    const message = await eventually('the proposal', () =>
      harness.slack.threadOf(root.ts).find((m) => buttonsOf(m).some((b) => b.action_id === 'approve_patch')),
    );
    const proposals = harness.slack
      .threadOf(root.ts)
      .filter((m) => buttonsOf(m).some((b) => b.action_id === 'approve_patch'));
    expect(proposals).toHaveLength(1);
    id = String(buttonsOf(message).find((b) => b.action_id === 'approve_patch')?.value);
    proposal = () => harness.slack.messages('C0INCIDENT').find((m) => m.ts === message.ts);
    const text = JSON.stringify(blocksOf(message));
    expect(text).toContain('2 steps, applied in order and rolled back in reverse');
    expect(text).toContain('Risk:');
    const [approve, reject] = buttonsOf(message);
    expect(approve?.confirm?.title.text).toBe('Apply this fix?');
    expect(approve?.confirm?.text.text).toContain('Namespace billing, then Deployment billing/invoice-api');
    expect(approve?.confirm?.text.text).toContain('Risk:');
    expect(reject?.confirm?.title.text).toBe('Reject this fix?');
  });

  it('approved, its steps are dry-run, then written in order; rolled back, they are restored last step first', async () => {
    await harness.click('approve_patch', id, APPROVER, 'C0INCIDENT', String(proposal()?.ts), { threadTs: root.ts });
    await eventually(
      'the Roll back button',
      () => buttonsOf(proposal()).some((b) => b.action_id === 'rollback_patch') || undefined,
    );
    expect(writes()).toEqual(['dry-run Namespace', 'dry-run Deployment', 'write Namespace', 'write Deployment']);
    expect(label()).toBe('enabled');
    const rollback = buttonsOf(proposal()).find((b) => b.action_id === 'rollback_patch');
    expect(rollback?.confirm?.text.text).toContain('last step first');

    await harness.click('rollback_patch', id, APPROVER, 'C0INCIDENT', String(proposal()?.ts), {
      threadTs: root.ts,
      blockId: 'proposal-applied',
    });
    await eventually('the rolled-back state', () =>
      JSON.stringify(proposal()?.blocks).includes('Rolled back') ? true : undefined,
    );
    expect(writes().slice(4)).toEqual([
      'dry-run Deployment',
      'dry-run Namespace',
      'write Deployment',
      'write Namespace',
    ]);
    expect(label()).toBe('true');
  });
});
