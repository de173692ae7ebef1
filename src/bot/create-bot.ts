import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import type { BotConfig } from '../config/load-config';
import { Metrics } from '../metrics/registry';
import { createDiagnoseQueue } from '../queue/producer';
import { queueStatus } from '../queue/queue-status';
import { createRemediationQueue } from '../queue/remediation-queue';
import type { Catalog } from '../runbooks/catalog';
import { loadCatalog } from '../runbooks/catalog';
import { SLACK_LEVEL, slackLogger } from '../slack/slack-logger';
import { slackThreads, userGroupMembers } from '../slack/web-api';
import { errorFields, errorMessage } from '../util/errors';
import type { HttpRoute } from '../util/http-route';
import type { Logger } from '../util/logger';
import { outageLog } from '../util/outage-log';
import { buildAlertDeps } from './alert-deps';
import { buildApprovalDeps } from './approval-deps';
import { withDeadline } from './deadline';
import type { AlertEndpointDeps, HandlerDeps } from './handler-deps';
import { buildHandlerDeps } from './handler-deps';

/**
 * Requests to /slack/events are read up to this many bytes, then refused with 413 (by Content-Length
 * before reading, else while reading), before their signature can be checked. Slack's payloads are well
 * under 100 KB.
 */
export const SLACK_BODY_LIMIT = 256 * 1024;
/**
 * Every request (headers and body) must arrive within this, else Node answers 408 and closes the
 * connection; checked every half second. Keeps slow or held-open bodies from holding memory.
 */
const SERVER_OPTIONS = { requestTimeout: 5_000, headersTimeout: 5_000, connectionsCheckingInterval: 500 };

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

function routes(
  metrics: Metrics,
  health: () => Promise<{ ok: boolean; detail: string }>,
  extra: HttpRoute[],
): HttpRoute[] {
  return [
    {
      // Liveness: the process serves requests. Never Redis: a Redis outage must not restart-loop the bot.
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', detail: 'serving' }));
      },
    },
    {
      // Readiness: Redis answers, so commands can be queued; a pod that cannot queue gets no new traffic.
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const h = await health().catch((err: unknown) => ({ ok: false, detail: errorMessage(err) }));
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', detail: h.detail }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(await metrics.render());
      },
    },
    ...extra,
  ];
}

/** A route whose failure is a 500 and a log line, never an unhandled rejection. */
function guarded(route: HttpRoute, log: Pick<Logger, 'error'>): HttpRoute {
  return {
    ...route,
    handler: (req, res) =>
      Promise.resolve()
        .then(() => route.handler(req, res))
        .catch((err: unknown) => {
          log.error({ path: route.path, ...errorFields(err) }, 'HTTP route failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal error' }));
        }),
  };
}

/** Serves the routes on their own HTTP server (Socket Mode has no HTTP receiver); unknown paths get 404. */
async function serveRoutes(routeList: HttpRoute[], port: number, host: string): Promise<Server> {
  const server = new Server(SERVER_OPTIONS, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routeList.find((r) => r.path === path);
    if (!route) return void res.writeHead(404).end();
    if (!route.method.includes(req.method ?? ''))
      return void res.writeHead(405, { allow: route.method.join(', ') }).end();
    Promise.resolve(route.handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Registers the bot's metric families; returns the counters its services bump. */
function botMetrics(metrics: Metrics, queue: Parameters<typeof queueStatus>[0]) {
  metrics.gauge('mesh_doctor_queue_jobs', 'Diagnosis jobs by state', async () => {
    const s = await queueStatus(queue);
    return {
      'state="waiting"': s.waiting,
      'state="active"': s.active,
      'state="delayed"': s.delayed,
      'state="failed"': s.failed,
    };
  });
  return {
    clicks: metrics.counter('mesh_doctor_patch_clicks_total', 'Approve, Reject, Roll back and Re-diagnose clicks'),
    notifications: metrics.counter('mesh_doctor_alert_notifications_total', 'Alert notifications by outcome'),
    queued: metrics.counter('mesh_doctor_diagnoses_queued_total', 'Diagnoses queued, by whether the request was new'),
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
  const outage = outageLog(clients.log, 'redis', () => redisErrors());
  const log = outage.quiet(clients.log);
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => outage.error(err));
  redis.on('ready', () => outage.ready());
  const queue = createDiagnoseQueue({ url: config.redis.url }, prefix);
  queue.on('error', (err) => outage.error(err));
  const remediationQueue = config.approvals.enabled ? createRemediationQueue({ url: config.redis.url }, prefix) : null;
  remediationQueue?.on('error', (err) => outage.error(err));
  const count = botMetrics(metrics, queue);
  const slack = slackThreads(clients.slack);
  const approvals = remediationQueue
    ? buildApprovalDeps({
        policy: config.approvals,
        redis,
        prefix,
        slack,
        userGroupMembers: userGroupMembers(clients.slack),
        diagnoseQueue: queue,
        remediationQueue,
        log,
        now,
        onClick: (action, refused) => count.clicks({ action, refused: String(refused) }),
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
          redisUrl: config.redis.url,
          prefix,
          slack,
          queue,
          log,
          paceMs: tuning.alertPaceMs,
          rediagnoseAfterSeconds: tuning.rediagnoseAfterSeconds,
          onOutcome: (outcome) => count.notifications({ outcome }),
        })
      : null;
  if (alerts)
    metrics.gauge(
      'mesh_doctor_alert_intake_jobs',
      'Alert notifications stored and not yet through the intake',
      async () => ({
        '': await alerts.backlog(),
      }),
    );
  const deps = buildHandlerDeps({
    catalog,
    redis,
    queue,
    prefix,
    slack,
    log,
    onEnqueued: (queued) => count.queued({ new: String(queued) }),
    followUpBacklog: tuning.followUpBacklog,
    approvals,
  });
  const health = async () => ({
    ok: (await withDeadline('Redis (PING)', HEALTH_DEADLINE_MS, redis.ping())) === 'PONG',
    detail: 'redis reachable',
  });
  const customRoutes = routes(metrics, health, alerts ? listeners.alertRoutes(alerts) : []).map((route) =>
    guarded(route, log),
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
  listeners.register(app, deps);
  app.error(async (err) => {
    log.error(errorFields(err), 'slack handler error');
  });
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
      if (s?.listening) await new Promise((resolve) => s.close(resolve));
      // Commands already acknowledged finish their follow-up (claim, root, enqueue) before the queue closes.
      await deps.idle();
      // Stored notifications not yet taken stay in Redis for the next start.
      await alerts?.close();
      await queue.close();
      await remediationQueue?.close();
      await redis.quit().catch(() => undefined);
    },
    idle: async () => {
      await deps.idle();
      await alerts?.idle();
    },
  };
}
