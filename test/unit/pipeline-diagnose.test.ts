import { join } from 'node:path';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import type { Check, Evidence } from '../../src/diagnosis/evidence';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { DiagnosisPipelineDeps, DiagnosisRun } from '../../src/pipeline/diagnose';
import { ClusterUnreachableError, diagnosisPipeline } from '../../src/pipeline/diagnose';
import type { DiagnoseRequest } from '../../src/pipeline/request';
import { diagnoseJobProcessor } from '../../src/queue/diagnose-worker';
import { catalog, matcher } from '../helpers/diagnose-dir';
import { memoryIncidents, memoryPosted, memorySlack } from '../helpers/memory-ports';
import { memoryAuditLog, memoryProposalStore, NOW } from '../helpers/memory-remediation';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const evidenceCache = new Map<string, Evidence>();

async function evidenceOf(example: string): Promise<Evidence> {
  const cached = evidenceCache.get(example);
  if (cached) return cached;
  const evidence = await loadSnapshot(join(EXAMPLES, example), matcher);
  evidenceCache.set(example, evidence);
  return evidence;
}

function request(overrides: Partial<DiagnoseRequest> = {}): DiagnoseRequest {
  return {
    target: { namespace: 'shop', workload: 'cart' },
    scope: 'all',
    requestedBy: 'U0SRE00001',
    channel: 'C0INCIDENT',
    threadTs: '1715680000.000100',
    requestKey: 'slash:trigger-1',
    ...overrides,
  };
}

/** The pipeline over in-memory ports, collecting from an example snapshot (or failing reads). */
function pipeline(example: string, extra: Partial<DiagnosisPipelineDeps> & { checks?: Check[] } = {}) {
  const slack = memorySlack();
  const posted = memoryPosted();
  const collected: string[] = [];
  const run = diagnosisPipeline({
    catalog,
    slack,
    posted,
    keyPrefix: '{t}',
    now: () => NOW,
    collect: async (target) => {
      collected.push(`${target.namespace}/${target.workload}`);
      return { evidence: await evidenceOf(example), checks: extra.checks ?? [] };
    },
    ...extra,
  });
  return { run, slack, posted, collected };
}

const blocksText = (w: { message?: { blocks?: unknown } }) => JSON.stringify(w.message?.blocks ?? []);

describe('diagnosis pipeline', () => {
  it('posts a progress message in the thread, then replaces it with the report', async () => {
    const { run, slack, collected } = pipeline('proxy-startup-econnrefused');
    const outcome = await run(request(), { id: 'job-1', lastAttempt: false });
    expect(outcome.findings).toContain('proxy-startup-econnrefused');
    expect(collected).toEqual(['shop/cart']);
    const [progress, report, ...rest] = slack.writes;
    expect(progress).toMatchObject({ call: 'postInThread', channel: 'C0INCIDENT', threadTs: '1715680000.000100' });
    expect(progress?.call === 'postInThread' && progress.message.text).toBe('Diagnosing…');
    expect(report).toMatchObject({ call: 'update', ts: progress?.call === 'postInThread' ? progress.ts : '' });
    expect(blocksText(report as never)).toContain('proxy-startup-econnrefused');
    // Without approvals the report itself carries the patch buttons.
    expect(blocksText(report as never)).toContain('approve_patch');
    // The fix is worded against the Deployment as read: what it adds, and what it keeps.
    expect(blocksText(report as never)).toContain(
      'holdApplicationUntilProxyStarts=true on Deployment shop/cart, keeping terminationDrainDuration',
    );
    expect(rest).toEqual([]);
  });

  it('masks client addresses in posted evidence unless told not to', async () => {
    const mesh = request({ target: { namespace: null, workload: null } });
    const masked = pipeline('upstream-reset-503');
    const shown = pipeline('upstream-reset-503', { clientIps: false });
    await masked.run(mesh, { id: 'm', lastAttempt: false });
    await shown.run(mesh, { id: 's', lastAttempt: false });
    const reportOf = (p: typeof masked) => blocksText(p.slack.writes.find((w) => w.call === 'update') as never);
    expect(reportOf(masked)).toContain('[CLIENT-IP]');
    expect(reportOf(shown)).not.toContain('[CLIENT-IP]');
  });

  it('a retried run updates its own message instead of posting a second one', async () => {
    const { run, slack } = pipeline('proxy-startup-econnrefused');
    await run(request(), { id: 'job-1', lastAttempt: false });
    await run(request(), { id: 'job-1', lastAttempt: true });
    expect(slack.writes.filter((w) => w.call === 'postInThread')).toHaveLength(1);
    await run(request(), { id: 'job-2', lastAttempt: false });
    expect(slack.writes.filter((w) => w.call === 'postInThread')).toHaveLength(2);
  });

  it('retries while nothing could be read, and on the last attempt reports what could not be read', async () => {
    const checks: Check[] = [
      { id: 'read:pods', status: 'error', detail: 'connect ECONNREFUSED 127.0.0.1:6443' },
      { id: 'read:events', status: 'error', detail: 'connect ECONNREFUSED 127.0.0.1:6443' },
    ];
    const { run, slack } = pipeline('healthy-mesh', { checks });
    await expect(run(request(), { id: 'job-1', lastAttempt: false })).rejects.toBeInstanceOf(ClusterUnreachableError);
    await expect(run(request(), { id: 'job-1', lastAttempt: false })).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
    });
    await run(request(), { id: 'job-1', lastAttempt: true });
    const report = slack.writes.filter((w) => w.call === 'update').at(-1);
    expect(blocksText(report as never)).toContain('ECONNREFUSED');
    expect(blocksText(report as never)).toContain('checks could not run');
  });

  it('narrows to the asked scope: the webhooks scope keeps webhook findings and leaves out a start-up race', async () => {
    const startup = pipeline('proxy-startup-econnrefused');
    const all = await startup.run(request(), { id: 'all', lastAttempt: false });
    const webhooks = await startup.run(request({ scope: 'webhooks' }), { id: 'webhooks', lastAttempt: false });
    expect(all.findings).toContain('proxy-startup-econnrefused');
    expect(webhooks.findings).not.toContain('proxy-startup-econnrefused');
    const mesh = { target: { namespace: null, workload: null } };
    const endpoints = pipeline('webhook-no-endpoints');
    const inScope = await endpoints.run(request({ ...mesh, scope: 'webhooks' }), { id: 'w', lastAttempt: false });
    const outOfScope = await endpoints.run(request({ ...mesh, scope: 'injection' }), { id: 'i', lastAttempt: false });
    expect(inScope.findings).toContain('webhook-no-endpoints');
    expect(outOfScope.findings).not.toContain('webhook-no-endpoints');
  });

  it("an alert's report is posted only when its findings changed; its progress message waits until then", async () => {
    const incidents = memoryIncidents();
    await incidents.saveThread('am:1', 'C0ALERTS01', '1715680000.000200');
    const { run, slack } = pipeline('proxy-startup-econnrefused', { incidents });
    const alert = request({ incidentKey: 'am:1', requestedBy: 'alert', threadTs: '1715680000.000200' });
    const first = await run(alert, { id: 'a-1', lastAttempt: false });
    expect(first.unchanged).toBeUndefined();
    expect(slack.writes.map((w) => w.call)).toEqual(['postInThread', 'update']);
    expect(slack.writes[0]?.call === 'postInThread' && slack.writes[0].message.text).toBe('Diagnosing…');
    const again = await run(alert, { id: 'a-2', lastAttempt: false });
    expect(again).toMatchObject({ findings: first.findings, unchanged: true });
    expect(again.stats?.phasesMs).toEqual({ engine: expect.any(Number), posting: 0 });
    expect(slack.writes).toHaveLength(2);
    expect(incidents.rows.get('am:1')?.findings).toContain('proxy-startup-econnrefused@');
  });

  it('with approvals on, each patch becomes one stored, audited proposal with its own message, once per run', async () => {
    const proposals = memoryProposalStore();
    const audit = memoryAuditLog();
    const { run, slack } = pipeline('proxy-startup-econnrefused', {
      approvals: { proposals, audit, ttlMs: 30 * 60_000 },
    });
    const outcome = await run(request(), { id: 'job-1', lastAttempt: false });
    expect(outcome.findings).toContain('proxy-startup-econnrefused');
    const proposed = audit.entries.filter((e) => e.action === 'proposed');
    expect(proposed.length).toBeGreaterThan(0);
    const first = await proposals.get(proposed[0]?.proposal ?? '');
    expect(first).toMatchObject({
      state: 'proposed',
      runbook: expect.any(String),
      requester: 'U0SRE00001',
      channel: 'C0INCIDENT',
      threadTs: '1715680000.000100',
      expiresAt: new Date(NOW + 30 * 60_000).toISOString(),
    });
    const proposalPosts = slack.writes.filter((w) => w.call === 'postInThread' && w.message.text !== 'Diagnosing…');
    expect(proposalPosts).toHaveLength(proposed.length);
    expect(first?.messageTs).toBe(proposalPosts[0]?.call === 'postInThread' ? proposalPosts[0].ts : undefined);
    // The report itself carries no buttons when proposals carry them.
    const report = slack.writes.find((w) => w.call === 'update');
    expect(blocksText(report as never)).not.toContain('approve_patch');
    await run(request(), { id: 'job-1', lastAttempt: true });
    expect(audit.entries.filter((e) => e.action === 'proposed')).toHaveLength(proposed.length);
  });
});

describe('the diagnosis job processor', () => {
  const job = (data: unknown, attemptsMade: number, attempts = 4) =>
    ({ id: 'diagnose-abc', data, attemptsMade, opts: { attempts } }) as unknown as Job<DiagnoseRequest>;

  it('fails a bad payload for good, without running the pipeline', async () => {
    const runs: DiagnosisRun[] = [];
    const process = diagnoseJobProcessor(async (_r, run) => {
      runs.push(run);
      return { findings: [] };
    });
    await expect(process(job({ target: 'shop' }, 0))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(process(job({ ...request(), extra: true }, 0))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(runs).toEqual([]);
  });

  it('runs the pipeline with the job id, and says when the attempt is the last', async () => {
    const runs: DiagnosisRun[] = [];
    const process = diagnoseJobProcessor(async (_r, run) => {
      runs.push(run);
      return { findings: ['x'] };
    });
    await process(job(request(), 0));
    await process(job(request(), 2));
    await process(job(request(), 3));
    await process(job(request(), 0, 1));
    expect(runs).toEqual([
      { id: 'diagnose-abc', lastAttempt: false },
      { id: 'diagnose-abc', lastAttempt: false },
      { id: 'diagnose-abc', lastAttempt: true },
      { id: 'diagnose-abc', lastAttempt: true },
    ]);
  });
});

describe('a report Slack refuses for its size', () => {
  it('keeps the verdict in the thread and attaches the whole report as a file, once', async () => {
    const { run, slack } = pipeline('proxy-startup-econnrefused');
    const update = slack.update.bind(slack);
    let refused = 0;
    slack.update = async (channel, ts, message) => {
      if (message.blocks?.some((b) => b.type === 'section' && b.block_id === 'finding-0') && refused++ === 0) {
        throw Object.assign(new Error('An API error occurred: msg_too_long'), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error: 'msg_too_long' },
        });
      }
      return update(channel, ts, message);
    };
    await run(request(), { id: 'job-1', lastAttempt: false });
    const shown = slack.writes.filter((w) => w.call === 'update').at(-1);
    expect(blocksText(shown as never)).toContain('Slack refused this report as one message');
    expect(blocksText(shown as never)).toContain('problem');
    const files = slack.writes.filter((w) => w.call === 'uploadInThread');
    expect(files).toHaveLength(1);
    expect(files[0]?.call === 'uploadInThread' && files[0].content).toContain('proxy-startup-econnrefused');
  });

  it('lets any other Slack failure through, so the job is retried', async () => {
    const { run, slack } = pipeline('proxy-startup-econnrefused');
    slack.update = async () => {
      throw Object.assign(new Error('An API error occurred: ratelimited'), {
        code: 'slack_webapi_platform_error',
        data: { ok: false, error: 'ratelimited' },
      });
    };
    await expect(run(request(), { id: 'job-1', lastAttempt: false })).rejects.toThrow('ratelimited');
  });
});
