import { eventually, startBotHarness } from '../helpers/bot-harness';
import type { PersistentRedis } from '../helpers/persistent-redis';
import { startPersistentRedis } from '../helpers/persistent-redis';

let redis: PersistentRedis;
let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  redis = await startPersistentRedis();
  harness = await startBotHarness(undefined, undefined, { redis, approvals: { users: ['U0LEAD0001'] } });
});

afterAll(async () => {
  await harness.stop();
  await redis.remove();
});

const texts = () => harness.responses.received.map((r) => String(r.text));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

test('with Redis stopped: help and runbook answer, Redis commands say it is unavailable within seconds, /metrics answers from its cache', async () => {
  expect((await fetch(`${harness.url}/metrics`)).status).toBe(200); // one read while Redis is up
  expect((await fetch(`${harness.workerUrl}/readyz`)).status).toBe(200);
  await redis.stop();
  await new Promise((r) => setTimeout(r, 200));

  const started = Date.now();
  const before = texts().length;
  // Two status commands first: they used to take both follow-up slots and block everything after them.
  for (const text of ['status', 'status', 'help', 'runbook 503', 'diagnose shop/cart', 'audit 5']) {
    expect((await harness.slash(text)).status).toBe(200);
  }
  const answers = await eventually(
    'six answers',
    () => (texts().length >= before + 6 ? texts().slice(before) : undefined),
    8_000,
  );
  expect(Date.now() - started).toBeLessThan(8_000);
  expect(answers.filter((t) => t.includes('Redis is unavailable'))).toHaveLength(4);
  expect(answers.some((t) => t.includes('*Usage*'))).toBe(true);
  expect(answers.some((t) => t.includes('upstream-reset-503'))).toBe(true);

  const metrics = await timed(async () => {
    const response = await fetch(`${harness.url}/metrics`);
    return { status: response.status, body: await response.text() };
  });
  expect(metrics.ms).toBeLessThan(1_000);
  expect(metrics.value.status).toBe(200);
  expect(metrics.value.body).toMatch(/mesh_doctor_queue_jobs\{state="waiting"\} \d+/);
  expect(metrics.value.body).toMatch(/mesh_doctor_gauge_age_seconds\{gauge="mesh_doctor_queue_jobs"\} [\d.]+/);

  // Not ready (cannot queue), but alive: the liveness probe must not restart the bot for a Redis outage.
  const ready = await timed(() => fetch(`${harness.url}/readyz`));
  expect(ready.value.status).toBe(503);
  expect(ready.ms).toBeLessThan(2_000);
  expect((await fetch(`${harness.url}/healthz`)).status).toBe(200);

  // The worker alike: alive, not ready (it says why), and its metrics answer from what it holds.
  const workerReady = await timed(() => fetch(`${harness.workerUrl}/readyz`));
  expect(workerReady.value.status).toBe(503);
  expect(workerReady.ms).toBeLessThan(2_000);
  expect(await workerReady.value.json()).toMatchObject({
    status: 'unavailable',
    detail: expect.stringContaining('Redis'),
  });
  expect((await fetch(`${harness.workerUrl}/healthz`)).status).toBe(200);
  const workerMetrics = await timed(() => fetch(`${harness.workerUrl}/metrics`));
  expect(workerMetrics.ms).toBeLessThan(1_000);
  expect(await workerMetrics.value.text()).toMatch(/^mesh_doctor_redis_errors_total [1-9]/m);

  await redis.restart();
  await eventually(
    'ready again once Redis is back',
    async () => (await fetch(`${harness.url}/readyz`)).ok || undefined,
  );
  await eventually(
    'the worker ready again once Redis is back',
    async () => (await fetch(`${harness.workerUrl}/readyz`)).ok || undefined,
  );
  const after = texts().length;
  await eventually(
    'status answered again once Redis is back',
    async () => {
      await harness.slash('status');
      await new Promise((r) => setTimeout(r, 300));
      return (
        texts()
          .slice(after)
          .some((t) => t.startsWith('Queue:')) || undefined
      );
    },
    20_000,
  );
}, 60_000);
