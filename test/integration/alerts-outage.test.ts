import { alertmanagerGroup } from '../helpers/alert-payloads';
import { eventually, startBotHarness } from '../helpers/bot-harness';
import type { PersistentRedis } from '../helpers/persistent-redis';
import { startPersistentRedis } from '../helpers/persistent-redis';

const TOKEN = 'alert-token-0123456789abcdef0123';
const CHANNEL = 'C0ALERTS01';

let redis: PersistentRedis;
let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  redis = await startPersistentRedis();
  harness = await startBotHarness(undefined, undefined, { redis, alerts: { token: TOKEN, channel: CHANNEL } });
});

afterAll(async () => {
  await harness.stop();
  await redis.remove();
});

async function send(namespace: string, workload: string) {
  const started = Date.now();
  const response = await fetch(`${harness.url}/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(alertmanagerGroup(namespace, workload)),
  }).catch(() => null);
  return {
    target: `${namespace}/${workload}`,
    status: response?.status ?? 0,
    retryAfter: response?.headers.get('retry-after') ?? null,
    ms: Date.now() - started,
  };
}

const threadOf = (target: string) =>
  harness.slack
    .messages(CHANNEL)
    .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m.blocks ?? []).includes(target));

test('a Redis restart during an alert burst: every notification answered 2xx gets its thread; the others 503 with Retry-After, within seconds', async () => {
  const results: Awaited<ReturnType<typeof send>>[] = [];
  const state = { phase: 'up' as 'up' | 'down' | 'back', sentAfterRestart: 0 };
  const burst = (async () => {
    for (let i = 0; state.phase !== 'back' || state.sentAfterRestart < 10; i++) {
      if (state.phase === 'back') state.sentAfterRestart++;
      results.push(...(await Promise.all([send(`team-${i % 4}`, `svc-${i}-a`), send(`team-${i % 4}`, `svc-${i}-b`)])));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await new Promise((r) => setTimeout(r, 400));
  await redis.stop();
  state.phase = 'down';
  // Longer than the 3 s the endpoint waits for Redis, so some notifications are refused.
  await new Promise((r) => setTimeout(r, 4_500));
  await redis.restart();
  state.phase = 'back';
  await burst;

  const accepted = results.filter((r) => r.status === 202);
  const refused = results.filter((r) => r.status !== 202);
  // Both kinds happened: the outage was seen, and the burst went on around it.
  expect(accepted.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect([r.status, r.retryAfter]).toEqual([503, expect.any(String)]);
  expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(5_000);
  await eventually(
    'a thread for every accepted notification',
    () => accepted.every((r) => threadOf(r.target)) || undefined,
    60_000,
  );
}, 120_000);
