import { join } from 'node:path';
import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import type { Check, Report } from '../../src/diagnosis/evidence';
import { alertIntake } from '../../src/pipeline/alert-intake';
import { diagnosisPipeline } from '../../src/pipeline/diagnose';
import type { DiagnoseRequest } from '../../src/pipeline/request';
import { buildRootVerdictBlocks, parseRootVerdict, rootVerdictLine, rootVerdictOf } from '../../src/report/blocks-root';
import { alertmanagerGroup } from '../helpers/alert-payloads';
import { catalog, matcher } from '../helpers/diagnose-dir';
import type { SlackWrite } from '../helpers/memory-ports';
import { memoryIncidents, memoryPosted, memorySlack } from '../helpers/memory-ports';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
/** shop/cart, healthy: the near-miss of the start-up race. */
const HEALTHY_CART = join(__dirname, '..', 'fixtures', 'near-miss', 'proxy-startup-econnrefused');
const NOW = Date.parse('2024-05-14T10:00:00Z');

function report(findings: Report['findings'], checks: Check[] = []): Report {
  return { target: { namespace: 'shop', workload: 'cart' }, findings, checks };
}

function finding(severity: 'critical' | 'warning' | 'info', title: string): Report['findings'][number] {
  return {
    runbook: 'proxy-startup-econnrefused',
    title,
    severity,
    confidence: 0.9,
    resources: [],
    evidence: [],
    remediation: { steps: [], patches: [] },
  };
}

const textOf = (w: SlackWrite | undefined) => (w && 'message' in w ? JSON.stringify(w.message) : '');

describe('the verdict on a root message', () => {
  it('names the worst severity, the top finding, the target, the count and links the report', () => {
    const v = rootVerdictOf(
      report([finding('critical', 'Application connects before the sidecar is ready'), finding('warning', 'Other')]),
      'shop/cart',
      'https://acme.slack.com/archives/C1/p1715680000000200?thread_ts=1715680000.000100&cid=C1',
    );
    expect(rootVerdictLine(v)).toBe(
      ':rotating_light: *critical: Application connects before the sidecar is ready* · shop/cart · 2 problems · <https://acme.slack.com/archives/C1/p1715680000000200?thread_ts=1715680000.000100&cid=C1|report in the thread>',
    );
    const blocks = buildRootVerdictBlocks(v, 'U0SRE00001');
    expect(blocks.text).toBe('critical: Application connects before the sidecar is ready in shop/cart (2 problems)');
    expect(JSON.stringify(blocks.blocks)).toContain('Asked by <@U0SRE00001>');
  });

  it('says "no problems found" only when every check ran, and what could not be read otherwise', () => {
    expect(rootVerdictLine(rootVerdictOf(report([]), 'shop/cart', null))).toBe(
      ':white_check_mark: *No problems found in shop/cart*',
    );
    const partial = rootVerdictOf(
      report(
        [],
        [
          { id: 'read:pods', status: 'ok', detail: '3 pods' },
          { id: 'read:logs', status: 'error', detail: 'permission denied' },
        ],
      ),
      'shop/cart',
      null,
    );
    expect(rootVerdictLine(partial)).toMatch(
      /^:warning: \*No problems found in what could be read of shop\/cart; 1 check could not run\*$/,
    );
    const unread = rootVerdictOf(report([], [{ id: 'read:pods', status: 'error', detail: 'refused' }]), 'shop', null);
    expect(rootVerdictLine(unread)).toMatch(/^:x: \*Could not read the cluster/);
  });

  it('shows only https links, escapes mrkdwn and redacts the target', () => {
    const v = rootVerdictOf(
      report([finding('info', 'A <b> & c')]),
      'shop/token=abcdefabcdefabcdefabcdef',
      'javascript:x',
    );
    const line = rootVerdictLine(v);
    expect(line).not.toContain('javascript');
    expect(line).toContain('A &lt;b&gt; &amp; c');
    expect(line).not.toContain('abcdefabcdefabcdefabcdef');
  });

  it('round-trips through its stored form and refuses anything else', () => {
    const v = rootVerdictOf(report([finding('warning', 'T')]), 'shop', null);
    expect(parseRootVerdict(JSON.stringify(v))).toEqual(v);
    expect(parseRootVerdict('{"headline":1}')).toBeNull();
    expect(parseRootVerdict('not json')).toBeNull();
    expect(parseRootVerdict(null)).toBeNull();
  });
});

function pipeline(
  example: string,
  extra: { incidents?: ReturnType<typeof memoryIncidents>; slack?: ReturnType<typeof memorySlack> } = {},
) {
  const slack = extra.slack ?? memorySlack();
  const run = diagnosisPipeline({
    catalog,
    slack,
    posted: memoryPosted(),
    keyPrefix: '{t}',
    now: () => NOW,
    collect: async () => ({
      evidence: await loadSnapshot(example.startsWith('/') ? example : join(EXAMPLES, example), matcher),
      checks: [],
    }),
    ...extra,
  });
  return { run, slack };
}

const slashRequest: DiagnoseRequest = {
  target: { namespace: 'shop', workload: 'cart' },
  scope: 'all',
  requestedBy: 'U0SRE00001',
  channel: 'C0INCIDENT',
  threadTs: '1715680000.000100',
  rootTs: '1715680000.000100',
  requestKey: 'slash:trigger-1',
};

describe('diagnosis pipeline: the root message becomes the verdict', () => {
  it('replaces "Diagnosing …" with the verdict and a link to the report, and follows a later diagnosis', async () => {
    const first = pipeline('proxy-startup-econnrefused');
    await first.run(slashRequest, { id: 'job-1', lastAttempt: false });
    const report = first.slack.writes.find((w) => w.call === 'postInThread');
    const root = first.slack.writes.filter((w) => w.call === 'update' && w.ts === slashRequest.rootTs);
    expect(root).toHaveLength(1);
    expect(textOf(root[0])).toContain('critical: Application connects before the sidecar is ready');
    expect(textOf(root[0])).toContain(`p${report?.call === 'postInThread' ? report.ts.replace('.', '') : 'none'}`);

    // The same thread diagnosed again on a healthy cluster: the root follows.
    const again = pipeline(HEALTHY_CART);
    await again.run({ ...slashRequest, requestKey: 'rediagnose:1' }, { id: 'job-2', lastAttempt: false });
    const redrawn = again.slack.writes.filter((w) => w.call === 'update' && w.ts === slashRequest.rootTs);
    expect(textOf(redrawn[0])).toContain('No problems found in shop/cart');
  });

  it("leaves the root alone when the request was asked inside someone else's thread", async () => {
    const { rootTs: _rootTs, ...inThread } = slashRequest;
    const { run, slack } = pipeline('proxy-startup-econnrefused');
    await run(inThread, { id: 'job-1', lastAttempt: false });
    expect(slack.writes.filter((w) => w.call === 'update' && w.ts === inThread.threadTs)).toEqual([]);
    expect(slack.writes.filter((w) => w.call === 'postRoot')).toEqual([]);
  });
});

describe('alert roots: the alert state beside the current diagnosis verdict', () => {
  it('shows "running", then the verdict; keeps it on resolve; follows a re-fire whose findings changed', async () => {
    const incidents = memoryIncidents();
    const slack = memorySlack();
    const queued: DiagnoseRequest[] = [];
    const intake = alertIntake({
      incidents,
      routes: [],
      defaultChannel: 'C0ALERTS01',
      slack,
      enqueue: async (r) => void queued.push(r),
      rediagnoseAfterSeconds: 300,
      now: () => NOW,
    });
    const parsed = (status: 'firing' | 'resolved') => {
      const p = parseAlertmanager(alertmanagerGroup('shop', 'cart', { status }));
      if (!p.ok) throw new Error(p.reason);
      return p.notification;
    };
    await intake(parsed('firing'));
    const rootWrite = slack.writes[0];
    const rootTs = rootWrite?.call === 'postRoot' ? rootWrite.ts : '';
    expect(textOf(rootWrite)).toContain('running; the report follows in the thread');

    const worker = (example: string) => {
      const { run } = pipeline(example, { incidents, slack });
      return (r: DiagnoseRequest, id: string) => run(r, { id, lastAttempt: false });
    };
    const request = queued[0];
    if (!request) throw new Error('nothing queued');
    await worker('proxy-startup-econnrefused')(request, 'a-1');
    const rootNow = () => slack.writes.filter((w) => w.call === 'update' && w.ts === rootTs).at(-1);
    expect(textOf(rootNow())).toContain('Firing');
    expect(textOf(rootNow())).toContain('critical: Application connects before the sidecar is ready');

    await intake(parsed('resolved'));
    expect(textOf(rootNow())).toContain('Resolved');
    expect(textOf(rootNow())).toContain('critical: Application connects before the sidecar is ready');

    incidents.expireClaims();
    await intake(parsed('firing'));
    expect(textOf(rootNow())).toContain('Firing');
    await worker(HEALTHY_CART)(queued.at(-1) as DiagnoseRequest, 'a-2');
    expect(textOf(rootNow())).toContain('No problems found in shop/cart');
    expect(textOf(rootNow())).not.toContain('Application connects before the sidecar is ready');
  });
});
