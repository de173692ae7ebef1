import type { FakeSlackApi } from '../fakes/slack-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { alertmanagerGroup } from '../helpers/alert-payloads';
import { eventually, startBotHarness } from '../helpers/bot-harness';
import { PROCESS_ALERT_CHANNEL, PROCESS_ALERT_TOKEN, startBotProcess } from '../helpers/bot-process';
import type { PersistentRedis } from '../helpers/persistent-redis';
import { startPersistentRedis } from '../helpers/persistent-redis';

const TOKEN = PROCESS_ALERT_TOKEN;
const CHANNEL = PROCESS_ALERT_CHANNEL;

async function send(url: string, namespace: string, workload: string) {
  const started = Date.now();
  const response = await fetch(`${url}/alerts/alertmanager`, {
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

/**
 * Sends pairs of notifications (for `workloads` workloads in turn) while Redis is stopped for longer than
 * the endpoint waits for it and started again; checks every answer, then that every notification answered
 * 2xx got its thread.
 */
async function burstThroughRestart(url: string, redis: PersistentRedis, slack: FakeSlackApi, workloads: number) {
  const results: Awaited<ReturnType<typeof send>>[] = [];
  const state = { phase: 'up' as 'up' | 'down' | 'back', sentAfterRestart: 0 };
  const burst = (async () => {
    for (let i = 0; state.phase !== 'back' || state.sentAfterRestart < 10; i++) {
      if (state.phase === 'back') state.sentAfterRestart++;
      const k = (2 * i) % workloads;
      results.push(...(await Promise.all([send(url, `team-${k % 4}`, `svc-${k}`), send(url, 'shop', `svc-${k + 1}`)])));
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
  const threadOf = (target: string) =>
    slack
      .messages(CHANNEL)
      .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m.blocks ?? []).includes(target));
  await eventually(
    'a thread for every accepted notification',
    () => accepted.every((r) => threadOf(r.target)) || undefined,
    60_000,
  );
}

describe('the bot in this process', () => {
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

  test('a Redis restart during an alert burst: every notification answered 2xx gets its thread; the others 503 with Retry-After, within seconds', async () => {
    await burstThroughRestart(harness.url, redis, harness.slack, 1_000);
  }, 120_000);
});

describe('the mesh-doctor bot process (bin/, after npm run build)', () => {
  let redis: PersistentRedis;
  let slack: FakeSlackApi;
  let bot: Awaited<ReturnType<typeof startBotProcess>>;
  beforeAll(async () => {
    [redis, slack] = await Promise.all([startPersistentRedis(), startFakeSlackApi()]);
    bot = await startBotProcess({ redisUrl: redis.url, slackApiUrl: slack.apiUrl, prefix: '{outage-test}' });
  }, 30_000);
  afterAll(async () => {
    bot.kill();
    await slack.close();
    await redis.remove();
  });

  // Few incidents: the process paces posts to one channel a second apart.
  test('the same, against the real process', async () => {
    await burstThroughRestart(bot.url, redis, slack, 8);
  }, 120_000);
});
