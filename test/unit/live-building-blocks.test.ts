import { buildLogFilters, MAX_FILTER_LENGTH, quote } from '../../src/collect/live/log-query';
import { kubeTime, toPlain } from '../../src/collect/live/plain-object';
import { judgeKubeError } from '../../src/collect/live/api-errors';
import { limiter, withRetry } from '../../src/collect/live/retry';
import { catalog } from '../helpers/diagnose-dir';

const fast = { attempts: 4, baseMs: 1, maxMs: 5, timeoutMs: 200 };

describe('Cloud Logging filters', () => {
  it('asks for every signature, events and traffic logs in at most two filters, scoped to the namespaces', () => {
    const filters = buildLogFilters(catalog.signatures, {
      namespaces: ['shop', 'istio-system'],
      sinceIso: '2024-05-14T09:00:00Z',
    });

    // The catalog's signatures, repeated for each payload field a line can arrive in, need two filters.
    expect(filters.length).toBeLessThanOrEqual(2);
    expect(filters.every((f) => f.length <= MAX_FILTER_LENGTH)).toBe(true);
    expect(catalog.signatures.every((s) => filters.some((f) => f.includes(quote(s.pattern).slice(1, -1))))).toBe(true);
    expect(filters.filter((f) => f.includes('log_id("events")'))).toHaveLength(1);
    const filter = filters[0]!;
    expect(filter.startsWith('timestamp>="2024-05-14T09:00:00Z" AND (')).toBe(true);
    expect(filter).toContain(
      '(resource.labels.namespace_name="shop" OR resource.labels.namespace_name="istio-system")',
    );
    expect(filter).toContain('log_id("events") AND (jsonPayload.involvedObject.namespace="shop"');
    expect(filter).toContain('httpRequest.status=503');
    for (const field of ['textPayload', 'jsonPayload.message', 'jsonPayload.log'])
      expect(filter).toContain(`${field}=~"`);
  });

  it('splits into several filters when the signatures would exceed the length limit', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      id: `s${i}`,
      pattern: `some fairly long distinctive error text number ${i} happened`,
    }));

    const filters = buildLogFilters(many, { namespaces: null, sinceIso: '2024-05-14T09:00:00Z' });

    expect(filters.length).toBeGreaterThan(1);
    expect(filters.every((f) => f.length <= MAX_FILTER_LENGTH)).toBe(true);
    expect(filters.filter((f) => f.includes('log_id("events")'))).toHaveLength(1);
    expect(many.every((s) => filters.some((f) => f.includes(s.pattern)))).toBe(true);
  });

  it('escapes quotes and backslashes', () => {
    expect(quote('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });
});

describe('typed client objects back to API JSON', () => {
  it('prints dates as the API server does and restores renamed keys', () => {
    const typed = {
      metadata: { creationTimestamp: new Date('2024-05-14T09:00:00Z'), labels: { a: 'b' }, uid: undefined },
      _continue: 'tok',
      status: { startTime: new Date('2024-05-14T09:00:00.250Z') },
    };

    expect(toPlain(typed)).toEqual({
      metadata: { creationTimestamp: '2024-05-14T09:00:00Z', labels: { a: 'b' } },
      continue: 'tok',
      status: { startTime: '2024-05-14T09:00:00.250Z' },
    });
    expect(kubeTime(new Date('2024-01-01T00:00:00Z'))).toBe('2024-01-01T00:00:00Z');
  });
});

describe('retries', () => {
  it('retries 429 after Retry-After and 5xx, but not 403', async () => {
    expect(judgeKubeError({ code: 429, headers: { 'retry-after': '2' } })).toEqual({ retry: true, afterMs: 2000 });
    expect(judgeKubeError({ code: 503 })).toEqual({ retry: true });
    expect(judgeKubeError({ code: 403 })).toEqual({ retry: false });
    expect(judgeKubeError(Object.assign(new Error('request failed'), { cause: new Error('socket hang up') }))).toEqual({
      retry: true,
    });
  });

  it('gives up after the attempts, and succeeds once a transient failure clears', async () => {
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject({ code: 500 }) : Promise.resolve('ok'));

    await expect(withRetry('op', flaky, judgeKubeError, fast)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry('op', () => (calls++, Promise.reject({ code: 500 })), judgeKubeError, fast)).rejects.toEqual(
      { code: 500 },
    );
    expect(calls).toBe(4);
    calls = 0;
    await expect(withRetry('op', () => (calls++, Promise.reject({ code: 403 })), judgeKubeError, fast)).rejects.toEqual(
      { code: 403 },
    );
    expect(calls).toBe(1);
  });

  it('times out a hung attempt and retries it', async () => {
    let calls = 0;
    const hangsOnce = () => (++calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve('late ok'));

    await expect(withRetry('op', hangsOnce, judgeKubeError, { ...fast, timeoutMs: 20 })).resolves.toBe('late ok');
  });

  it('never runs more than the limit at once', async () => {
    const run = limiter(3);
    let active = 0;
    let peak = 0;
    const task = () =>
      run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      });

    await Promise.all(Array.from({ length: 20 }, task));

    expect(peak).toBe(3);
  });
});

describe('retries in a real process', () => {
  it('keep the process alive while waiting to retry (no silent exit with status 0)', async () => {
    const { execFile } = await import('node:child_process');
    const script = `require(${JSON.stringify(require.resolve('../../dist/src/collect/live/retry.js'))})
      .withRetry('op', () => Promise.reject({ code: 500 }), () => ({ retry: true, afterMs: 200 }), { attempts: 2, baseMs: 1, maxMs: 500, timeoutMs: 1000 })
      .catch(() => console.log('gave up after retrying'));`;

    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], (err, out) => (err ? reject(err) : resolve(out))),
    );

    expect(stdout).toBe('gave up after retrying\n');
  });
});
