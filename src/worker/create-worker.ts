import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logging } from '@google-cloud/logging';
import type { KubeConfig } from '@kubernetes/client-node';
import { VersionApi } from '@kubernetes/client-node';
import type { WebClient } from '@slack/web-api';
import { WebClientEvent } from '@slack/web-api';
import type { ConnectionOptions, Worker } from 'bullmq';
import { redisIncidentStore } from '../alerts/incident-store';
import { collectLive } from '../collect/live/collect-live';
import { makeKubeApis } from '../collect/live/kube-apis';
import { kubeObjectAccess } from '../collect/live/object-access';
import type { WorkerConfig } from '../config/load-config';
import type { Readiness } from '../metrics/endpoints';
import { closeServer, guarded, operationRoutes, serveRoutes } from '../metrics/endpoints';
import { Metrics } from '../metrics/registry';
import { diagnosisPipeline } from '../pipeline/diagnose';
import type { Collect } from '../pipeline/ports';
import { remediationPipeline } from '../pipeline/remediate';
import { closeQueueConnection, queueConnection, redisClient } from '../queue/connection';
import { startDiagnoseWorker } from '../queue/diagnose-worker';
import { DIAGNOSE_QUEUE, REMEDIATE_QUEUE, clusterQueue } from '../queue/jobs';
import { startRemediationWorker } from '../queue/remediation-queue';
import { redisAuditLog } from '../remediation/audit';
import { redisProposalStore } from '../remediation/proposal-store';
import { verifyByRediagnosis } from '../pipeline/verify';
import type { Catalog } from '../runbooks/catalog';
import { loadCatalog } from '../runbooks/catalog';
import { slackThreads } from '../slack/web-api';
import { redisClusterRegistry } from '../store/cluster-registry';
import { redisInventory } from '../store/inventory';
import { HEARTBEAT_MS } from '../pipeline/clusters';
import { redisPostedStore } from '../store/posted-store';
import { errorFields, errorMessage } from '../util/errors';
import { withDeadline } from '../util/deadline';
import type { Logger } from '../util/logger';
import { outageLog } from '../util/outage-log';
import type { RedisClient } from '../util/redis-client';
import { observeCall, observedDiagnosis, observedRemediation, workerMetrics } from './observed';

/** A cluster a worker serves: its name (in reports, queues, logs and metrics) and how to reach it. */
export interface ServedCluster {
  name: string;
  kubeConfig: KubeConfig;
}

/** The outside systems a worker talks to, made by the caller (the process from its config, tests with fakes). */
export interface WorkerClients {
  /** The cluster served when `clusters` is absent: named MESH_CLUSTER_NAME, else by its current context. */
  kubeConfig: KubeConfig;
  /** The clusters of MESH_CLUSTERS, each under its context name. */
  clusters?: ServedCluster[];
  /** Cloud Logging for a project, or null to read pod logs through the Kubernetes API. */
  logging: { client: Logging; projectId: string } | null;
  /** The Slack Web API client reports are posted with. */
  slack: WebClient;
  log: Logger;
}

/** Timings a process takes as they are; tests and benchmarks shorten them or pin the clock. */
export interface WorkerTuning {
  /** Where /healthz, /readyz and /metrics are served: WORKER_PORT unless given (0 binds a free port). */
  host: string;
  port: number;
  /** How far back logs are read for a diagnosis. */
  sinceMs: number;
  /** How long to wait for a patched workload's rollout before re-diagnosing anyway, and how often to look. */
  rollout: { timeoutMs: number; pollMs: number };
  /** The wall clock: proposal expiry. */
  now: () => number;
  /** The time logs are read up to (the wall clock unless pinned, as tests of old examples do). */
  readAsOf: () => number;
  catalog: Catalog;
}

export interface MeshWorker {
  /** Starts taking jobs and serving its operations endpoints; resolves with their bound port. */
  start(): Promise<number>;
  /** Finishes the current jobs, then closes Redis. */
  stop(): Promise<void>;
}

/** /readyz waits this long for Redis and the Kubernetes API (probes time out after a second by default). */
const READY_DEADLINE_MS = 900;

const DEFAULT_TUNING = { sinceMs: 3_600_000, rollout: { timeoutMs: 5 * 60_000, pollMs: 5_000 }, now: Date.now };

/**
 * A worker (composition root): takes diagnosis jobs from the queue, reads the cluster and logs, posts the
 * report; with approvals on, also applies, rolls back and verifies approved patches.
 */
export function createWorker(
  config: WorkerConfig,
  clients: WorkerClients,
  tuning: Partial<WorkerTuning> = {},
): MeshWorker {
  const sinceMs = tuning.sinceMs ?? DEFAULT_TUNING.sinceMs;
  const rollout = tuning.rollout ?? DEFAULT_TUNING.rollout;
  const now = tuning.now ?? DEFAULT_TUNING.now;
  const readAsOf = tuning.readAsOf ?? now;
  const catalog = tuning.catalog ?? loadCatalog();
  const prefix = config.redis.queuePrefix;
  // Workers block on Redis: their connection never gives up on a request (BullMQ's production guide).
  let connection: ConnectionOptions | null = null;
  let redis: RedisClient | null = null;
  let workers: Worker[] = [];

  const metrics = new Metrics();
  // A Redis outage is one line when it starts and one when it ends, from the workers' clients together.
  const outage = outageLog(clients.log, 'redis', () => m.redisErrors.inc());
  const log = outage.quiet(clients.log);
  // A worker serving one unnamed cluster also takes the jobs of bots that name none (older versions).
  const unnamed = clients.clusters === undefined && config.clusters.name === undefined;
  const served = (
    clients.clusters ?? [
      {
        name: config.clusters.name ?? (clients.kubeConfig.getCurrentContext() || 'in-cluster'),
        kubeConfig: clients.kubeConfig,
      },
    ]
  ).map((c) => {
    const kube = makeKubeApis(c.kubeConfig);
    const collect: Collect = (target) =>
      collectLive({ kube, logging: clients.logging }, catalog, {
        namespace: target.namespace,
        workload: target.workload,
        controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
        sinceMs,
        nowMs: readAsOf(),
        onCall: observeCall(m, c.name),
      });
    return { ...c, collect, version: c.kubeConfig.makeApiClient(VersionApi) };
  });
  const clusterNames = served.map((c) => c.name);
  const m = workerMetrics(metrics, clusterNames);
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let server: Server | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const slack = slackThreads(clients.slack);
  clients.slack.on(WebClientEvent.RATE_LIMITED, () => m.rateLimited.inc());
  // Ready when Redis answers (jobs can be taken) and so does every cluster served (they can be done).
  const readiness = async (): Promise<Readiness> => {
    const r = redis;
    if (!r) return { ok: false, detail: 'not started' };
    const checks = await Promise.allSettled([
      withDeadline('Redis (PING)', READY_DEADLINE_MS, r.ping()),
      ...served.map((c) =>
        withDeadline(`the Kubernetes API of ${c.name} (GET /version)`, READY_DEADLINE_MS, c.version.getCode()),
      ),
    ]);
    const names = ['Redis', ...served.map((c) => `the Kubernetes API of ${c.name}`)];
    const problems = checks.flatMap((p, i) =>
      p.status === 'rejected' ? [`${names[i]}: ${errorMessage(p.reason).split('\n')[0]?.slice(0, 200)}`] : [],
    );
    return problems.length
      ? { ok: false, detail: problems.join('; ') }
      : { ok: true, detail: `redis and the Kubernetes API of ${clusterNames.join(', ')} reachable` };
  };

  return {
    async start() {
      if (redis && server) return (server.address() as AddressInfo).port;
      redis = redisClient(config.redis, { maxRetriesPerRequest: null });
      const workerConnection = queueConnection(config.redis, { maxRetriesPerRequest: null });
      connection = workerConnection;
      redis.on('error', (err) => outage.error(err));
      redis.on('ready', () => outage.ready());
      const posted = redisPostedStore(redis);
      const proposals = redisProposalStore(redis, prefix);
      const audit = redisAuditLog(redis, prefix, log);
      const incidents = redisIncidentStore(redis, prefix);
      const lockMs = config.worker.lockSeconds * 1000;
      const approvals = config.approvals.enabled
        ? { proposals, audit, ttlMs: config.approvals.proposalTtlMinutes * 60_000 }
        : undefined;
      workers = served.flatMap((c) => {
        const inventory = redisInventory(redis as RedisClient, prefix, c.name);
        const diagnose = observedDiagnosis(
          diagnosisPipeline({
            cluster: c.name,
            defaultLanguage: config.languages.fallback,
            catalog,
            collect: c.collect,
            slack,
            posted,
            keyPrefix: prefix,
            now,
            controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
            clientIps: config.redaction.clientIps,
            incidents,
            // Best effort: a failed write only means the bot cannot refuse a mistyped target at once.
            inventory: {
              record: (update, atMs) =>
                inventory
                  .record(update, atMs)
                  .catch((err: unknown) =>
                    log.warn({ cluster: c.name, ...errorFields(err) }, 'inventory not recorded'),
                  ),
            },
            ...(approvals ? { approvals } : {}),
          }),
          m,
          log,
          c.name,
        );
        const queues = unnamed ? [c.name, null] : [c.name];
        const diagnosing = queues.map((q) =>
          startDiagnoseWorker(
            workerConnection,
            prefix,
            diagnose,
            log,
            { concurrency: config.worker.concurrency, lockDurationMs: lockMs, stalledIntervalMs: lockMs },
            clusterQueue(DIAGNOSE_QUEUE, q),
          ),
        );
        if (!approvals) return diagnosing;
        const remediate = observedRemediation(
          remediationPipeline({
            cluster: c.name,
            proposals,
            audit,
            objects: kubeObjectAccess(c.kubeConfig),
            slack,
            posted,
            keyPrefix: prefix,
            verify: verifyByRediagnosis(catalog, c.collect, config.kube.controlPlaneNamespaces),
            rollout,
            namespaces: { deny: config.remediation.denyNamespaces, controlPlane: config.kube.controlPlaneNamespaces },
          }),
          m,
          c.name,
        );
        return [
          ...diagnosing,
          ...queues.map((q) =>
            startRemediationWorker(
              workerConnection,
              prefix,
              remediate,
              log,
              { concurrency: 2, lockDurationMs: config.remediation.lockSeconds * 1000 },
              clusterQueue(REMEDIATE_QUEUE, q),
            ),
          ),
        ];
      });
      // The bot routes by what workers announce: announce now, then every HEARTBEAT_MS.
      const registry = redisClusterRegistry(redis, prefix);
      const announce = () =>
        registry
          .announce(workerId, clusterNames, Date.now())
          .catch((err: unknown) => log.warn(errorFields(err), 'clusters not announced'));
      await announce();
      heartbeat = setInterval(() => void announce(), HEARTBEAT_MS);
      const routes = operationRoutes(metrics, readiness).map((route) =>
        guarded(route, log, (err) => m.failures.inc({ cause: errorFields(err).code, where: 'http-route' })),
      );
      server = await serveRoutes(routes, tuning.port ?? config.http.workerPort, tuning.host ?? '0.0.0.0');
      const port = (server.address() as AddressInfo).port;
      log.info(
        {
          clusters: clusterNames,
          worker: workerId,
          port,
          concurrency: config.worker.concurrency,
          logs: clients.logging ? 'cloud-logging' : 'pod-logs',
          approvals: config.approvals.enabled,
        },
        'worker started',
      );
      return port;
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      await closeServer(server);
      server = null;
      await Promise.all(workers.map((w) => w.close()));
      workers = [];
      // The bot stops routing here at once rather than after the heartbeat fades.
      if (redis)
        await redisClusterRegistry(redis, prefix)
          .withdraw(workerId, clusterNames)
          .catch(() => undefined);
      if (connection) await closeQueueConnection(connection);
      connection = null;
      await redis?.quit().catch(() => undefined);
      redis = null;
    },
  };
}
