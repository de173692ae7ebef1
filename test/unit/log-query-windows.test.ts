import { MAX_FILTERS, MAX_FILTER_LENGTH, buildLogFilters, buildLogQuery } from '../../src/collect/live/log-query';
import type { StartWindowGroup } from '../../src/collect/live/log-window';
import {
  clipBlock,
  containerInstances,
  groupStartWindows,
  podStartWindows,
  startWindow,
} from '../../src/collect/live/log-window';
import type { Pod } from '../../src/diagnosis/kube-types';
import { compileFilter } from '../fakes/cloud-logging';
import type { LogEntry } from '../fakes/cloud-logging';
import { canonicalTime } from '../fakes/cloud-logging/log-entry';
import { catalog } from '../helpers/diagnose-dir';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const SINCE = '2026-03-10T11:00:00.000Z';
const START = NOW - 3 * 3_600_000;
const TEN_MINUTES = 10 * 60_000;

function group(namespace: string, pods: string[], fromMs = START): StartWindowGroup {
  return { namespace, pods, fromMs, toMs: fromMs + TEN_MINUTES };
}

function line(pod: string, iso: string, text: string, namespace = 'shop'): LogEntry {
  return {
    logName: 'projects/p/logs/stdout',
    timestamp: iso,
    resource: { type: 'k8s_container', labels: { namespace_name: namespace, pod_name: pod, container_name: 'cart' } },
    textPayload: text,
  } as LogEntry;
}

/** The entries any of the filters match, as the fake Cloud Logging judges them. */
function matched(filters: string[], entries: LogEntry[]): LogEntry[] {
  const predicates = filters.map(compileFilter);
  return entries.filter((entry) => {
    const row = { entry, time: canonicalTime(entry.timestamp) ?? '' };
    return predicates.some((p) => p(row));
  });
}

const REFUSED = '[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:6379';
const at = (ms: number) => new Date(ms).toISOString();

describe('Cloud Logging filters with pod start windows', () => {
  it('without start windows, is the recent-window filter as before', () => {
    const query = { namespaces: ['shop'], sinceIso: SINCE };

    const result = buildLogQuery(catalog.signatures, { ...query, startWindows: [] });

    expect(result.filters).toEqual(buildLogFilters(catalog.signatures, query));
    expect(result.filters[0]!.startsWith(`timestamp>="${SINCE}" AND (`)).toBe(true);
    expect(result).toMatchObject({ startWindowsRead: 0, startWindowsLeftOut: 0 });
  });

  it('reads matching lines of a windowed pod near its start, and nothing else that old', () => {
    const windows = [group('shop', ['cart-pcvpnpffgp-q7xkz', 'cart-pcvpnpffgp-m2dtw'])];

    const { filters, startWindowsRead } = buildLogQuery(catalog.signatures, {
      namespaces: ['shop', 'istio-system'],
      sinceIso: SINCE,
      startWindows: windows,
    });

    expect(startWindowsRead).toBe(2);
    expect(filters.length).toBeLessThanOrEqual(MAX_FILTERS);
    expect(filters.every((f) => f.length <= MAX_FILTER_LENGTH)).toBe(true);
    expect(filters.join('\n')).toContain(
      `resource.labels.namespace_name="shop" AND resource.labels.pod_name=("cart-pcvpnpffgp-q7xkz" OR "cart-pcvpnpffgp-m2dtw") AND timestamp>="${at(START)}" AND timestamp<"${at(START + TEN_MINUTES)}"`,
    );
    const inWindow = line('cart-pcvpnpffgp-q7xkz', at(START + 5_000), REFUSED);
    const recent = line('storefront-vbrgw2s44-5fhf4', at(NOW - 60_000), REFUSED);
    const afterWindow = line('cart-pcvpnpffgp-q7xkz', at(START + TEN_MINUTES + 1_000), REFUSED);
    const otherPod = line('storefront-vbrgw2s44-5fhf4', at(START + 5_000), REFUSED);
    const otherNamespace = line('cart-pcvpnpffgp-q7xkz', at(START + 5_000), REFUSED, 'payments');
    const noMatch = line('cart-pcvpnpffgp-q7xkz', at(START + 6_000), 'Server listening at http://0.0.0.0:8080');
    const probe = {
      logName: 'projects/p/logs/events',
      timestamp: at(START + 3_000),
      resource: { type: 'k8s_pod', labels: { namespace_name: 'shop', pod_name: 'cart-pcvpnpffgp-m2dtw' } },
      jsonPayload: {
        kind: 'Event',
        reason: 'Unhealthy',
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cart-pcvpnpffgp-m2dtw' },
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      },
    } as LogEntry;

    expect(matched(filters, [inWindow, recent, afterWindow, otherPod, otherNamespace, noMatch, probe])).toEqual([
      inWindow,
      recent,
      probe,
    ]);
  });

  it('puts the start windows in the same filter when the signatures leave room', () => {
    const few = catalog.signatures.filter((sig) => /^(app-connection-refused|sidecar-(not-)?ready)$/.test(sig.id));

    const { filters, startWindowsRead } = buildLogQuery(few, {
      namespaces: ['shop'],
      sinceIso: SINCE,
      startWindows: [group('shop', ['cart-pcvpnpffgp-q7xkz'])],
    });

    expect(few).toHaveLength(3);
    expect(startWindowsRead).toBe(1);
    expect(filters).toHaveLength(1);
    expect(
      filters[0]!.startsWith(
        `(timestamp>="${SINCE}" OR (resource.labels.namespace_name="shop" AND resource.labels.pod_name="cart-pcvpnpffgp-q7xkz" AND timestamp>="${at(START)}" AND timestamp<"${at(START + TEN_MINUTES)}")) AND (`,
      ),
    ).toBe(true);
  });

  it('stays under the length limit with many pods: groups them, caps them and counts those left out', () => {
    const windows = Array.from({ length: 60 }, (_, g) =>
      group(
        `team-${String(g).padStart(2, '0')}`,
        Array.from({ length: 10 }, (_, p) => `checkout-7d9f8b6c5d-${String(g * 10 + p).padStart(5, 'x')}`),
        START - g * 60_000,
      ),
    );

    const { filters, startWindowsRead, startWindowsLeftOut } = buildLogQuery(
      catalog.signatures,
      { namespaces: null, sinceIso: SINCE, startWindows: windows },
      200,
    );

    expect(filters.length).toBeLessThanOrEqual(MAX_FILTERS);
    expect(filters.every((f) => f.length <= MAX_FILTER_LENGTH)).toBe(true);
    expect(startWindowsRead).toBeGreaterThan(0);
    expect(startWindowsRead).toBeLessThanOrEqual(200);
    expect(startWindowsRead + startWindowsLeftOut).toBe(600);
    // The first groups are the ones read.
    expect(filters.join('\n')).toContain('"team-00"');
    expect(filters.join('\n')).not.toContain('"team-59"');
  });

  it('reads no start window rather than exceed the number of filters', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      id: `s${i}`,
      pattern: `some fairly long distinctive error text number ${i} happened`,
    }));

    const plain = buildLogFilters(many, { namespaces: null, sinceIso: SINCE });
    const result = buildLogQuery(many, {
      namespaces: null,
      sinceIso: SINCE,
      startWindows: [group('shop', ['cart-1'])],
    });

    expect(plain.length).toBeGreaterThanOrEqual(MAX_FILTERS);
    expect(result.filters).toHaveLength(plain.length);
    expect(result).toMatchObject({ startWindowsRead: 0, startWindowsLeftOut: 1 });
  });
});

describe('which starts a live diagnosis reads', () => {
  const times = { nowMs: NOW, recentFromMs: NOW - 3_600_000 };
  const options = { horizonMs: 24 * 3_600_000, windowMs: TEN_MINUTES, limitBytes: 1024, maxWindows: 200 };

  const pod = (name: string, startMs: number, namespace = 'shop'): Pod => ({
    metadata: { name, namespace },
    spec: {
      initContainers: [{ name: 'istio-init' }],
      containers: [{ name: 'cart' }, { name: 'istio-proxy' }],
    },
    status: {
      initContainerStatuses: [
        {
          name: 'istio-init',
          restartCount: 0,
          state: { terminated: { exitCode: 0, startedAt: at(startMs), finishedAt: at(startMs + 1_000) } },
        },
      ],
      containerStatuses: [
        {
          name: 'cart',
          restartCount: 1,
          state: { running: { startedAt: at(startMs + 7_000) } },
          lastState: { terminated: { exitCode: 1, startedAt: at(startMs + 2_000), finishedAt: at(startMs + 5_000) } },
        },
        { name: 'istio-proxy', restartCount: 0, state: { running: { startedAt: at(startMs + 2_000) } } },
      ],
    },
  });

  it('lists every container instance with its start, the previous one of a restarted container too', () => {
    expect(containerInstances(pod('cart-1', START))).toEqual([
      { container: 'istio-init', previous: false, startMs: START },
      { container: 'cart', previous: false, startMs: START + 7_000 },
      { container: 'cart', previous: true, startMs: START + 2_000 },
      { container: 'istio-proxy', previous: false, startMs: START + 2_000 },
    ]);
  });

  it('reads a start only before the recent window and within the horizon, up to where the recent window begins', () => {
    expect(startWindow(START, times, options)).toEqual({ fromMs: START, toMs: START + TEN_MINUTES });
    expect(startWindow(times.recentFromMs - 60_000, times, options)).toEqual({
      fromMs: times.recentFromMs - 60_000,
      toMs: times.recentFromMs,
    });
    expect(startWindow(times.recentFromMs, times, options)).toBeNull();
    expect(startWindow(NOW - 30 * 3_600_000, times, options)).toBeNull();
    expect(startWindow(START, times, { ...options, horizonMs: 0 })).toBeNull();
    expect(startWindow(null, times, options)).toBeNull();
  });

  it('merges a pod’s starts and groups pods of a namespace that started close together, latest first', () => {
    const pods = [
      pod('cart-1', START),
      pod('cart-2', START + 60_000),
      pod('ledger-1', START + 30_000, 'payments'),
      pod('cart-3', START - 5 * 3_600_000),
      pod('cart-4', NOW - 30 * 3_600_000),
    ];

    const windows = podStartWindows(pods, times, options);
    const groups = groupStartWindows(windows, TEN_MINUTES);

    expect(windows.filter((w) => w.pod === 'cart-1')).toEqual([
      { namespace: 'shop', pod: 'cart-1', fromMs: START, toMs: START + 7_000 + TEN_MINUTES },
    ]);
    expect(windows.map((w) => w.pod)).not.toContain('cart-4');
    expect(groups).toEqual(
      [
        { namespace: 'shop', pods: ['cart-1', 'cart-2'], fromMs: START, toMs: START + 67_000 + TEN_MINUTES },
        { namespace: 'payments', pods: ['ledger-1'], fromMs: START + 30_000, toMs: START + 37_000 + TEN_MINUTES },
        {
          namespace: 'shop',
          pods: ['cart-3'],
          fromMs: START - 5 * 3_600_000,
          toMs: START - 5 * 3_600_000 + 7_000 + TEN_MINUTES,
        },
      ].sort((a, b) => b.fromMs - a.fromMs),
    );
  });

  it('keeps only the lines of a block inside the span, and drops a line cut by the byte limit', () => {
    const t = (ms: number) => new Date(ms).toISOString().replace('Z', '123456Z');
    const block = [
      `${t(START - 1_000)} from the previous run`,
      `${t(START + 1_000)} [ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:6379`,
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1606:16)',
      `${t(START + TEN_MINUTES)} already in the next window`,
      `${t(START + TEN_MINUTES + 1)} later`,
    ].join('\n');
    const span = { fromMs: START, toMs: START + TEN_MINUTES };

    expect(clipBlock(`${block}\n`, span, false)).toBe(
      `${t(START + 1_000)} [ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:6379\n` +
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1606:16)\n',
    );
    expect(clipBlock(block.slice(0, block.indexOf('oncomplete')), span, true)).toBe(
      `${t(START + 1_000)} [ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:6379\n`,
    );
    expect(clipBlock('', span, false)).toBe('');
  });
});
