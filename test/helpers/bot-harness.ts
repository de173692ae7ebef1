import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createBot } from '../../src/bot/create-bot';
import type { Bot } from '../../src/bot/create-bot';
import { queueHandlerDeps } from '../../src/bot/queue-handler-deps';
import { createDiagnoseQueue } from '../../src/queue/producer';
import { collectLive } from '../../src/collect/live/collect-live';
import { makeKubeApis } from '../../src/collect/live/kube-apis';
import { Metrics } from '../../src/metrics/registry';
import { redisPostedStore } from '../../src/queue/redis-posted-store';
import { slackPoster } from '../../src/queue/slack-poster';
import { startDiagnoseWorker } from '../../src/queue/start-worker';
import { createLogger } from '../../src/util/logger';
import type { FakeKubeApi } from '../fakes/kube-api';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeSlackApi } from '../fakes/slack-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { catalog } from './diagnose-dir';
import { ALL_OF_TIME_MS } from './live';
import { startRedis } from './redis-server';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';

/** A local stand-in for Slack's response_url: records what handlers send there. */
async function startResponseUrl() {
  const received: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body || '{}') as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The whole bot with real Redis, a real worker, the fake Slack Web API and the fake Kubernetes API. */
export async function startBotHarness(
  example = 'proxy-startup-econnrefused',
  nowIso = '2024-05-14T10:00:00Z',
  options: { followUpBacklog?: number; appToken?: string } = {},
) {
  const [redisServer, slack, kube, responses] = await Promise.all([
    startRedis(),
    startFakeSlackApi(),
    startFakeKubeApi({ snapshotDir: join(__dirname, '..', '..', 'examples', example) }),
    startResponseUrl(),
  ]);
  const prefix = `{md-test-${Math.random().toString(36).slice(2, 8)}}`;
  const redis = new Redis(redisServer.url);
  const connection = { url: redisServer.url, maxRetriesPerRequest: null };
  const queue = createDiagnoseQueue(connection, prefix);
  const log = createLogger('error', () => undefined);
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml);
  const kubeApis = makeKubeApis(kc);
  const worker: Worker = startDiagnoseWorker(
    connection,
    prefix,
    {
      catalog,
      collect: (target) =>
        collectLive({ kube: kubeApis, logging: null }, catalog, {
          namespace: target.namespace,
          controlPlaneNamespace: 'istio-system',
          sinceMs: ALL_OF_TIME_MS,
          nowMs: Date.parse(nowIso),
        }),
      poster: slackPoster(new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl })),
      posted: redisPostedStore(redis),
      keyPrefix: prefix,
      approvalsEnabled: false,
      log,
    },
    { concurrency: 2, lockDurationMs: 5_000, stalledIntervalMs: 5_000 },
  );
  const bot: Bot = createBot(
    {
      botToken: BOT_TOKEN,
      signingSecret: options.appToken ? null : SIGNING_SECRET,
      appToken: options.appToken ?? null,
      slackApiUrl: slack.apiUrl,
      port: 0,
      host: '127.0.0.1',
    },
    queueHandlerDeps({ catalog, redis, queue, prefix, log, followUpBacklog: options.followUpBacklog }),
    new Metrics(),
    async () => ({ ok: (await redis.ping()) === 'PONG', detail: 'redis' }),
  );
  const port = await bot.start();
  return {
    url: `http://127.0.0.1:${port}`,
    slack: slack as FakeSlackApi,
    kube: kube as FakeKubeApi,
    queue,
    redis,
    responses,
    async stop() {
      await bot.stop();
      await worker.close();
      await queue.close();
      if (redis.status !== 'end') redis.disconnect();
      await Promise.all([slack.close(), kube.close(), responses.close()]);
      await redisServer.stop();
    },
  };
}

/** Waits until a condition holds (polling), or fails with the description. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
