import { join } from 'node:path';
import { buildLogFilters } from '../../src/collect/live/log-query';
import type { FakeLogging } from '../fakes/cloud-logging';
import { startFakeLogging } from '../fakes/cloud-logging';
import type { FakeKubeApi } from '../fakes/kube-api';
import { startFakeKubeApi } from '../fakes/kube-api';
import { catalog } from '../helpers/diagnose-dir';
import { diagnoseLive } from '../helpers/live';

const SNAPSHOT = join(__dirname, '..', '..', 'examples', 'proxy-startup-econnrefused');
const NOW = Date.parse('2024-05-14T10:00:00Z');
const fast = { attempts: 3, baseMs: 5, maxMs: 50, timeoutMs: 400 };

let kube: FakeKubeApi;
let logging: FakeLogging;

beforeEach(async () => {
  [kube, logging] = await Promise.all([
    startFakeKubeApi({ snapshotDir: SNAPSHOT }),
    startFakeLogging({ snapshotDir: SNAPSHOT }),
  ]);
});

afterEach(async () => {
  await Promise.all([kube.close(), logging.close()]);
});

const check = (report: Awaited<ReturnType<typeof diagnoseLive>>, id: string) =>
  report.collection.find((c) => c.id === id);
const runbooks = (report: Awaited<ReturnType<typeof diagnoseLive>>) => report.findings.map((f) => f.runbook);

describe('live collection under faults', () => {
  it('names the missing permission when a list is forbidden, and still diagnoses the rest', async () => {
    kube.faults.add({ method: 'GET', path: '/api/v1/namespaces/shop/pods', status: 403 });

    const report = await diagnoseLive(kube, logging, { namespace: 'shop', nowMs: NOW, retry: fast });

    expect(check(report, 'read:pods')).toEqual({
      id: 'read:pods',
      status: 'error',
      detail:
        'access denied: mesh-doctor may not list pods in namespace shop; grant verb "list" on "pods" through a RoleBinding in namespace shop',
    });
    expect(check(report, 'read:deployments')?.status).toBe('ok');
    expect(kube.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods')).toHaveLength(1);
    expect(runbooks(report)).toContain('proxy-startup-econnrefused');
  });

  it('waits as 429 Retry-After asks and retries 500s and dropped connections', async () => {
    kube.faults.add({ path: '/apis/apps/v1/deployments', status: 429, retryAfterSeconds: 1, times: 1 });
    kube.faults.add({ path: '/apis/apps/v1/replicasets', status: 500, times: 2 });
    kube.faults.add({ path: '/api/v1/services', drop: true, times: 1 });
    const started = Date.now();

    const report = await diagnoseLive(kube, logging, { nowMs: NOW, retry: { ...fast, maxMs: 2000 } });

    expect(report.collection.filter((c) => c.status === 'error')).toEqual([]);
    expect(kube.requests.filter((r) => r.path === '/apis/apps/v1/deployments')).toHaveLength(2);
    expect(kube.requests.filter((r) => r.path === '/apis/apps/v1/replicasets')).toHaveLength(3);
    expect(kube.requests.filter((r) => r.path === '/api/v1/services')).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(runbooks(report)).toContain('proxy-startup-econnrefused');
  });

  it('gives up on a list that keeps failing or hangs, and reports which', async () => {
    kube.faults.add({ path: '/apis/apps/v1/replicasets', status: 500 });
    kube.faults.add({ path: '/api/v1/endpoints', delayMs: 2_000 });

    const report = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast });

    expect(check(report, 'read:replicasets')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/^could not list replicasets: HTTP 500/),
    });
    expect(check(report, 'read:endpoints')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/timed out after 400 ms/),
    });
    expect(kube.requests.filter((r) => r.path === '/apis/apps/v1/replicasets')).toHaveLength(fast.attempts);
    expect(runbooks(report)).toContain('proxy-startup-econnrefused');
  });

  it('reports an absent Istio CRD as skipped, not as an error', async () => {
    const report = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast });

    expect(check(report, 'read:envoyfilters')).toEqual({
      id: 'read:envoyfilters',
      status: 'skipped',
      detail: 'EnvoyFilter is not installed (no envoyfilters.networking.istio.io CRD)',
    });
  });

  it('backs off on Cloud Logging quota errors and reads everything once they pass', async () => {
    logging.faults.add({ status: 429, times: 2 });

    const report = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast });

    expect(check(report, 'read:cloud-logging')).toMatchObject({ status: 'ok' });
    // Two refused attempts, then one call per filter the catalog's signatures need.
    const filters = buildLogFilters(catalog.signatures, { namespaces: null, sinceIso: new Date(0).toISOString() });
    expect(logging.requests).toHaveLength(2 + filters.length);
    expect(runbooks(report)).toContain('proxy-startup-econnrefused');
  });

  it('keeps what it read and says so when Cloud Logging stays unavailable', async () => {
    logging.faults.add({ status: 503, times: Infinity });

    const report = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast });

    expect(check(report, 'read:cloud-logging')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/^Cloud Logging read failed after 0 entries: HTTP 503/),
    });
    expect(check(report, 'read:pods')?.status).toBe('ok');
  });

  it('keeps paging through empty pages, and stops at the entry cap with a note', async () => {
    await logging.close();
    logging = await startFakeLogging({ snapshotDir: SNAPSHOT, emptyPagesBeforeData: 2 });

    const full = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast });
    const capped = await diagnoseLive(kube, logging, { nowMs: NOW, retry: fast, maxLogEntries: 5 });

    expect(check(full, 'read:cloud-logging')?.status).toBe('ok');
    expect(runbooks(full)).toContain('proxy-startup-econnrefused');
    expect(check(capped, 'read:cloud-logging')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/^stopped at the cap of 5 log entries/),
    });
  });
});
