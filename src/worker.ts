import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { loadKubeConfig, makeLogging, resolveProject } from './collect/live/clients';
import { collectLive } from './collect/live/collect-live';
import { makeKubeApis } from './collect/live/kube-apis';
import { loadConfig } from './config/load-config';
import { redisPostedStore } from './queue/redis-posted-store';
import { slackPoster } from './queue/slack-poster';
import { startDiagnoseWorker } from './queue/start-worker';
import { startRemediationWorker } from './queue/remediation-queue';
import { remediationDeps } from './remediation/remediation-deps';
import { redisIncidentStore } from './alerts/incident-store';
import { loadCatalog } from './runbooks/catalog';
import { createLogger } from './util/logger';

/** How far back a worker reads logs for a diagnosis. */
const SINCE_MS = 3_600_000;
/** How long to wait for a patched workload's rollout before re-diagnosing anyway. */
const ROLLOUT_TIMEOUT_MS = 5 * 60_000;

/**
 * A worker process (composition root): takes diagnosis jobs from the queue, reads the cluster and logs,
 * posts the report. Run as many as needed. On SIGTERM it finishes its current jobs, then closes Redis.
 */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env, 'worker');
  const log = createLogger(config.logLevel);
  const catalog = loadCatalog();
  const kc = loadKubeConfig(null, env);
  const kube = makeKubeApis(kc);
  const projectId = resolveProject(null, env);
  const logging = projectId ? { client: makeLogging(projectId, env), projectId } : null;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  redis.on('error', (err) => log.error({ err: err.message }, 'redis error'));
  const connection = { url: config.redis.url, maxRetriesPerRequest: null };
  const prefix = config.redis.queuePrefix;
  const collect = (target: { namespace: string | null }) =>
    collectLive({ kube, logging }, catalog, {
      namespace: target.namespace,
      controlPlaneNamespace: config.kube.controlPlaneNamespace,
      sinceMs: SINCE_MS,
      nowMs: Date.now(),
    });
  const poster = slackPoster(new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl }));
  const posted = redisPostedStore(redis);
  const remediation = remediationDeps({
    redis,
    prefix,
    kc,
    catalog,
    collect,
    poster,
    posted,
    rollout: { timeoutMs: ROLLOUT_TIMEOUT_MS, pollMs: 5_000 },
    log,
  });
  const remediationWorker = config.approvals.enabled ? startRemediationWorker(connection, prefix, remediation) : null;
  const worker = startDiagnoseWorker(
    connection,
    prefix,
    {
      catalog,
      collect,
      poster,
      posted,
      keyPrefix: prefix,
      approvals: config.approvals.enabled
        ? {
            proposals: remediation.proposals,
            audit: remediation.audit,
            ttlMs: config.approvals.proposalTtlMinutes * 60_000,
          }
        : undefined,
      incidents: redisIncidentStore(redis, prefix),
      log,
    },
    {
      concurrency: config.worker.concurrency,
      lockDurationMs: config.worker.lockSeconds * 1000,
      stalledIntervalMs: config.worker.lockSeconds * 1000,
    },
  );
  log.info({ concurrency: config.worker.concurrency, logs: logging ? 'cloud-logging' : 'pod-logs' }, 'worker started');
  const stop = async () => {
    log.info({}, 'worker stopping');
    await Promise.all([worker.close(), remediationWorker?.close()]);
    await redis.quit().catch(() => undefined);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
