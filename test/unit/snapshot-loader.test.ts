import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LogMatcher } from '../../src/collect/log-matcher';
import { loadSnapshot, readSnapshot, SnapshotError } from '../../src/collect/snapshot/load-snapshot';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const matcher = new LogMatcher([
  { id: 'refused', pattern: 'connection refused|ECONNREFUSED' },
  { id: 'uc', pattern: '" 503 UC |"response_code": ?"?503' },
]);

const pod = (name: string, ns = 'shop') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: ns,
    creationTimestamp: '2024-05-14T09:00:00Z',
    ownerReferences: [{ kind: 'ReplicaSet', name: 'cart-6d9f7c8b5b', controller: true }],
  },
});

function entry(text: string | Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    insertId: 'x',
    logName: 'projects/p/logs/stdout',
    resource: {
      type: 'k8s_container',
      labels: { namespace_name: 'shop', pod_name: 'cart-6d9f7c8b5b-abcde', container_name: 'cart' },
    },
    severity: 'ERROR',
    timestamp: '2024-05-14T09:05:00.123456789Z',
    ...(typeof text === 'string' ? { textPayload: text } : { jsonPayload: text }),
    ...extra,
  };
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function snap(files: Record<string, string>): string {
  const s = tmpSnapshot(files);
  cleanups.push(s.cleanup);
  return s.dir;
}

describe('loadSnapshot', () => {
  it('reads Lists, single objects, kind-less API lists and both Event APIs', async () => {
    const dir = snap({
      'cluster.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [pod('cart-6d9f7c8b5b-abcde'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
      }),
      'ns.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }),
      'raw.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'ServiceList',
        items: [{ metadata: { name: 'cart', namespace: 'shop' }, spec: {} }],
      }),
      'events.json': JSON.stringify({
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: 'e1', namespace: 'shop' },
            involvedObject: { kind: 'Pod', name: 'p', namespace: 'shop', fieldPath: 'spec.containers{istio-proxy}' },
            reason: 'Unhealthy',
            message: 'Readiness probe failed',
            type: 'Warning',
            count: 4,
            firstTimestamp: '2024-05-14T09:01:00Z',
            lastTimestamp: '2024-05-14T09:02:00Z',
          },
          {
            apiVersion: 'events.k8s.io/v1',
            kind: 'Event',
            metadata: { name: 'e2', namespace: 'shop' },
            regarding: { kind: 'ReplicaSet', name: 'rs', namespace: 'shop' },
            reason: 'FailedCreate',
            note: 'Error creating: boom',
            type: 'Warning',
            eventTime: null,
            deprecatedLastTimestamp: '2024-05-14T09:03:00Z',
            deprecatedCount: 2,
          },
        ],
      }),
    });

    const evidence = await loadSnapshot(dir, matcher);

    expect(evidence.objects.get('Pod')?.map((p) => p.metadata?.name)).toEqual(['cart-6d9f7c8b5b-abcde']);
    expect(
      evidence.objects
        .get('Namespace')
        ?.map((n) => n.metadata?.name)
        .sort(),
    ).toEqual(['other', 'shop']);
    expect(evidence.objects.get('Service')?.[0]?.kind).toBe('Service');
    expect(evidence.capturedKinds.has('Service')).toBe(true);
    expect(evidence.events).toEqual([
      {
        time: '2024-05-14T09:02:00Z',
        firstTime: '2024-05-14T09:01:00Z',
        ms: Date.parse('2024-05-14T09:02:00Z'),
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed',
        count: 4,
        object: { kind: 'Pod', namespace: 'shop', name: 'p', fieldPath: 'spec.containers{istio-proxy}' },
      },
      {
        time: '2024-05-14T09:03:00Z',
        firstTime: '2024-05-14T09:03:00Z',
        ms: Date.parse('2024-05-14T09:03:00Z'),
        type: 'Warning',
        reason: 'FailedCreate',
        message: 'Error creating: boom',
        count: 2,
        object: { kind: 'ReplicaSet', namespace: 'shop', name: 'rs', fieldPath: null },
      },
    ]);
    expect(evidence.now).toBe('2024-05-14T09:03:00.000Z');
  });

  it('reads gcloud arrays, JSONL, jsonPayload messages, Envoy JSON access logs and exported events', async () => {
    const exportedEvent = entry(
      {
        kind: 'Event',
        involvedObject: { kind: 'Pod', name: 'p', namespace: 'shop' },
        reason: 'BackOff',
        message: 'Back-off restarting',
        type: 'Warning',
        lastTimestamp: '2024-05-14T09:04:00Z',
      },
      { logName: 'projects/p/logs/events', resource: { type: 'k8s_pod', labels: {} } },
    );
    const dir = snap({
      'logs.json': JSON.stringify([
        entry('Error: connect ECONNREFUSED 10.0.0.5:6379'),
        entry('all good'),
        exportedEvent,
      ]),
      'more.jsonl': [
        JSON.stringify(entry({ message: 'dial tcp 10.0.0.5:5432: connect: connection refused' })),
        '',
        JSON.stringify(entry({ response_code: 503, response_flags: 'UC' })),
      ].join('\n'),
    });

    const evidence = await loadSnapshot(dir, matcher);

    // Same time, pod and container: ordered by text, whatever order the files listed them in.
    expect(evidence.logs.map((l) => [l.text.slice(0, 24), l.signatures])).toEqual([
      ['{"response_code":503,"re', ['uc']],
      ['dial tcp 10.0.0.5:5432: ', ['refused']],
      ['Error: connect ECONNREFU', ['refused']],
    ]);
    expect(evidence.logs[0]?.fields).toEqual({ response_code: 503, response_flags: 'UC' });
    expect(evidence.logs[0]).toMatchObject({
      namespace: 'shop',
      pod: 'cart-6d9f7c8b5b-abcde',
      container: 'cart',
      severity: 'ERROR',
    });
    expect(evidence.events.map((e) => e.reason)).toEqual(['BackOff']);
    expect(evidence.logLinesRead).toBe(4);
  });

  it('reads kubectl logs --timestamps files named NAMESPACE_POD_CONTAINER.log', async () => {
    const dir = snap({
      'shop_cart-6d9f7c8b5b-abcde_cart.log':
        '2024-05-14T09:00:01.000000001Z starting\n2024-05-14T09:00:01.5Z Error: connect ECONNREFUSED 10.0.0.5:6379\n2024-05-14T09:10:00Z done',
    });

    const evidence = await loadSnapshot(dir, matcher);

    expect(evidence.logs).toEqual([
      {
        namespace: 'shop',
        pod: 'cart-6d9f7c8b5b-abcde',
        container: 'cart',
        time: '2024-05-14T09:00:01.5Z',
        ms: Date.parse('2024-05-14T09:00:01.5Z'),
        severity: null,
        text: 'Error: connect ECONNREFUSED 10.0.0.5:6379',
        fields: null,
        signatures: ['refused'],
      },
    ]);
    expect(evidence.now).toBe('2024-05-14T09:10:00.000Z');
    expect(evidence.logLinesRead).toBe(3);
  });

  it.each([
    [{ 'a.json': '{"kind": "List", "items": [{"kind": "Pod"' }, 'a.json', /truncated JSON/],
    [{ 'a.json': '{"apiVersion": "v1", "spec": {}}' }, 'a.json', /wrong shape/],
    [{ 'a.json': '[{"hello": "world"}]' }, 'a.json', /wrong shape at element 0/],
    [{ 'a.jsonl': '{"textPayload": "x"}\n{"textPayload": ' }, 'a.jsonl', /line 2: invalid JSON/],
    [{ 'notes.txt': 'hello', 'x.yaml': 'kind: Pod' }, '', /no snapshot files found/],
  ])('rejects bad input %#, naming the file', async (files, file, problem) => {
    const dir = snap(files as Record<string, string>);

    const error = await loadSnapshot(dir, matcher).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as SnapshotError).file).toBe(file ? join(dir, file) : dir);
    expect((error as SnapshotError).problem).toMatch(problem);
  });

  it('skips empty and whitespace-only files with a warning each, and reads the rest', async () => {
    const dir = snap({
      'a.json': '',
      'b.json': '  \n\t\n',
      'c.jsonl': '',
      'big-blank.json': ' '.repeat(100_000),
      'shop_cart-6d9f7c8b5b-abcde_cart.log': '\n',
      'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [pod('cart-6d9f7c8b5b-abcde')] }),
    });

    const { evidence, warnings } = await readSnapshot(dir, matcher);

    expect(warnings).toEqual(
      ['a.json', 'b.json', 'big-blank.json', 'c.jsonl', 'shop_cart-6d9f7c8b5b-abcde_cart.log'].map((f) => ({
        file: join(dir, f),
        problem: 'empty file skipped',
      })),
    );
    expect(evidence.objects.get('Pod')).toHaveLength(1);
  });

  it('files a typed Gateway API list apart from Istio Gateways, items taking the list apiVersion', async () => {
    const dir = snap({
      'gw-api.json': JSON.stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayList',
        metadata: {},
        items: [{ metadata: { name: 'shop-gw', namespace: 'shop' }, spec: { gatewayClassName: 'istio' } }],
      }),
      'istio-gw.json': JSON.stringify({
        apiVersion: 'networking.istio.io/v1',
        kind: 'GatewayList',
        items: [],
      }),
    });

    const evidence = await loadSnapshot(dir, matcher);

    expect(evidence.objects.get('Gateway.gateway.networking.k8s.io')).toEqual([
      expect.objectContaining({
        apiVersion: 'gateway.networking.k8s.io/v1',
        metadata: expect.objectContaining({ name: 'shop-gw' }),
      }),
    ]);
    expect(evidence.objects.get('Gateway')).toBeUndefined();
    expect([...evidence.capturedKinds].sort()).toEqual(['Gateway', 'Gateway.gateway.networking.k8s.io']);
  });

  it('reads capture.json: "now" is the capture time and its checks come back', async () => {
    const checks = [{ id: 'read:secrets', status: 'skipped', detail: 'secrets not readable' }];
    const dir = snap({
      'capture.json': JSON.stringify({
        meshDoctorCapture: 1,
        capturedAt: '2024-05-14T10:00:00.000Z',
        namespace: 'shop',
        controlPlaneNamespaces: ['istio-system'],
        since: '1h',
        logs: { source: 'pod-logs' },
        checks,
      }),
      'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [pod('cart-6d9f7c8b5b-abcde')] }),
    });

    const loaded = await readSnapshot(dir, matcher);

    expect(loaded.evidence.now).toBe('2024-05-14T10:00:00.000Z');
    expect(loaded.checks).toEqual(checks);
    expect(loaded.warnings).toEqual([]);
  });

  it('refuses a capture.json of another version, naming it', async () => {
    const dir = snap({ 'capture.json': JSON.stringify({ meshDoctorCapture: 7, capturedAt: '2024-05-14T10:00:00Z' }) });

    await expect(loadSnapshot(dir, matcher)).rejects.toMatchObject({
      file: join(dir, 'capture.json'),
      problem: 'capture manifest version 7 is not 1',
    });
  });

  it('names a missing directory and an unreadable file', async () => {
    const dir = snap({ 'ok.json': '[]' });
    const missing = join(dir, 'nope');
    symlinkSync(join(dir, 'gone.json'), join(dir, 'broken.json'));

    await expect(loadSnapshot(missing, matcher)).rejects.toMatchObject({ file: missing, problem: 'no such directory' });
    await expect(loadSnapshot(join(dir, 'ok.json'), matcher)).rejects.toMatchObject({
      problem: expect.stringMatching(/not a directory/),
    });
    await expect(loadSnapshot(dir, matcher)).rejects.toMatchObject({
      file: join(dir, 'broken.json'),
      problem: 'a link to nothing (a broken symbolic link)',
    });
  });

  it('refuses a named pipe, a socket or a linked directory before opening anything, naming the file', async () => {
    const fifoDir = snap({ 'a-pods.json': JSON.stringify({ kind: 'List', items: [pod('cart-6d9f7c8b5b-abcde')] }) });
    execFileSync('mkfifo', [join(fifoDir, 'b-events.json')]);
    // Nothing ever writes to the pipe: a reader that opened it would wait forever.
    await expect(loadSnapshot(fifoDir, matcher)).rejects.toMatchObject({
      file: join(fifoDir, 'b-events.json'),
      problem: 'a named pipe (FIFO), not a captured file; remove it from the snapshot',
    });

    const socketDir = snap({ 'ok.json': '[]' });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(socketDir, 'agent.log'), resolve));
    try {
      await expect(loadSnapshot(socketDir, matcher)).rejects.toMatchObject({
        file: join(socketDir, 'agent.log'),
        problem: expect.stringMatching(/^a socket, not a captured file/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    const linkDir = snap({ 'ok.json': '[]' });
    symlinkSync(linkDir, join(linkDir, 'loop.json'));
    await expect(loadSnapshot(linkDir, matcher)).rejects.toMatchObject({
      problem: 'a link to a directory; copy the files into the snapshot',
    });

    const fileLinkDir = snap({ 'real.data': JSON.stringify({ kind: 'List', items: [pod('cart-6d9f7c8b5b-abcde')] }) });
    symlinkSync(join(fileLinkDir, 'real.data'), join(fileLinkDir, 'pods.json'));
    const evidence = await loadSnapshot(fileLinkDir, matcher);
    expect(evidence.objects.get('Pod')).toHaveLength(1);
  });

  it('reads a multi-megabyte log across chunk boundaries without splitting lines or characters', async () => {
    const lines = Array.from(
      { length: 40000 },
      (_, i) => `2024-05-14T09:00:00Z ${i % 3 === 0 ? 'connection refused' : 'ok'} café ☕ 日本 #${i}`,
    );
    const dir = snap({ 'shop_p_app.log': lines.join('\n') + '\n' });

    const evidence = await loadSnapshot(dir, matcher);

    expect(evidence.logLinesRead).toBe(40000);
    expect(evidence.signatureCounts.get('refused')).toBe(Math.ceil(40000 / 3));
    expect(evidence.logs.every((l) => /^connection refused café ☕ 日本 #[0-9]+$/.test(l.text))).toBe(true);
  });

  it('keeps a bounded number of matching lines per source while counting them all', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) =>
        `2024-05-14T09:${String(Math.floor(i / 100)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z connect: connection refused #${i}`,
    );
    const dir = snap({ 'shop_p_app.log': lines.join('\n') });

    const evidence = await loadSnapshot(dir, matcher);

    expect(evidence.signatureCounts.get('refused')).toBe(5000);
    expect(evidence.logs.length).toBeLessThanOrEqual(300);
    expect(evidence.logs[0]?.text).toContain('#0');
  });
});
