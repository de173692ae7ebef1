import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { LogMatcher } from '../../src/collect/log-matcher';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import type { Evidence, Report } from '../../src/diagnosis/evidence';
import { DEFAULT_CLOUD_LOG, readCloudLogs } from '../../src/collect/live/cloud-log-reader';
import { connectLogging, startFakeLogging } from '../fakes/cloud-logging';
import type { FakeLogging, LogEntry } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi } from '../fakes/kube-api';
import { catalog, matcher } from '../helpers/diagnose-dir';
import { diagnoseLive } from '../helpers/live';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

/**
 * A start-up race read long after it happened: the proxy-startup-econnrefused example (pod
 * cart-pcvpnpffgp-q7xkz: the cart app refused by Redis while its istio-proxy was not ready yet), moved in
 * time so that the pod started a given time before "now", and diagnosed live with `--since 1h`.
 */
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'proxy-startup-econnrefused');
const POD_STARTED = Date.parse('2024-05-14T09:11:48Z');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const MAX_LOGGING_CALLS = 3;

const RFC3339 = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z/g;

/** A file's text with every timestamp moved by `deltaMs` (whole seconds), keeping its fraction digits. */
function shifted(text: string, deltaMs: number): string {
  return text.replace(
    RFC3339,
    (_, seconds: string, fraction: string | undefined) =>
      `${new Date(Date.parse(`${seconds}Z`) + deltaMs).toISOString().slice(0, 19)}${fraction ?? ''}Z`,
  );
}

interface Moved {
  /** Everything, as Cloud Logging keeps it (the events too). */
  cloud: string;
  /** Objects and container logs: Kubernetes keeps events for an hour, so these old ones are gone. */
  kube: string;
  cleanup: () => void;
}

/** The example with its pod started `agoMs` before NOW. */
function exampleStarted(agoMs: number): Moved {
  const delta = NOW - agoMs - POD_STARTED;
  const files = Object.fromEntries(
    readdirSync(EXAMPLE).map((name) => [name, shifted(readFileSync(join(EXAMPLE, name), 'utf8'), delta)]),
  );
  const cloud = tmpSnapshot(files);
  const kube = tmpSnapshot(Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'events.jsonl')));
  return {
    cloud: cloud.dir,
    kube: kube.dir,
    cleanup: () => {
      cloud.cleanup();
      kube.cleanup();
    },
  };
}

const since1h = { namespace: null, sinceMs: HOUR, nowMs: NOW };

function races(report: Report): unknown[] {
  return report.findings.filter((f) => f.runbook === 'proxy-startup-econnrefused').map((f) => f.resources[0]);
}

const CART = { kind: 'Deployment', namespace: 'shop', name: 'cart' };

/** Pod log reads that asked for a start window (from the beginning, up to a byte limit). */
function startReads(kube: FakeKubeApi): Record<string, string>[] {
  return kube.requests.filter((r) => r.path.endsWith('/log') && r.query.limitBytes !== undefined).map((r) => r.query);
}

describe('a start-up race three hours ago, diagnosed live with --since 1h', () => {
  let moved: Moved;
  let kube: FakeKubeApi;
  let logging: FakeLogging;

  beforeEach(async () => {
    moved = exampleStarted(3 * HOUR);
    [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: moved.kube, now: new Date(NOW).toISOString() }),
      startFakeLogging({ snapshotDir: moved.cloud }),
    ]);
  });

  afterEach(async () => {
    await Promise.all([kube.close(), logging.close()]);
    moved.cleanup();
  });

  it('is found through pod logs: each container start is read from its beginning', async () => {
    const report = await diagnoseLive(kube, null, since1h);

    expect(races(report)).toEqual([CART]);
    const check = report.collection.find((c) => c.id === 'read:pod-logs');
    expect(check?.status).toBe('ok');
    expect(check?.detail).toMatch(/: last 1h, and the first minutes of \d+ container start\(s\) up to 24h back$/);
    const reads = startReads(kube);
    expect(reads.some((q) => q.container === 'cart' && q.previous === undefined)).toBe(true);
    expect(reads.some((q) => q.container === 'cart' && q.previous === 'true')).toBe(true);
    expect(reads.some((q) => q.container === 'istio-proxy')).toBe(true);
    expect(reads.every((q) => q.limitBytes === String(256 * 1024) && q.sinceSeconds === undefined)).toBe(true);
  });

  it('is found through Cloud Logging in at most three calls', async () => {
    const report = await diagnoseLive(kube, logging, since1h);

    expect(races(report)).toEqual([CART]);
    expect(logging.requests.length).toBeLessThanOrEqual(MAX_LOGGING_CALLS);
    expect(logging.requests.some((r) => r.filter?.includes('"cart-pcvpnpffgp-q7xkz"'))).toBe(true);
    const check = report.collection.find((c) => c.id === 'read:cloud-logging');
    expect(check?.status).toBe('ok');
    expect(check?.detail).toMatch(/and in the first 10m of \d+ pod start\(s\) up to 24h back in [1-3] call\(s\)$/);
    expect(report.collection.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('reads the target namespace’s starts first and says which starts it left out', async () => {
    // Diagnosing payments, with shop read as a control-plane namespace: cart's starts (3 h ago) are
    // more recent than ledger's (about 13 h ago), yet the target's come first under a cap of one pod.
    const report = await diagnoseLive(kube, logging, {
      ...since1h,
      namespace: 'payments',
      controlPlaneNamespaces: ['shop'],
      startWindows: { maxWindows: 1 },
    });

    const filters = logging.requests.map((r) => r.filter ?? '').join('\n');
    expect(filters).toContain('resource.labels.pod_name="ledger-tpx8gfgf7r-5bwsl"');
    expect(filters).not.toContain('cart-pcvpnpffgp-q7xkz');
    expect(report.collection.find((c) => c.id === 'read:cloud-logging-starts')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/^the first minutes of [1-9]\d* pod start\(s\) older than /),
    });
  });

  it('is not found when starts are not read (horizon 0), through either source', async () => {
    const none = { ...since1h, startWindows: { horizonMs: 0 } };

    expect(races(await diagnoseLive(kube, null, none))).toEqual([]);
    expect(races(await diagnoseLive(kube, logging, none))).toEqual([]);
    expect(startReads(kube)).toEqual([]);
  });
});

describe('the same start 30 hours ago, beyond the 24 h horizon', () => {
  it('is not read, through pod logs or Cloud Logging', async () => {
    const moved = exampleStarted(30 * HOUR);
    const [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: moved.kube, now: new Date(NOW).toISOString() }),
      startFakeLogging({ snapshotDir: moved.cloud }),
    ]);
    try {
      const throughPods = await diagnoseLive(kube, null, since1h);
      const throughCloud = await diagnoseLive(kube, logging, since1h);

      expect(races(throughPods)).toEqual([]);
      expect(races(throughCloud)).toEqual([]);
      expect(startReads(kube)).toEqual([]);
      expect(logging.requests.length).toBeGreaterThan(0);
      expect(logging.requests.every((r) => !r.filter?.includes('resource.labels.pod_name'))).toBe(true);
      expect(throughPods.collection.find((c) => c.id === 'read:pod-logs')?.detail).toMatch(/: last 1h$/);
    } finally {
      await Promise.all([kube.close(), logging.close()]);
      moved.cleanup();
    }
  });
});

describe('a start window that runs into the recent window', () => {
  /** Log lines of one container, as time and text. */
  const linesOf = (evidence: Evidence, pod: string, container: string) =>
    evidence.logs.filter((l) => l.pod === pod && l.container === container).map((l) => [l.ms, l.text]);

  it('reads each line once: the start window ends where the recent window begins', async () => {
    // istio-proxy started at 09:11:52 and logged NOT ready at :53 and :55, then at :57 and ready at :59;
    // the recent window begins at 09:11:56, inside the first minutes of that start.
    const recentFrom = Date.parse('2024-05-14T09:11:56Z');
    const now = recentFrom + HOUR;
    const kube = await startFakeKubeApi({ snapshotDir: EXAMPLE, now: new Date(now).toISOString() });
    try {
      const builder = new EvidenceBuilder(new LogMatcher(catalog.signatures));
      await diagnoseLive(kube, null, { namespace: null, sinceMs: HOUR, nowMs: now, builder });
      const live = builder.build(now);
      const offline = await loadSnapshot(EXAMPLE, matcher);

      const proxy = linesOf(live, 'cart-pcvpnpffgp-q7xkz', 'istio-proxy');
      expect(proxy.filter(([ms]) => (ms as number) < recentFrom).length).toBeGreaterThan(0);
      expect(proxy.filter(([ms]) => (ms as number) >= recentFrom).length).toBeGreaterThan(0);
      expect(new Set(proxy.map((l) => JSON.stringify(l))).size).toBe(proxy.length);
      expect(proxy).toEqual(linesOf(offline, 'cart-pcvpnpffgp-q7xkz', 'istio-proxy'));
      expect(startReads(kube).some((q) => q.container === 'istio-proxy')).toBe(true);
    } finally {
      await kube.close();
    }
  });
});

describe('a Cloud Logging query in several filters', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const refused = (i: number): LogEntry => ({
    insertId: `refused-${i}`,
    logName: 'projects/fake-project/logs/stdout',
    timestamp: at(NOW - 60_000 + i * 1_000),
    resource: {
      type: 'k8s_container',
      labels: { namespace_name: 'shop', pod_name: 'cart-pcvpnpffgp-m2dtw', container_name: 'cart' },
    },
    textPayload: `[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:${6379 + i}`,
  });
  // The first and the last signature match the same lines; enough others between them to need a second filter.
  const signatures = [
    { id: 'refused', pattern: 'ECONNREFUSED' },
    ...Array.from({ length: 80 }, (_, i) => ({
      id: `s${i}`,
      pattern: `a long distinctive error text number ${i} seen`,
    })),
    { id: 'refused-redis', pattern: 'connect ECONNREFUSED [0-9.]+:63' },
  ];
  const read = (logging: FakeLogging, builder: EvidenceBuilder, maxEntries: number) =>
    readCloudLogs(connectLogging(logging), signatures, builder, {
      ...DEFAULT_CLOUD_LOG,
      projectId: logging.projectId,
      namespaces: null,
      sinceIso: at(NOW - HOUR),
      maxEntries,
    });

  it('adds an entry two filters both match once, and stops at the entry cap across them', async () => {
    const logging = await startFakeLogging({ entries: Array.from({ length: 5 }, (_, i) => refused(i)) });
    try {
      const builder = new EvidenceBuilder(new LogMatcher(signatures));
      const checks = await read(logging, builder, 1_000);

      const filters = new Set(logging.requests.map((r) => r.filter));
      expect(filters.size).toBe(2);
      expect(checks[0]).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^10 matching log entries/) });
      expect(builder.build(NOW).logs.map((l) => l.text)).toEqual(
        Array.from({ length: 5 }, (_, i) => refused(i).textPayload),
      );

      const capped = await read(logging, new EvidenceBuilder(new LogMatcher(signatures)), 3);
      expect(capped[0]).toMatchObject({
        status: 'error',
        detail: expect.stringMatching(/^stopped at the cap of 3 log entries/),
      });
    } finally {
      await logging.close();
    }
  });
});
