import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverEvent } from '@slack/bolt';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClientEvent } from '@slack/web-api';
import type { WebClient } from '@slack/web-api';
import type { Histogram } from 'prom-client';
import type { BotConfig } from '../config/load-config';
import { SERVER_OPTIONS, closeServer, guarded, operationRoutes, serveRoutes } from '../metrics/endpoints';
import { Metrics, secondsSince } from '../metrics/registry';
import type { ClusterChoice } from '../pipeline/clusters';
import { chooseCluster, servedName } from '../pipeline/clusters';
import { formatDuration } from '../util/time';
import type { RemediationJob } from '../pipeline/remediate';
import type { DiagnoseRequest } from '../pipeline/request';
import { REMEDIATE_QUEUE } from '../queue/jobs';
import { closeQueueConnection, queueConnection, redisClient } from '../queue/connection';
import { clusterQueues, diagnoseQueues, enqueueDiagnosis } from '../queue/producer';
import { redisClusterRegistry } from '../store/cluster-registry';
import { queueStatus } from '../queue/queue-status';
import { createRemediationQueue } from '../queue/remediation-queue';
import type { Catalog } from '../runbooks/catalog';
import { loadCatalog } from '../runbooks/catalog';
import { SLACK_LEVEL, slackLogger } from '../slack/slack-logger';
import { slackThreads, userGroupMembers } from '../slack/web-api';
import { errorFields } from '../util/errors';
import type { HttpRoute } from '../util/http-route';
import type { Logger } from '../util/logger';
import { outageLog } from '../util/outage-log';
import { buildAlertDeps } from './alert-deps';
import { buildApprovalDeps } from './approval-deps';
import { withDeadline } from '../util/deadline';
import type { AlertEndpointDeps, HandlerDeps } from './handler-deps';
import { buildHandlerDeps } from './handler-deps';
import { slackUserLocales } from '../slack/user-locales';

/**
 * Requests to /slack/events are read up to this many bytes, then refused with 413 (by Content-Length
 * before reading, else while reading), before their signature can be checked. Slack's payloads are well
 * under 100 KB.
 */
export const SLACK_BODY_LIMIT = 256 * 1024;
/** /readyz waits this long for Redis's PONG (probes time out after a second by default). */
const HEALTH_DEADLINE_MS = 900;

/** What the bot serves from handlers/: Slack listeners and the alert webhook routes. Passed in, never imported. */
export interface SlackListeners {
  register(app: App, deps: HandlerDeps): void;
  alertRoutes(deps: AlertEndpointDeps): HttpRoute[];
}

/** The outside systems the bot talks to, besides Slack's requests: the Web API client it writes with. */
export interface BotClients {
  slack: WebClient;
  log: Logger;
}

/** What a process takes as it is; tests and benchmarks change it. */
export interface BotTuning {
  host: string;
  /** Overrides PORT; 0 binds a free port (tests, benchmarks). */
  port: number;
  catalog: Catalog;
  now: () => number;
  /** Commands waiting for their follow-up beyond which new ones are refused. */
  followUpBacklog?: number;
  /** Minimum spacing of alert posts to one channel. */
  alertPaceMs?: number;
  rediagnoseAfterSeconds?: number;
}

export interface Bot {
  app: App;
  /** Starts listening; resolves with the bound port (HTTP mode; the settings' port in Socket Mode). */
  start(): Promise<number>;
  /** Stops the app, then closes the queues and Redis. */
  stop(): Promise<void>;
  /** Resolves when every accepted command follow-up and stored alert notification has been handled. */
  idle(): Promise<void>;
  metrics: Metrics;
}

/** Registers the bot's metric families; returns those its services update. */
function botMetrics(metrics: Metrics, queue: Parameters<typeof queueStatus>[0]) {
  metrics.readGauge('mesh_doctor_queue_jobs', 'Diagnosis jobs by state', ['state'], async () => {
    const s = await queueStatus(queue);
    return (['waiting', 'active', 'delayed', 'failed'] as const).map((state) => ({
      labels: { state },
      value: s[state],
    }));
  });
  return {
    ack: metrics.histogram(
      'mesh_doctor_command_ack_seconds',
      'Time from a /mesh command, mention or button click reaching the bot to its acknowledgement',
      ['kind'],
    ),
    clicks: metrics.counter('mesh_doctor_patch_clicks_total', 'Approve, Reject, Roll back and Re-diagnose clicks', [
      'action',
      'refused',
    ]),
    notifications: metrics.counter('mesh_doctor_alert_notifications_total', 'Alert notifications by outcome', [
      'outcome',
    ]),
    queued: metrics.counter('mesh_doctor_diagnoses_queued_total', 'Diagnoses queued, by whether the request was new', [
      'new',
    ]),
    failures: metrics.counter('mesh_doctor_failures_total', 'Failures by cause (error code) and where they happened', [
      'cause',
      'where',
    ]),
    rateLimited: metrics.counter(
      'mesh_doctor_slack_rate_limited_total',
      'Slack Web API calls answered 429 (rate limited)',
    ),
  };
}

/** What an alert's thread says when no worker serves the cluster its labels name. */
function unservedAlertText(choice: Extract<ClusterChoice, { kind: 'unserved' }>, nowMs: number): string {
  const seen =
    choice.lastSeenMs === null
      ? 'no worker has served it'
      : `last seen ${formatDuration(nowMs - choice.lastSeenMs)} ago`;
  const served = choice.served.length ? `clusters served: ${choice.served.join(', ')}` : 'no worker is running';
  return `:no_entry: This alert is for cluster ${choice.cluster}, which no worker serves (${seen}; ${served}), so it was not diagnosed. Start a worker for it with MESH_CLUSTER_NAME=${choice.cluster} or add its context to MESH_CLUSTERS.`;
}

/** What a request to the bot is, for the acknowledgement histogram. */
function requestKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'action';
  if (body.type === 'event_callback') return 'event';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return 'other';
}

/**
 * Times each request from the receiver handing it to the app to its acknowledgement (Slack gives up after
 * 3 s), in HTTP and Socket Mode alike: the app's entry point gets each event with an `ack` that observes
 * the time. (Bolt's middleware receives copies of the arguments, so it cannot wrap `ack` for the listener.)
 */
function timeAcknowledgements(app: App, histogram: Histogram<'kind'>): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const started = performance.now();
    const kind = requestKind(event.body as Record<string, unknown>);
    const { ack } = event;
    return processEvent({
      ...event,
      ack: async (...args: Parameters<typeof ack>) => {
        try {
          await ack(...args);
        } finally {
          histogram.observe({ kind }, secondsSince(started));
        }
      },
    });
  };
}

/**
 * The bot (composition root): the Slack app with its receiver, the handlers given in `listeners`, and its
 * HTTP endpoints (health, metrics, alert webhooks). It only queues work; workers run the diagnoses.
 */
export function createBot(
  config: BotConfig,
  clients: BotClients,
  listeners: SlackListeners,
  tuning: Partial<BotTuning> = {},
): Bot {
  const catalog = tuning.catalog ?? loadCatalog();
  const now = tuning.now ?? Date.now;
  const prefix = config.redis.queuePrefix;
  const metrics = new Metrics();
  // A Redis outage is one line when it starts and one when it ends, from every client together.
  const redisErrors = metrics.counter(
    'mesh_doctor_redis_errors_total',
    'Errors from Redis clients (connection retries included)',
  );
  const outage = outageLog(clients.log, 'redis', () => redisErrors.inc());
  const log = outage.quiet(clients.log);
  const redis = redisClient(config.redis, { maxRetriesPerRequest: 2 });
  // The queues' connection (for a Redis Cluster, one client shared by every queue, closed last).
  const queueRedis = queueConnection(config.redis);
  // The alert intake's worker blocks on Redis: a connection that never gives up on a request.
  const intakeConnection = queueConnection(config.redis, { maxRetriesPerRequest: null });
  redis.on('error', (err) => outage.error(err));
  redis.on('ready', () => outage.ready());
  // A queue per cluster, made on first use; only the workers of that cluster take its jobs.
  const queues = diagnoseQueues(queueRedis, prefix, (q) => q.on('error', (err) => outage.error(err)));
  const queue = queues.of(null);
  const remediationQueues = clusterQueues<RemediationJob>(
    REMEDIATE_QUEUE,
    (name) => createRemediationQueue(queueRedis, prefix, name),
    (q) => q.on('error', (err) => outage.error(err)),
  );
  const registry = redisClusterRegistry(redis, prefix);
  // An alert's request goes to the cluster its labels name; naming none, to the only cluster served. An
  // alert for a cluster no worker serves gets that said in its thread instead of a diagnosis that never comes.
  const enqueue = async (request: DiagnoseRequest) => {
    const presences = await registry.list();
    const { clusterAliases, ...asked } = request;
    const named = asked.cluster ? servedName([asked.cluster, ...(clusterAliases ?? [])], presences, now()) : null;
    const choice = chooseCluster(named, undefined, presences, now());
    if (choice.kind === 'unserved') {
      await slack.postInThread(request.channel, request.threadTs, { text: unservedAlertText(choice, now()) });
      return { jobId: '', queued: false };
    }
    const routed = choice.kind === 'cluster' ? { ...asked, cluster: choice.cluster } : asked;
    return enqueueDiagnosis(queues.of(routed.cluster), routed);
  };
  const count = botMetrics(metrics, queue);
  const slack = slackThreads(clients.slack);
  const approvals = config.approvals.enabled
    ? buildApprovalDeps({
        policy: config.approvals,
        redis,
        prefix,
        slack,
        userGroupMembers: userGroupMembers(clients.slack),
        diagnoseQueues: queues,
        remediationQueue: (cluster) => remediationQueues.of(cluster),
        log,
        now,
        onClick: (action, refused) => count.clicks.inc({ action, refused: String(refused) }),
      })
    : undefined;
  const { webhookToken, channel: alertChannel } = config.alerts;
  const alerts =
    webhookToken && alertChannel
      ? buildAlertDeps({
          token: webhookToken,
          acceptQueryToken: config.alerts.acceptQueryToken,
          defaultChannel: alertChannel,
          routes: config.alerts.routes,
          redis,
          connection: intakeConnection,
          prefix,
          slack,
          enqueue,
          log,
          paceMs: tuning.alertPaceMs,
          rediagnoseAfterSeconds: tuning.rediagnoseAfterSeconds,
          channelLanguage: (channel) => config.languages.channels[channel] ?? config.languages.fallback,
          onOutcome: (outcome) => count.notifications.inc({ outcome }),
        })
      : null;
  if (alerts)
    metrics.readGauge(
      'mesh_doctor_alert_intake_jobs',
      'Alert notifications stored and not yet through the intake',
      [],
      async () => [{ labels: {}, value: await alerts.backlog() }],
    );
  const deps = buildHandlerDeps({
    catalog,
    redis,
    queues,
    prefix,
    slack,
    log,
    channelClusters: config.clusters.channelDefaults,
    languages: {
      locale: slackUserLocales(clients.slack, log),
      channels: config.languages.channels,
      fallback: config.languages.fallback,
    },
    onEnqueued: (queued) => count.queued.inc({ new: String(queued) }),
    followUpBacklog: tuning.followUpBacklog,
    approvals,
  });
  const health = async () => ({
    ok: (await withDeadline('Redis (PING)', HEALTH_DEADLINE_MS, redis.ping())) === 'PONG',
    detail: 'redis reachable',
  });
  const customRoutes = [...operationRoutes(metrics, health), ...(alerts ? listeners.alertRoutes(alerts) : [])].map(
    (route) => guarded(route, log, (err) => count.failures.inc({ cause: errorFields(err).code, where: 'http-route' })),
  );
  const connection = config.slack.connection;
  const clientOptions = { slackApiUrl: config.slack.apiUrl };
  // Bolt, its receiver and the Socket Mode client write through our logger, at our level.
  const logger = slackLogger(log, SLACK_LEVEL[config.logLevel]);
  const receiver =
    connection.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: connection.appToken,
          logger,
          installerOptions: { clientOptions },
        })
      : new HTTPReceiver({
          signingSecret: connection.signingSecret,
          logger,
          customRoutes,
          processBeforeResponse: false,
          unhandledRequestTimeoutMillis: 3001,
          bodyLimit: SLACK_BODY_LIMIT,
        });
  const app = new App({ token: config.slack.botToken, receiver, clientOptions, logger });
  for (const kind of ['command', 'action', 'event']) count.ack.zero({ kind });
  timeAcknowledgements(app, count.ack);
  listeners.register(app, deps);
  app.error(async (err) => {
    count.failures.inc({ cause: errorFields(err).code, where: 'slack-handler' });
    log.error(errorFields(err), 'slack handler error');
  });
  for (const web of new Set([clients.slack, app.client]))
    web.on(WebClientEvent.RATE_LIMITED, () => count.rateLimited.inc());
  const host = tuning.host ?? '0.0.0.0';
  const port = tuning.port ?? config.http.port;
  let server: Server | null = null;
  return {
    app,
    metrics,
    start: async () => {
      const started: unknown = await app.start({ port, host }, SERVER_OPTIONS);
      if (started instanceof Server) {
        server = started;
      } else {
        // Socket Mode: our own HTTP server carries the routes (health, metrics, webhooks).
        server = await serveRoutes(customRoutes, port, host);
      }
      alerts?.start();
      const bound = (server.address() as AddressInfo).port;
      log.info({ port: bound, mode: connection.mode }, 'bot started');
      return bound;
    },
    stop: async () => {
      const s = server;
      s?.closeAllConnections();
      await app.stop().catch((err: unknown) => log.error(errorFields(err), 'stopping the app failed'));
      await closeServer(s);
      // Commands already acknowledged finish their follow-up (claim, root, enqueue) before the queue closes.
      await deps.idle();
      // Stored notifications not yet taken stay in Redis for the next start.
      await alerts?.close();
      await queues.close();
      await remediationQueues.close();
      await closeQueueConnection(queueRedis);
      await closeQueueConnection(intakeConnection);
      await redis.quit().catch(() => undefined);
    },
    idle: async () => {
      await deps.idle();
      await alerts?.idle();
    },
  };
}
