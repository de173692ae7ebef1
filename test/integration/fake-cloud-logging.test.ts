import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry, Logging } from '@google-cloud/logging';
import type { FakeLogging, FakeLoggingOptions, LogEntry } from '../fakes/cloud-logging';
import { connectLogging, entriesFromSnapshot, parseFilter, startFakeLogging } from '../fakes/cloud-logging';
import { EntryStore } from '../fakes/cloud-logging/entry-store';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PROJECT = 'fake-project';
/** Mentioning `timestamp` stops the client from appending its own 24 h bound. */
const SINCE = 'timestamp>="2024-05-21T00:00:00Z"';

function container(
  insertId: string,
  timestamp: string,
  [namespace, pod, name]: [string, string, string],
  payload: Pick<LogEntry, 'textPayload' | 'jsonPayload'>,
  extra: Partial<LogEntry> = {},
): LogEntry {
  return {
    insertId,
    logName: `projects/${PROJECT}/logs/stdout`,
    timestamp,
    resource: {
      type: 'k8s_container',
      labels: {
        project_id: PROJECT,
        cluster_name: 'prod',
        namespace_name: namespace,
        pod_name: pod,
        container_name: name,
      },
    },
    ...payload,
    ...extra,
  };
}

/**
 * A small mesh: sidecar access logs, an app error, istiod, a JSON log, an event and an entry in a log whose ID
 * has a slash. (Real audit entries carry a `protoPayload` of type AuditLog, which the client cannot decode
 * over REST: see the protoPayload test.)
 */
const ENTRIES: LogEntry[] = [
  container(
    'proxy-503',
    '2024-05-21T10:00:01.000000100Z',
    ['shop', 'cart-1', 'istio-proxy'],
    { textPayload: '[2024-05-21T10:00:01.000Z] "GET /cart HTTP/1.1" 503 UC upstream_reset_before_response_started' },
    { severity: 'WARNING' },
  ),
  container(
    'app-refused',
    '2024-05-21T10:00:01.000000099Z',
    ['shop', 'cart-1', 'cart'],
    { textPayload: 'dial tcp 10.0.0.7:6379: connect: ECONNREFUSED' },
    { severity: 'ERROR', labels: { 'k8s-pod/app': 'cart' } },
  ),
  container(
    'proxy-200',
    '2024-05-21T10:00:03Z',
    ['shop', 'web-1', 'istio-proxy'],
    { textPayload: '"GET / HTTP/1.1" 200 - via_upstream' },
    { severity: 'INFO', labels: { 'k8s-pod/app': 'web' } },
  ),
  container(
    'istiod-rbac',
    '2024-05-21T10:00:04Z',
    ['istio-system', 'istiod-1', 'discovery'],
    { textPayload: 'error: pods is forbidden: cannot list resource "pods" in API group ""' },
    { severity: 'ERROR' },
  ),
  container('app-json', '2024-05-21T12:00:05+02:00', ['shop', 'cart-1', 'cart'], {
    jsonPayload: { message: 'Upstream Connect Error', status: 503, retries: [1, 2] },
  }),
  {
    insertId: 'event-failed-create',
    logName: `projects/${PROJECT}/logs/events`,
    timestamp: '2024-05-21T10:00:06Z',
    severity: 'WARNING',
    resource: { type: 'k8s_cluster', labels: { project_id: PROJECT, cluster_name: 'prod' } },
    jsonPayload: {
      kind: 'Event',
      reason: 'FailedCreate',
      message: 'Error creating: Internal error occurred: failed calling webhook "sidecar-injector.istio.io"',
      involvedObject: { kind: 'ReplicaSet', name: 'cart-6d9f', namespace: 'shop' },
    },
  },
  {
    insertId: 'audit',
    logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`,
    timestamp: '2024-05-21T10:00:07Z',
    severity: 'NOTICE',
    resource: { type: 'k8s_cluster', labels: { project_id: PROJECT, cluster_name: 'prod' } },
    jsonPayload: { methodName: 'io.k8s.core.v1.pods.create' },
  },
];

async function withFake(options: FakeLoggingOptions, run: (fake: FakeLogging, logging: Logging) => Promise<void>) {
  const fake = await startFakeLogging(options);
  try {
    await run(fake, connectLogging(fake));
  } finally {
    await fake.close();
  }
}

function ids(entries: Entry[]): (string | undefined)[] {
  return entries.map((e) => e.metadata.insertId ?? undefined);
}

type GetEntriesRequest = NonNullable<Parameters<Logging['getEntries']>[0]>;

/** The page token of the client's `nextRequest`, if there is one. */
function tokenOf(nextRequest: unknown): string | undefined {
  return (nextRequest as { pageToken?: string } | null)?.pageToken ?? undefined;
}

async function listIds(logging: Logging, filter: string, request: GetEntriesRequest = {}) {
  const [entries] = await logging.getEntries({
    filter,
    orderBy: 'timestamp asc',
    pageSize: 1000,
    autoPaginate: false,
    ...request,
  });
  return ids(entries);
}

/** The error the client rejects with, as far as callers can rely on it. */
async function failure(promise: Promise<unknown>): Promise<{ code: unknown; status: unknown; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: unknown; status?: unknown; message: string };
    return { code: e.code, status: e.status, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('filters, evaluated behind the real @google-cloud/logging client', () => {
  let fake: FakeLogging;
  let logging: Logging;

  beforeAll(async () => {
    fake = await startFakeLogging({ entries: ENTRIES });
    logging = connectLogging(fake);
  });

  afterAll(() => fake.close());

  it('sends POST /v2/entries:list with the filter, order, page size and project, as given', async () => {
    const before = fake.requests.length;

    const got = await listIds(logging, `${SINCE} resource.labels.namespace_name="shop"`, { orderBy: 'timestamp desc' });

    expect(got).toEqual(['app-json', 'proxy-200', 'proxy-503', 'app-refused']);
    expect(fake.requests.slice(before)).toEqual([
      {
        filter: `${SINCE} resource.labels.namespace_name="shop"`,
        orderBy: 'timestamp desc',
        pageSize: 1000,
        pageToken: undefined,
        resourceNames: [`projects/${PROJECT}`],
      },
    ]);
  });

  it.each([
    [
      'resource labels',
      'resource.labels.namespace_name="shop" resource.labels.container_name="istio-proxy"',
      ['proxy-503', 'proxy-200'],
    ],
    ['=~ over textPayload (escaped quote)', 'textPayload=~"\\" 503 UC "', ['proxy-503']],
    ['=~ alternation', 'textPayload=~"ECONNREFUSED|cannot list resource"', ['app-refused', 'istiod-rbac']],
    [
      '=~ with RE2 (?i) and \\d',
      'textPayload=~"(?i)econnrefused" OR textPayload=~"\\" \\d{3} - "',
      ['app-refused', 'proxy-200'],
    ],
    [
      '!~ (a missing field counts as not matching)',
      'resource.labels.namespace_name="shop" textPayload!~"GET"',
      ['app-refused', 'app-json'],
    ],
    ['jsonPayload.message : (case-insensitive substring)', 'jsonPayload.message:"upstream connect"', ['app-json']],
    ['jsonPayload.message = (exact)', 'jsonPayload.message="upstream connect error"', []],
    [
      'numbers compared as numbers',
      'jsonPayload.status>=500 jsonPayload.status<600 jsonPayload.status=503.0',
      ['app-json'],
    ],
    ['any element of an array', 'jsonPayload.retries=2', ['app-json']],
    ['log_id("events")', 'log_id("events")', ['event-failed-create']],
    ['log_id with a slash (%2F in logName)', 'log_id("cloudaudit.googleapis.com/activity")', ['audit']],
    [
      'an event query from the catalog',
      'log_id("events") jsonPayload.reason="FailedCreate" jsonPayload.message:"sidecar-injector.istio.io"',
      ['event-failed-create'],
    ],
    ['value groups', 'jsonPayload.reason=("BackOff" OR "FailedCreate")', ['event-failed-create']],
    ['quoted field segments', 'labels."k8s-pod/app"="cart"', ['app-refused']],
    ['FIELD:* (field exists)', 'jsonPayload.message:*', ['app-json', 'event-failed-create']],
    [
      '!= on a missing field is true',
      'resource.labels.namespace_name!="shop"',
      ['istiod-rbac', 'event-failed-create', 'audit'],
    ],
    ['severity order', 'severity>=WARNING', ['app-refused', 'proxy-503', 'istiod-rbac', 'event-failed-create']],
    ['a missing severity is DEFAULT', 'severity<INFO', ['app-json']],
    ['severity by name, any case', 'severity=notice', ['audit']],
    ['NOT', 'NOT resource.labels.namespace_name="shop" NOT log_id("events")', ['istiod-rbac', 'audit']],
    ['- prefix', '-resource.type="k8s_container"', ['event-failed-create', 'audit']],
    [
      'timestamps as times, to the nanosecond and across offsets',
      'timestamp>"2024-05-21T10:00:01.000000099Z" timestamp<="2024-05-21T10:00:05Z"',
      ['proxy-503', 'proxy-200', 'istiod-rbac', 'app-json'],
    ],
    [
      'timestamp with an offset',
      'timestamp>="2024-05-21T12:00:05+02:00" timestamp<"2024-05-21T10:00:07Z"',
      ['app-json', 'event-failed-create'],
    ],
  ])('%s: %s', async (_name, filter, expected) => {
    const filterWithTime = filter.includes('timestamp') ? filter : `${SINCE} (${filter})`;

    await expect(listIds(logging, filterWithTime)).resolves.toEqual(expected);
  });

  it('binds OR tighter than AND, and NOT tighter than both', async () => {
    const a = 'resource.labels.namespace_name="istio-system"';
    const b = 'resource.labels.container_name="cart"';
    const c = 'severity=ERROR';

    const orFirst = await listIds(logging, `${SINCE} ${a} AND ${b} OR ${c}`);
    const grouped = await listIds(logging, `${SINCE} (${a} AND ${b}) OR ${c}`);
    const notFirst = await listIds(logging, `${SINCE} NOT ${a} OR ${b}`);

    expect(orFirst).toEqual(['istiod-rbac']);
    expect(grouped).toEqual(['app-refused', 'istiod-rbac']);
    expect(notFirst).toEqual(['app-refused', 'proxy-503', 'proxy-200', 'app-json', 'event-failed-create', 'audit']);
  });

  it('takes newlines as AND', async () => {
    const filter = `${SINCE}\nresource.type="k8s_container"\n  resource.labels.pod_name="cart-1"\nseverity>=ERROR`;

    await expect(listIds(logging, filter)).resolves.toEqual(['app-refused']);
  });
});

describe('filter syntax tree', () => {
  const cmp = (field: string[], op: string, text: string, number: number | null = null) => ({
    type: 'compare',
    field,
    op,
    value: { text, number },
  });

  it('parses a AND b OR c as a AND (b OR c), and NOT a OR b as (NOT a) OR b', () => {
    expect(parseFilter('severity=ERROR AND logName="x" OR textPayload:y')).toEqual({
      type: 'and',
      items: [
        cmp(['severity'], '=', 'ERROR'),
        { type: 'or', items: [cmp(['logName'], '=', 'x'), cmp(['textPayload'], ':', 'y')] },
      ],
    });
    expect(parseFilter('NOT severity=ERROR OR -logName="x"')).toEqual({
      type: 'or',
      items: [
        { type: 'not', item: cmp(['severity'], '=', 'ERROR') },
        { type: 'not', item: cmp(['logName'], '=', 'x') },
      ],
    });
  });

  it('expands value groups, reads quoted segments, escapes and numbers', () => {
    expect(parseFilter('labels."k8s-pod/app"=("a\\"b" OR 5)')).toEqual({
      type: 'or',
      items: [cmp(['labels', 'k8s-pod/app'], '=', 'a"b'), cmp(['labels', 'k8s-pod/app'], '=', '5', 5)],
    });
    expect(parseFilter('textPayload=~"a\\\\b\\d"')).toEqual(cmp(['textPayload'], '=~', 'a\\b\\d'));
    expect(parseFilter('  ')).toEqual({ type: 'all' });
  });
});

describe('filters outside the supported subset are 400 INVALID_ARGUMENT', () => {
  let fake: FakeLogging;
  let logging: Logging;

  beforeAll(async () => {
    fake = await startFakeLogging({ entries: ENTRIES });
    logging = connectLogging(fake);
  });

  afterAll(() => fake.close());

  it.each([
    ['SEARCH("ECONNREFUSED")', 'unsupported function SEARCH()'],
    ['sample(insertId, 0.1)', 'unsupported function sample()'],
    ['"ECONNREFUSED"', 'global restriction'],
    ['ECONNREFUSED', 'global restriction'],
    ['jsonPayload.message=NULL_VALUE', 'NULL_VALUE'],
    ['textPayload=~"(?=x)"', 'look-around'],
    ['textPayload=~"(a)\\1"', 'back-reference'],
    ['textPayload=~"a(?i)b"', 'inline flags'],
    ['foo.bar="x"', 'unknown field "foo"'],
    ['insertId = abc:def', 'quote values'],
    ['severity>=LOUD', 'unknown severity'],
    ['timestamp>="yesterday"', 'not an RFC 3339 timestamp'],
    ['resource.type="k8s_container" AND', 'end of the filter'],
    ['(resource.type="k8s_container"', 'expected ")"'],
    ['resource.type="k8s_container" and severity=ERROR', 'global restriction'],
    ['-- a comment', 'comment'],
  ])('%s', async (filter, named) => {
    const error = await failure(listIds(logging, `${SINCE} ${filter}`));

    expect(error.code).toBe(400);
    expect(JSON.parse(error.message)).toEqual({
      error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining(named) },
    });
  });

  it('rejects filters longer than 20,000 characters', async () => {
    const filter = `${SINCE} textPayload:"${'x'.repeat(20_000)}"`;

    const error = await failure(listIds(logging, filter));

    expect(error.code).toBe(400);
    expect(error.message).toContain('the limit is 20000');
  });
});

describe('client behaviour', () => {
  it('appends a 24 h timestamp bound to a filter that does not mention timestamp', async () => {
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const entries = [
      ...ENTRIES,
      container('recent', recent, ['shop', 'cart-1', 'cart'], { textPayload: 'still refused' }),
    ];

    await withFake({ entries }, async (fake, logging) => {
      const got = await listIds(logging, 'resource.labels.namespace_name="shop"');

      expect(got).toEqual(['recent']);
      expect(fake.requests[0]?.filter).toMatch(
        /^resource\.labels\.namespace_name="shop" AND timestamp >= "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/,
      );
    });
  });

  it('defaults to timestamp desc when no orderBy is given', async () => {
    await withFake({ entries: ENTRIES }, async (fake, logging) => {
      const [entries] = await logging.getEntries({ filter: `${SINCE} severity=ERROR`, autoPaginate: false });

      expect(ids(entries)).toEqual(['istiod-rbac', 'app-refused']);
      expect(fake.requests[0]).toMatchObject({ orderBy: 'timestamp desc', pageSize: undefined });
    });
  });
});

describe('protoPayload', () => {
  it('must name its type, and the client cannot decode audit logs over REST', async () => {
    const audit: LogEntry = {
      insertId: 'audit',
      logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`,
      timestamp: '2024-05-21T10:00:07Z',
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        methodName: 'io.k8s.core.v1.pods.create',
      },
    };

    await expect(startFakeLogging({ entries: [{ ...audit, protoPayload: { methodName: 'x' } }] })).rejects.toThrow(
      'protoPayload without "@type"',
    );
    await withFake({ entries: [audit] }, async (_fake, logging) => {
      await expect(listIds(logging, `${SINCE} log_id("cloudaudit.googleapis.com/activity")`)).rejects.toThrow(
        'cannot find type google.cloud.audit.AuditLog',
      );
    });
  });
});

function numbered(n: number, start = Date.UTC(2024, 4, 21, 10)): LogEntry[] {
  return Array.from({ length: n }, (_, i) =>
    container(`e${i}`, new Date(start + Math.floor(i / 3) * 1000).toISOString(), ['shop', `pod-${i % 7}`, 'app'], {
      textPayload: `line ${i}`,
    }),
  );
}

describe('paging', () => {
  const entries = numbered(2345);

  it.each(['asc', 'desc'] as const)(
    'returns each entry exactly once, in order, over pages of 1000 (%s)',
    async (order) => {
      await withFake({ entries }, async (fake, logging) => {
        const pages: string[][] = [];
        let pageToken: string | undefined;

        do {
          const [page, next] = await logging.getEntries({
            filter: SINCE,
            orderBy: `timestamp ${order}`,
            pageSize: 1000,
            autoPaginate: false,
            pageToken,
          });
          pages.push(ids(page) as string[]);
          pageToken = tokenOf(next);
        } while (pageToken);

        const expected = entries.map((e) => e.insertId as string);
        expect(pages.map((p) => p.length)).toEqual([1000, 1000, 345]);
        expect(pages.flat()).toEqual(order === 'asc' ? expected : [...expected].reverse());
        expect(fake.requests.map((r) => r.pageToken === undefined)).toEqual([true, false, false]);
      });
    },
  );

  it('gives no token when the last page is exactly full', async () => {
    await withFake({ entries: numbered(2000) }, async (fake, logging) => {
      const [first, next] = await logging.getEntries({ filter: SINCE, pageSize: 1000, autoPaginate: false });
      const [second, last] = await logging.getEntries({
        filter: SINCE,
        pageSize: 1000,
        pageToken: tokenOf(next),
        autoPaginate: false,
      });

      expect([first.length, second.length]).toEqual([1000, 1000]);
      expect(last).toBeNull();
      expect(fake.requests).toHaveLength(2);
    });
  });

  it('is followed by the client with autoPaginate: true', async () => {
    await withFake({ entries }, async (fake, logging) => {
      const filter = `${SINCE} resource.labels.pod_name="pod-3"`;

      const [all] = await logging.getEntries({ filter, pageSize: 100, autoPaginate: true });

      expect(all).toHaveLength(entries.filter((e) => e.resource?.labels?.pod_name === 'pod-3').length);
      expect(new Set(ids(all)).size).toBe(all.length);
      expect(fake.requests.map((r) => r.pageSize)).toEqual([100, 100, 100, 100]);
    });
  });

  it('is not followed when pageSize is given without autoPaginate (client behaviour)', async () => {
    await withFake({ entries }, async (fake, logging) => {
      const [one] = await logging.getEntries({ filter: SINCE, pageSize: 100 });
      const [all] = await logging.getEntries({ filter: SINCE });

      expect(one).toHaveLength(100);
      expect(all).toHaveLength(entries.length);
      expect(fake.requests).toHaveLength(1 + Math.ceil(entries.length / 50));
    });
  });

  it('answers empty pages with a token first when asked to, as the service does while searching', async () => {
    await withFake({ entries: ENTRIES, emptyPagesBeforeData: 2 }, async (fake, logging) => {
      const request = { filter: `${SINCE} severity>=ERROR`, orderBy: 'timestamp asc', autoPaginate: false };

      const [first, next1, raw1] = await logging.getEntries(request);
      const [second, next2] = await logging.getEntries({ ...request, pageToken: tokenOf(next1) });
      const [third, next3] = await logging.getEntries({ ...request, pageToken: tokenOf(next2) });
      const [auto] = await logging.getEntries({ ...request, autoPaginate: true });

      expect([first.length, second.length]).toEqual([0, 0]);
      expect(raw1).toMatchObject({ entries: [], nextPageToken: expect.any(String) });
      expect(next1).toMatchObject({ pageToken: expect.any(String) });
      expect(next2).toMatchObject({ pageToken: expect.any(String) });
      expect(ids(third)).toEqual(['app-refused', 'istiod-rbac']);
      expect(next3).toBeNull();
      expect(ids(auto)).toEqual(['app-refused', 'istiod-rbac']);
      expect(fake.requests).toHaveLength(6);
    });
  });

  it('keeps equal timestamps in input order, and desc is the exact reverse', async () => {
    const same = numbered(6).map((e) => ({ ...e, timestamp: '2024-05-21T10:00:00Z' }));

    await withFake({ entries: same }, async (_fake, logging) => {
      await expect(listIds(logging, SINCE)).resolves.toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
      await expect(listIds(logging, SINCE, { orderBy: 'timestamp desc' })).resolves.toEqual([
        'e5',
        'e4',
        'e3',
        'e2',
        'e1',
        'e0',
      ]);
    });
  });

  it('uses 50 when pageSize is not given and rejects sizes above 1000 or below 0', async () => {
    await withFake({ entries }, async (_fake, logging) => {
      const [page] = await logging.getEntries({ filter: SINCE, autoPaginate: false });
      const tooBig = await failure(logging.getEntries({ filter: SINCE, pageSize: 1001, autoPaginate: false }));
      const negative = await failure(logging.getEntries({ filter: SINCE, pageSize: -1, autoPaginate: false }));

      expect(page).toHaveLength(50);
      expect(tooBig).toMatchObject({
        code: 400,
        message: expect.stringContaining('pageSize must be between 0 and 1000'),
      });
      expect(negative).toMatchObject({ code: 400, message: expect.stringContaining('got -1') });
    });
  });

  it('rejects a page token used with another filter, and an unknown token', async () => {
    await withFake({ entries }, async (_fake, logging) => {
      const [, next] = await logging.getEntries({ filter: SINCE, pageSize: 10, autoPaginate: false });
      const pageToken = tokenOf(next);

      const other = await failure(
        logging.getEntries({ filter: `${SINCE} severity=ERROR`, pageSize: 10, pageToken, autoPaginate: false }),
      );
      const unknown = await failure(logging.getEntries({ filter: SINCE, pageToken: 'nope', autoPaginate: false }));

      expect(other).toMatchObject({ code: 400, message: expect.stringContaining('different filter') });
      expect(unknown).toMatchObject({ code: 400, message: expect.stringContaining('Invalid page token') });
    });
  });
});

describe('errors', () => {
  it('surfaces 429 RESOURCE_EXHAUSTED as a GaxiosError with code 429, without retrying', async () => {
    await withFake({ entries: ENTRIES }, async (fake, logging) => {
      fake.faults.add({ status: 429 });

      const error = await failure(listIds(logging, SINCE));
      const after = await listIds(logging, `${SINCE} severity=ERROR`);

      expect(error).toMatchObject({ code: 429, status: 429 });
      expect(JSON.parse(error.message)).toMatchObject({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: expect.stringContaining("quota metric 'Read requests'"),
        },
      });
      expect(after).toEqual(['app-refused', 'istiod-rbac']);
      expect(fake.requests).toHaveLength(2);
    });
  });

  it.each([
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
  ] as const)(
    'does not retry %i %s either (the REST transport reports HTTP codes, not gRPC ones)',
    async (status, name) => {
      await withFake({ entries: ENTRIES }, async (fake, logging) => {
        fake.faults.add({ status, times: 2 });

        const first = await failure(listIds(logging, SINCE));
        const second = await failure(listIds(logging, SINCE));
        const third = await listIds(logging, `${SINCE} severity=ERROR`);

        expect(first).toMatchObject({ code: status, status });
        expect(JSON.parse(first.message)).toMatchObject({ error: { code: status, status: name } });
        expect(second).toMatchObject({ code: status });
        expect(third).toHaveLength(2);
        expect(fake.requests).toHaveLength(3);
      });
    },
  );

  it('delays a fault, and clear() removes pending ones', async () => {
    await withFake({ entries: ENTRIES }, async (fake, logging) => {
      fake.faults.add({ status: 503, delayMs: 150 });
      fake.faults.add({ status: 429, times: Infinity });
      const started = Date.now();

      const delayed = await failure(listIds(logging, SINCE));
      const elapsed = Date.now() - started;
      const quota = await failure(listIds(logging, SINCE));
      fake.faults.clear();
      const ok = await listIds(logging, `${SINCE} severity=ERROR`);

      expect(delayed.code).toBe(503);
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(quota.code).toBe(429);
      expect(ok).toHaveLength(2);
    });
  });

  it('refuses another project with 403 PERMISSION_DENIED', async () => {
    await withFake({ entries: ENTRIES }, async (_fake, logging) => {
      const error = await failure(listIds(logging, SINCE, { resourceNames: ['projects/someone-else'] }));

      expect(error.code).toBe(403);
      expect(JSON.parse(error.message)).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    });
  });

  it('answers 401 without credentials and 404 (recorded) for anything but entries:list', async () => {
    await withFake({ entries: ENTRIES }, async (fake) => {
      const body = JSON.stringify({ resourceNames: [`projects/${PROJECT}`] });

      const anonymous = await fetch(`${fake.url}/v2/entries:list`, { method: 'POST', body });
      const write = await fetch(`${fake.url}/v2/entries:write`, {
        method: 'POST',
        body,
        headers: { authorization: 'Bearer x' },
      });

      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
      expect(write.status).toBe(404);
      expect(fake.unexpectedRequests).toEqual(['POST /v2/entries:write']);
    });
  });
});

describe('entriesFromSnapshot', () => {
  it('turns kubectl logs into k8s_container stdout entries and events.k8s.io events into the events log', async () => {
    const dir = join(EXAMPLES, 'vault-injection-race');

    const entries = await entriesFromSnapshot(dir, { projectId: 'acme' });

    const initLines = readFileSync(join(dir, 'billing_invoice-api-tqgd2j26kh-8kqzp_istio-init.log'), 'utf8')
      .split('\n')
      .filter((line) => line.replace(/^\S+ ?/, '').trim() !== '');
    const init = entries.filter((e) => e.resource?.labels?.container_name === 'istio-init');
    expect(init).toHaveLength(initLines.length);
    expect(init[0]).toEqual({
      insertId: 'billing_invoice-api-tqgd2j26kh-8kqzp_istio-init.log:1',
      logName: 'projects/acme/logs/stdout',
      resource: {
        type: 'k8s_container',
        labels: {
          project_id: 'acme',
          location: 'us-central1',
          cluster_name: 'snapshot',
          namespace_name: 'billing',
          pod_name: 'invoice-api-tqgd2j26kh-8kqzp',
          container_name: 'istio-init',
        },
      },
      timestamp: '2024-05-21T10:02:11.380114366Z',
      severity: 'DEFAULT',
      textPayload: '2024-05-21T10:02:11.380074Z\tinfo\tIstio iptables environment:',
    });

    const events = entries.filter((e) => e.logName === 'projects/acme/logs/events');
    expect(events).toHaveLength(9);
    expect(events.every((e) => e.jsonPayload?.apiVersion === 'v1' && !('regarding' in (e.jsonPayload ?? {})))).toBe(
      true,
    );
    expect(events.find((e) => e.jsonPayload?.reason === 'Scheduled')).toMatchObject({
      timestamp: '2024-05-21T10:02:09.320007Z',
      severity: 'INFO',
      resource: { type: 'k8s_pod', labels: { namespace_name: 'billing', pod_name: 'invoice-api-tqgd2j26kh-8kqzp' } },
      jsonPayload: { kind: 'Event', involvedObject: { kind: 'Pod', name: 'invoice-api-tqgd2j26kh-8kqzp' } },
    });
    expect(events.find((e) => e.jsonPayload?.reason === 'ScalingReplicaSet')).toMatchObject({
      timestamp: '2024-05-21T10:02:09Z',
      resource: { type: 'k8s_cluster', labels: { project_id: 'acme', cluster_name: 'snapshot' } },
      jsonPayload: {
        message: 'Scaled up replica set invoice-api-tqgd2j26kh to 1',
        involvedObject: { kind: 'Deployment', name: 'invoice-api' },
        source: { component: 'deployment-controller' },
        count: 1,
        lastTimestamp: '2024-05-21T10:02:09Z',
      },
    });

    const jsonl = readFileSync(join(dir, 'reports-logs.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(entries.filter((e) => e.logName?.startsWith('projects/acme-prod/'))).toEqual(
      jsonl.map((l) => JSON.parse(l)),
    );
    expect(entries.some((e) => 'kind' in e)).toBe(false);
  });

  it('takes gcloud arrays and exported events as they are and skips other Kubernetes objects', async () => {
    const dir = join(EXAMPLES, 'proxy-startup-econnrefused');
    const lines = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));

    const entries = await entriesFromSnapshot(dir);

    expect(readdirSync(dir).sort()).toEqual(['cluster.json', 'events.jsonl', 'logs-cart.json', 'logs-other.jsonl']);
    expect(entries).toEqual([
      ...lines('events.jsonl'),
      ...JSON.parse(readFileSync(join(dir, 'logs-cart.json'), 'utf8')),
      ...lines('logs-other.jsonl'),
    ]);
  });

  it('serves a snapshot to the client', async () => {
    await withFake({ snapshotDir: join(EXAMPLES, 'vault-injection-race') }, async (fake, logging) => {
      const events = await listIds(
        logging,
        `${SINCE} log_id("events") resource.type="k8s_pod" jsonPayload.reason="Started"`,
      );
      const vault = await listIds(
        logging,
        `${SINCE} resource.labels.namespace_name="billing" resource.labels.container_name="vault-agent-init" textPayload=~"connection refused|i/o timeout"`,
      );

      expect(events).toHaveLength(2);
      expect(vault.length).toBeGreaterThan(0);
      expect(fake.entries().length).toBeGreaterThan(150);
    });
  });
});

describe('scale', () => {
  const N = 200_000;
  const two = (n: number) => `${n}`.padStart(2, '0');
  let reads = 0;
  let entries: LogEntry[] = [];
  const alternation = Array.from({ length: 200 }, (_, i) => `upstream_reset_${i}\\b`).join('|');
  const filter = `${SINCE} resource.labels.container_name="istio-proxy" textPayload=~"${alternation}"`;

  /** Entries 10 ms apart; every other one is a 503 UC line. Reading `textPayload` is counted. */
  beforeAll(() => {
    entries = Array.from({ length: N }, (_, i): LogEntry => {
      const text =
        i % 2 === 0 ? `"GET /item/${i} HTTP/1.1" 503 UC upstream_reset_${i % 250}` : `"GET / HTTP/1.1" 200 - ok ${i}`;
      return {
        insertId: `n${i}`,
        timestamp: `2024-05-21T10:${two(Math.floor(i / 6000))}:${two(Math.floor(i / 100) % 60)}.${`${(i % 100) * 10}`.padStart(3, '0')}Z`,
        logName: `projects/${PROJECT}/logs/stdout`,
        resource: { type: 'k8s_container', labels: { namespace_name: 'shop', container_name: 'istio-proxy' } },
        get textPayload() {
          reads++;
          return text;
        },
      };
    });
  });

  it('pages 200,000 entries with a 200-way regex alternation, each entry looked at once', () => {
    const store = new EntryStore(entries);
    reads = 0;
    let total = 0;
    let pages = 0;
    let pageToken: string | null = null;

    do {
      const page = store.list({ filter, order: 'desc', pageSize: 1000, pageToken });
      total += page.entries.length;
      pages++;
      pageToken = page.nextPageToken ?? null;
    } while (pageToken);

    expect(total).toBe(80_000);
    expect(pages).toBe(80);
    expect(reads).toBeLessThanOrEqual(N + pages);
  });

  it('serves them to the real client', async () => {
    await withFake({ entries }, async (fake, logging) => {
      const [page, next] = await logging.getEntries({
        filter: `${filter} textPayload=~"/item/1\\d{4} "`,
        orderBy: 'timestamp asc',
        pageSize: 1000,
        autoPaginate: false,
      });

      expect(page).toHaveLength(1000);
      expect(page[0]?.metadata.insertId).toBe('n10000');
      expect(next).toMatchObject({ pageToken: expect.any(String) });
      expect(fake.requests).toHaveLength(1);
    });
  });
});
