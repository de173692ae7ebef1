import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createBot } from '../../src/bot/create-bot';
import type { Bot } from '../../src/bot/create-bot';
import { alertRoutes } from '../../handlers/webhooks';
import { redisIncidentStore } from '../../src/alerts/incident-store';
import type { AlertRoute } from '../../src/alerts/routing';
import { alertDeps } from '../../src/bot/alert-deps';
import { approvalDeps } from '../../src/bot/approval-deps';
import { queueHandlerDeps } from '../../src/bot/queue-handler-deps';
import { createRemediationQueue, startRemediationWorker } from '../../src/queue/remediation-queue';
import { remediationDeps } from '../../src/remediation/remediation-deps';
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
import {
  FORM_CONTENT_TYPE,
  interactionBody,
  signSlackRequest,
  slashCommandBody,
  startFakeSlackApi,
} from '../fakes/slack-api';
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
  options: {
    followUpBacklog?: number;
    appToken?: string;
    approvals?: { users: string[]; userGroups?: string[]; allowSelfApproval?: boolean; ttlMs?: number };
    alerts?: {
      token: string;
      channel: string;
      routes?: AlertRoute[];
      paceMs?: number;
      rediagnoseAfterSeconds?: number;
    };
  } = {},
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
  const collect = (target: { namespace: string | null }) =>
    collectLive({ kube: kubeApis, logging: null }, catalog, {
      namespace: target.namespace,
      controlPlaneNamespace: 'istio-system',
      sinceMs: ALL_OF_TIME_MS,
      nowMs: Date.parse(nowIso),
    });
  const poster = slackPoster(new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl }));
  const posted = redisPostedStore(redis);
  /** Moves the bot's and workers' clock for proposals (expiry tests). */
  const clock = { skewMs: 0, now: () => Date.now() + clock.skewMs };
  const remediation = remediationDeps({
    redis,
    prefix,
    kc,
    catalog,
    collect,
    poster,
    posted,
    rollout: { timeoutMs: 3_000, pollMs: 50 },
    log,
  });
  const { proposals, audit } = remediation;
  const worker: Worker = startDiagnoseWorker(
    connection,
    prefix,
    {
      catalog,
      collect,
      poster,
      posted,
      keyPrefix: prefix,
      approvals: options.approvals ? { proposals, audit, ttlMs: options.approvals.ttlMs, now: clock.now } : undefined,
      incidents: redisIncidentStore(redis, prefix),
      log,
    },
    { concurrency: 2, lockDurationMs: 5_000, stalledIntervalMs: 5_000 },
  );
  const remediationQueue = options.approvals ? createRemediationQueue(connection, prefix) : null;
  const remediationWorker = options.approvals ? startRemediationWorker(connection, prefix, remediation) : null;
  const approvals =
    options.approvals && remediationQueue
      ? approvalDeps({
          policy: {
            users: options.approvals.users,
            userGroups: options.approvals.userGroups ?? [],
            allowSelfApproval: options.approvals.allowSelfApproval ?? false,
          },
          redis,
          prefix,
          slack: new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl }),
          diagnoseQueue: queue,
          remediationQueue,
          log,
          now: clock.now,
        })
      : undefined;
  const alerts = options.alerts
    ? alertDeps({
        token: options.alerts.token,
        defaultChannel: options.alerts.channel,
        routes: options.alerts.routes ?? [],
        redis,
        prefix,
        slack: new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl }),
        queue,
        log,
        paceMs: options.alerts.paceMs ?? 0,
        rediagnoseAfterSeconds: options.alerts.rediagnoseAfterSeconds,
      })
    : null;
  const bot: Bot = createBot(
    {
      botToken: BOT_TOKEN,
      signingSecret: options.appToken ? null : SIGNING_SECRET,
      appToken: options.appToken ?? null,
      slackApiUrl: slack.apiUrl,
      port: 0,
      host: '127.0.0.1',
    },
    queueHandlerDeps({ catalog, redis, queue, prefix, log, followUpBacklog: options.followUpBacklog, approvals }),
    new Metrics(),
    async () => ({ ok: (await redis.ping()) === 'PONG', detail: 'redis' }),
    alerts ? alertRoutes(alerts) : [],
  );
  const port = await bot.start();
  const url = `http://127.0.0.1:${port}`;
  const post = (body: string, secret = SIGNING_SECRET, timestamp?: number) =>
    fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM_CONTENT_TYPE, ...signSlackRequest(secret, body, timestamp) },
      body,
    });
  return {
    url,
    /** A `/mesh` command, by default from U0SRE in C0INCIDENT, signed with `secret` at `timestamp` (now). */
    slash: (
      text: string,
      o: { user?: string; channel?: string; trigger?: string; secret?: string; timestamp?: number } = {},
    ) =>
      post(
        slashCommandBody({
          text,
          trigger_id: o.trigger ?? `t-${Math.random()}`,
          channel_id: o.channel ?? 'C0INCIDENT',
          user_id: o.user ?? 'U0SRE',
          response_url: responses.url,
        }),
        o.secret,
        o.timestamp,
      ),
    /** A signed button click (block_actions) on a message. */
    click: (actionId: string, value: string, user: string, channel = 'C0INCIDENT', messageTs = '0.0') =>
      post(
        interactionBody({
          type: 'block_actions',
          api_app_id: 'A0FAKE0001',
          token: 'fake-verification-token',
          team: { id: 'T0FAKE0001', domain: 'fake-team' },
          user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE0001' },
          channel: { id: channel, name: 'incident' },
          container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
          message: { type: 'message', ts: messageTs, text: '' },
          response_url: responses.url,
          trigger_id: `click-${Math.random()}`,
          actions: [
            {
              type: 'button',
              action_id: actionId,
              block_id: 'proposal-proposed',
              value,
              text: { type: 'plain_text', text: actionId },
              action_ts: String(Date.now() / 1000),
            },
          ],
        }),
      ),
    slack: slack as FakeSlackApi,
    kube: kube as FakeKubeApi,
    queue,
    redis,
    responses,
    proposals,
    audit,
    clock,
    /** Resolves when every accepted alert notification went through the intake. */
    alertsIdle: () => alerts?.idle() ?? Promise.resolve(),
    async stop() {
      await bot.stop();
      await worker.close();
      await remediationWorker?.close();
      await remediationQueue?.close();
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
