import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { KubeConfig } from '@kubernetes/client-node';
import { slackListeners } from '../../handlers';
import type { Bot } from '../../src/bot/create-bot';
import { createBot } from '../../src/bot/create-bot';
import { loadConfig } from '../../src/config/load-config';
import { createDiagnoseQueue } from '../../src/queue/producer';
import { redisAuditLog } from '../../src/remediation/audit';
import { redisProposalStore } from '../../src/remediation/proposal-store';
import { createLogger } from '../../src/util/logger';
import { createWorker } from '../../src/worker/create-worker';
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
import type { RedisServer } from './redis-server';
import { startRedis } from './redis-server';
import { DIAGNOSE_QUEUE, clusterQueue } from '../../src/queue/jobs';
import { closeQueueConnection, queueConnection, redisClient } from '../../src/queue/connection';
import { onRedisCluster, startRedisCluster } from './redis-cluster';

export const SIGNING_SECRET = '5e1f0a4b9c2d7e3f8a6b1c0d9e4f2a7b';
/** The cluster the harness's worker serves: its kubeconfig's context (test/fakes/kube-api/kubeconfig.ts). */
export const FAKE_CLUSTER = 'fake';

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
    /** A Redis the test starts (and may stop and restart) itself; by default a throwaway one. */
    redis?: Pick<RedisServer, 'url' | 'stop'>;
    approvals?: { users: string[]; userGroups?: string[]; allowSelfApproval?: boolean };
    /** MESH_CLUSTER_NAME of the worker (else it serves its kubeconfig context, `fake`, unnamed). */
    clusterName?: string;
    /** A second cluster, another example behind its own fake API, served by a worker of its own. */
    otherCluster?: { name: string; example: string };
    /** Slack users the fake knows (their `locale`, say). */
    slackUsers?: Record<string, { locale?: string }>;
    /** MESH_CHANNEL_LANGUAGES and MESH_DEFAULT_LANGUAGE. */
    languages?: { channels?: string; fallback?: string };
    /** MESH_CHANNEL_CLUSTERS. */
    channelClusters?: string;
    /** MESH_CLUSTER_APPROVERS. */
    clusterApprovers?: string;
    /**
     * Run on a local three-master Redis Cluster (REDIS_CLUSTER=true) instead of one server; by default when
     * the test run is the Redis Cluster one (see {@link onRedisCluster}).
     */
    redisCluster?: boolean;
    alerts?: {
      token: string;
      channel: string;
      /** As MESH_ALERT_ROUTES is set: `namespace=shop:C0SHOP1234;…`. */
      routes?: string;
      paceMs?: number;
      rediagnoseAfterSeconds?: number;
      /** ALERT_ACCEPT_QUERY_TOKEN. */
      acceptQueryToken?: boolean;
    };
  } = {},
) {
  options = { ...options, redisCluster: options.redisCluster ?? (!options.redis && onRedisCluster()) };
  const [redisServer, slack, kube, responses] = await Promise.all([
    options.redis ?? (options.redisCluster ? startClusterAsServer() : startRedis()),
    startFakeSlackApi(options.slackUsers ? { users: options.slackUsers } : {}),
    startFakeKubeApi({ snapshotDir: join(__dirname, '..', '..', 'examples', example) }),
    startResponseUrl(),
  ]);
  const prefix = `{md-test-${Math.random().toString(36).slice(2, 8)}}`;
  const approvers = options.approvals;
  // The processes' own configuration path: the same settings a deployment sets.
  const env: NodeJS.ProcessEnv = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    ...(options.appToken ? { SLACK_APP_TOKEN: options.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    REDIS_URL: redisServer.url,
    MESH_QUEUE_PREFIX: prefix,
    ...(options.redisCluster ? { REDIS_CLUSTER: 'true' } : {}),
    MESH_WORKER_CONCURRENCY: '2',
    MESH_JOB_LOCK_SECONDS: '5',
    ...(options.clusterName ? { MESH_CLUSTER_NAME: options.clusterName } : {}),
    ...(options.channelClusters ? { MESH_CHANNEL_CLUSTERS: options.channelClusters } : {}),
    ...(options.languages?.channels ? { MESH_CHANNEL_LANGUAGES: options.languages.channels } : {}),
    ...(options.languages?.fallback ? { MESH_DEFAULT_LANGUAGE: options.languages.fallback } : {}),
    ...(options.clusterApprovers ? { MESH_CLUSTER_APPROVERS: options.clusterApprovers } : {}),
    ...(approvers
      ? {
          MESH_APPROVERS: [...approvers.users, ...(approvers.userGroups ?? [])].join(','),
          MESH_ALLOW_SELF_APPROVAL: String(approvers.allowSelfApproval ?? false),
        }
      : {}),
    ...(options.alerts
      ? {
          ALERT_WEBHOOK_TOKEN: options.alerts.token,
          ALERT_CHANNEL: options.alerts.channel,
          ...(options.alerts.routes ? { MESH_ALERT_ROUTES: options.alerts.routes } : {}),
          ...(options.alerts.acceptQueryToken ? { ALERT_ACCEPT_QUERY_TOKEN: 'true' } : {}),
        }
      : {}),
  };
  const log = createLogger(
    process.env.MESH_TEST_LOG ? 'debug' : 'error',
    process.env.MESH_TEST_LOG ? (l: string) => process.stderr.write(l) : () => undefined,
  );
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.kubeconfigYaml);
  const webClient = () => new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl });
  /** Moves the bot's and workers' clock for proposals (expiry tests). */
  const clock = { skewMs: 0, now: () => Date.now() + clock.skewMs };
  const worker = createWorker(
    loadConfig(env, 'worker'),
    { kubeConfig, logging: null, slack: webClient(), log },
    {
      host: '127.0.0.1',
      port: 0,
      catalog,
      sinceMs: ALL_OF_TIME_MS,
      readAsOf: () => Date.parse(nowIso),
      now: clock.now,
      rollout: { timeoutMs: 3_000, pollMs: 50 },
    },
  );
  const workerUrl = `http://127.0.0.1:${await worker.start()}`;
  const other = options.otherCluster
    ? await startOtherCluster(options.otherCluster, env, {
        logging: null,
        slack: webClient(),
        log,
        tuning: { readAsOf: () => Date.parse(nowIso), now: clock.now },
      })
    : null;
  const bot: Bot = createBot(loadConfig(env, 'bot'), { slack: webClient(), log }, slackListeners, {
    host: '127.0.0.1',
    port: 0,
    catalog,
    now: clock.now,
    followUpBacklog: options.followUpBacklog,
    alertPaceMs: options.alerts?.paceMs ?? 0,
    rediagnoseAfterSeconds: options.alerts?.rediagnoseAfterSeconds,
  });
  /** The test's own view of Redis and the queue. */
  const redisTarget = { url: redisServer.url, cluster: options.redisCluster === true };
  const redis = redisClient(redisTarget, {});
  const harnessConnection = queueConnection(redisTarget);
  // The queue of the cluster the worker serves (named after its kubeconfig context), where the bot routes.
  const queue = createDiagnoseQueue(
    harnessConnection,
    prefix,
    clusterQueue(DIAGNOSE_QUEUE, options.clusterName ?? FAKE_CLUSTER),
  );
  queue.on('error', () => undefined);
  const proposals = redisProposalStore(redis, prefix);
  const audit = redisAuditLog(redis, prefix, log);
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
    /** The worker's operations endpoints (/healthz, /readyz, /metrics). */
    workerUrl,
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
    /**
     * A signed Events API delivery (`event_callback`) of `event` in workspace T0FAKE0001, with the bot's
     * authorization; `retry` sets Slack's redelivery headers.
     */
    event: (event: Record<string, unknown>, o: { eventId?: string; retry?: number } = {}) => {
      const body = JSON.stringify({
        token: 'fake-verification-token',
        team_id: 'T0FAKE0001',
        api_app_id: 'A0FAKE0001',
        type: 'event_callback',
        event_id: o.eventId ?? `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T0FAKE0001', user_id: 'U0BOT00001', is_bot: true }],
        event: { team: 'T0FAKE0001', event_ts: event.ts, ...event },
      });
      return fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signSlackRequest(SIGNING_SECRET, body),
          ...(o.retry ? { 'x-slack-retry-num': String(o.retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
        },
        body,
      });
    },
    /**
     * A signed button click (block_actions) on a message, in workspace T0FAKE0001 unless `on.team` says
     * otherwise; `on.threadTs` is the thread the clicked message is in (none: a top-level message).
     */
    click: (
      actionId: string,
      value: string,
      user: string,
      channel = 'C0INCIDENT',
      messageTs = '0.0',
      on: { threadTs?: string; team?: string; blockId?: string } = {},
    ) =>
      post(
        interactionBody({
          type: 'block_actions',
          api_app_id: 'A0FAKE0001',
          token: 'fake-verification-token',
          team: { id: on.team ?? 'T0FAKE0001', domain: 'fake-team' },
          user: { id: user, username: user.toLowerCase(), team_id: on.team ?? 'T0FAKE0001' },
          channel: { id: channel, name: 'incident' },
          container: {
            type: 'message',
            message_ts: messageTs,
            channel_id: channel,
            is_ephemeral: false,
            ...(on.threadTs ? { thread_ts: on.threadTs } : {}),
          },
          message: { type: 'message', ts: messageTs, text: '', ...(on.threadTs ? { thread_ts: on.threadTs } : {}) },
          response_url: responses.url,
          trigger_id: `click-${Math.random()}`,
          actions: [
            {
              type: 'button',
              action_id: actionId,
              block_id: on.blockId ?? 'proposal-proposed',
              value,
              text: { type: 'plain_text', text: actionId },
              action_ts: String(Date.now() / 1000),
            },
          ],
        }),
      ),
    slack: slack as FakeSlackApi,
    kube: kube as FakeKubeApi,
    /** The second cluster's fake API and worker, when asked for. */
    other,
    queue,
    redis,
    /** MESH_QUEUE_PREFIX of both processes (a hash tag: every key in one Redis Cluster slot). */
    prefix,
    responses,
    proposals,
    audit,
    clock,
    /** Resolves when every accepted alert notification went through the intake. */
    alertsIdle: () => bot.idle(),
    async stop() {
      await bot.stop();
      await worker.stop();
      await other?.stop();
      await queue.close();
      await closeQueueConnection(harnessConnection);
      if (redis.status !== 'end') redis.disconnect();
      await Promise.all([slack.close(), kube.close(), responses.close()]);
      await redisServer.stop();
    },
  };
}

/** A second cluster for a harness: its own fake Kubernetes API and a worker serving it under `name`. */
async function startOtherCluster(
  cluster: { name: string; example: string },
  env: NodeJS.ProcessEnv,
  clients: {
    logging: null;
    slack: WebClient;
    log: ReturnType<typeof createLogger>;
    tuning: { readAsOf: () => number; now: () => number };
  },
) {
  const kube = await startFakeKubeApi({ snapshotDir: join(__dirname, '..', '..', 'examples', cluster.example) });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.kubeconfigYaml);
  const worker = createWorker(
    loadConfig({ ...env, MESH_CLUSTER_NAME: cluster.name }, 'worker'),
    { kubeConfig, logging: clients.logging, slack: clients.slack, log: clients.log },
    { host: '127.0.0.1', port: 0, catalog, sinceMs: ALL_OF_TIME_MS, ...clients.tuning },
  );
  await worker.start();
  let stopped = false;
  return {
    kube,
    /** Stops the worker (it withdraws its cluster); the fake API stays until `stop`. */
    stopWorker: async () => {
      if (!stopped) await worker.stop();
      stopped = true;
    },
    stop: async () => {
      if (!stopped) await worker.stop();
      stopped = true;
      await kube.close();
    },
  };
}

/** A Redis Cluster seen as one server: the URL of a seed node, and a stop for the whole cluster. */
async function startClusterAsServer(): Promise<Pick<RedisServer, 'url' | 'stop'>> {
  const cluster = await startRedisCluster();
  return { url: `redis://127.0.0.1:${cluster.nodes[0]?.port}`, stop: () => cluster.stop() };
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
