import { alertmanagerGroup } from '../helpers/alert-payloads';
import { eventually, startBotHarness } from '../helpers/bot-harness';

const ALERT_TOKEN = 'alert-token-0123456789abcdef0123';

// Two clusters behind one Slack app: prod-eu (the proxy-startup example) and staging (a namespace left
// out of the mesh), each read by a worker of its own through its own fake Kubernetes API.
let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness(undefined, undefined, {
    clusterName: 'prod-eu',
    otherCluster: { name: 'staging', example: 'sidecar-not-injected-namespace-disabled' },
    channelClusters: 'C0PRODOPS1:prod-eu',
    approvals: { users: ['U0LEAD0001'] },
    clusterApprovers: 'staging:U0STAGELEAD',
    alerts: { token: ALERT_TOKEN, channel: 'C0ALERTS01', routes: 'cluster=staging:C0STAGING1' },
  });
});

afterAll(async () => {
  await harness.stop();
});

const roots = (channel: string) => harness.slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
/** The text the first root message of a channel was posted with (the report's headline replaces it later). */
const postedText = (channel: string) =>
  harness.slack.calls('chat.postMessage').find((c) => c.body.channel === channel && !c.body.thread_ts)?.body.text;
const answers = () => harness.responses.received.map((r) => String(r.text));
const sendAlert = (payload: Record<string, unknown>) =>
  fetch(`${harness.url}/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify(payload),
  });
const reportIn = (ts: string, runbook: string) =>
  eventually(`the ${runbook} report`, () =>
    harness.slack.threadOf(ts).find((m) => m.ts !== ts && JSON.stringify(m.blocks ?? []).includes(runbook)),
  );

describe('one Slack app, two clusters, a worker each', () => {
  it('asks which cluster when the text names none and the channel has no default, and queues nothing', async () => {
    const before = answers().length;

    await harness.slash('diagnose shop/cart', { channel: 'C0ANYWHERE' });

    const answer = await eventually('the answer', () => answers().slice(before)[0]);
    expect(answer).toContain('Several clusters are served (prod-eu, staging)');
    expect(answer).toContain('`/mesh diagnose prod-eu:shop/cart`');
    expect(roots('C0ANYWHERE')).toEqual([]);
  });

  it('offers a button per cluster; a click runs the command with that cluster, as the clicker', async () => {
    const before = harness.responses.received.length;
    await harness.slash('diagnose shop/cart', { channel: 'C0PICKER01' });
    const picker = await eventually('the picker', () => harness.responses.received.slice(before)[0]);
    type Button = { action_id: string; value: string; text: { text: string } };
    const buttons = (picker.blocks as { type: string; elements?: Button[] }[]).flatMap((b) =>
      b.type === 'actions' ? (b.elements ?? []) : [],
    );
    expect(buttons.map((b) => [b.text.text, b.value])).toEqual([
      ['prod-eu', 'diagnose prod-eu:shop/cart'],
      ['staging', 'diagnose staging:shop/cart'],
    ]);
    const prod = buttons[0] as Button;

    await harness.click(prod.action_id, prod.value, 'U0SRE', 'C0PICKER01', '0.0', { blockId: 'pick_cluster' });

    const root = await eventually('the root message', () => roots('C0PICKER01')[0]);
    expect(postedText('C0PICKER01')).toBe('Diagnosing shop/cart in prod-eu, asked by <@U0SRE>');
    await reportIn(root.ts, 'proxy-startup-econnrefused');
    expect(harness.responses.received.slice(before).map((r) => r.replace_original)).toContain(true);
  });

  it('routes by the prefix: the report comes from that cluster, and its root and report name it', async () => {
    await harness.slash('diagnose staging:legacy-erp/invoice-sync', { channel: 'C0ANYWHERE' });

    const root = await eventually('the root message', () => roots('C0ANYWHERE')[0]);
    expect(postedText('C0ANYWHERE')).toBe('Diagnosing legacy-erp/invoice-sync in staging, asked by <@U0SRE>');
    const report = await reportIn(root.ts, 'sidecar-not-injected');
    expect(JSON.stringify(report.blocks)).toContain('legacy-erp/invoice-sync in staging');
    expect(JSON.stringify(report.blocks)).not.toContain('proxy-startup-econnrefused');
  });

  it("routes by the channel's default when the text names none", async () => {
    await harness.slash('diagnose shop/cart', { channel: 'C0PRODOPS1' });

    const root = await eventually('the root message', () => roots('C0PRODOPS1')[0]);
    expect(postedText('C0PRODOPS1')).toBe('Diagnosing shop/cart in prod-eu, asked by <@U0SRE>');
    await reportIn(root.ts, 'proxy-startup-econnrefused');
  });

  it('records the cluster in every proposal, which only that cluster’s worker may apply', async () => {
    const root = roots('C0PRODOPS1')[0];
    const proposal = await eventually('the proposal', async () => {
      const entries = await harness.audit.latest(20);
      const id = entries.find((e) => e.action === 'proposed')?.proposal;
      return id ? await harness.proposals.get(id) : undefined;
    });

    expect(root).toBeDefined();
    expect(proposal?.cluster).toBe('prod-eu');
  });

  it("refuses a cluster's approver in another cluster, and takes the global approver there", async () => {
    const entries = await harness.audit.latest(20);
    const id = entries.find((e) => e.action === 'proposed')?.proposal ?? '';
    const p = await eventually('the posted proposal', async () => {
      const found = await harness.proposals.get(id);
      return found?.messageTs ? found : undefined;
    });
    const click = (user: string) =>
      harness.click('approve_patch', id, user, p.channel, p.messageTs ?? '', { threadTs: p.threadTs });
    const before = answers().length;

    await click('U0STAGELEAD');
    const refused = await eventually('the refusal', () => answers().slice(before)[0]);

    expect(refused).toBe(
      ':no_entry: You are not an approver in prod-eu, so you cannot approve this patch. Approvers are listed in MESH_APPROVERS (users or user groups) and, for one cluster, MESH_CLUSTER_APPROVERS.',
    );
    expect((await harness.proposals.get(id))?.state).toBe('proposed');
    await click('U0LEAD0001');
    await eventually(
      'applied in prod-eu',
      async () => (await harness.proposals.get(id))?.state === 'applied' || undefined,
    );

    // Every audit record of the proposal names its cluster, and /mesh audit shows it.
    const trail = (await harness.audit.latest(50)).filter((e) => e.proposal === id);
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['proposed', 'refused', 'approved', 'applied']));
    expect(new Set(trail.map((e) => e.cluster))).toEqual(new Set(['prod-eu']));
    const shown = answers().length;
    await harness.slash('audit 3', { channel: 'C0PRODOPS1' });
    expect(await eventually('the audit answer', () => answers().slice(shown)[0])).toMatch(/ in prod-eu by <@/);
  });

  it('lists the clusters with their workers', async () => {
    const before = answers().length;

    await harness.slash('clusters');

    const answer = await eventually('the answer', () => answers().slice(before)[0]);
    expect(answer).toMatch(/\*prod-eu\*: :large_green_circle: 1 worker\b/);
    expect(answer).toMatch(/\*staging\*: :large_green_circle: 1 worker\b/);
  });

  it('diagnoses an alert in the cluster its labels name, in the channel routed by cluster', async () => {
    const sent = await sendAlert(alertmanagerGroup('legacy-erp', 'invoice-sync', { cluster: 'staging' }));

    expect(sent.status).toBe(202);
    const root = await eventually('the alert thread', () => roots('C0STAGING1')[0]);
    const report = await reportIn(root.ts, 'sidecar-not-injected');
    expect(JSON.stringify(report.blocks)).toContain('legacy-erp/invoice-sync in staging');
    expect(roots('C0ALERTS01')).toEqual([]);
  });

  it('says in the thread that an alert’s cluster has no worker, instead of waiting for a diagnosis', async () => {
    await sendAlert(alertmanagerGroup('shop', 'cart', { cluster: 'prod-us', alertname: 'IstioHighLatency' }));

    const root = await eventually('the alert thread', () => roots('C0ALERTS01')[0]);
    const said = await eventually('the note', () =>
      harness.slack.threadOf(root.ts).find((m) => m.ts !== root.ts && String(m.text).startsWith(':no_entry:')),
    );
    expect(said.text).toBe(
      ':no_entry: This alert is for cluster prod-us, which no worker serves (no worker has served it; clusters served: prod-eu, staging), so it was not diagnosed. Start a worker for it with MESH_CLUSTER_NAME=prod-us or add its context to MESH_CLUSTERS.',
    );
  });

  it('answers at once for a cluster no worker serves, with when it was last seen', async () => {
    const before = answers().length;

    await harness.slash('diagnose prod-us:shop');
    await harness.other?.stopWorker();
    await harness.slash('diagnose staging:legacy-erp');

    const [unknown, stopped] = await eventually('two answers', () =>
      answers().length >= before + 2 ? answers().slice(before) : undefined,
    );
    expect(unknown).toBe(
      ':no_entry: No worker serves prod-us (no worker has served it), so nothing was queued. Served now: prod-eu, staging.',
    );
    expect(stopped).toMatch(
      /^:no_entry: No worker serves staging \(last seen \d+ ms ago\), so nothing was queued\. Served now: prod-eu\.$/,
    );
    expect(roots('C0INCIDENT')).toEqual([]);
  });
});
