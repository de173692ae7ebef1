import { Redis } from 'ioredis';
import { createBot } from './bot/create-bot';
import { queueHandlerDeps } from './bot/queue-handler-deps';
import { WebClient } from '@slack/web-api';
import { alertRoutes } from '../handlers/webhooks';
import { alertDeps } from './bot/alert-deps';
import { approvalDeps } from './bot/approval-deps';
import { createDiagnoseQueue } from './queue/producer';
import { createRemediationQueue } from './queue/remediation-queue';
import { loadConfig } from './config/load-config';
import { Metrics } from './metrics/registry';
import { queueStatus } from './queue/queue-status';
import { loadCatalog } from './runbooks/catalog';
import { createLogger } from './util/logger';

/**
 * The bot process (composition root): the Slack app and its HTTP endpoints. It only queues work;
 * workers run the diagnoses. Stops gracefully on SIGTERM/SIGINT: the app, then the queue, then Redis.
 */
export async function startBot(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env, 'bot');
  const log = createLogger(config.logLevel);
  const catalog = loadCatalog();
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', (err) => log.error({ err: err.message }, 'redis error'));
  const queue = createDiagnoseQueue({ url: config.redis.url }, config.redis.queuePrefix);
  queue.on('error', (err) => log.error({ err: err.message }, 'queue error'));
  const metrics = new Metrics();
  const clicks = metrics.counter('mesh_doctor_patch_clicks_total', 'Approve, Reject, Roll back and Re-diagnose clicks');
  const notifications = metrics.counter('mesh_doctor_alert_notifications_total', 'Alert notifications by outcome');
  /** For approvals and alerts, outside Bolt's request handling. */
  const slack = new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl });
  const remediationQueue = config.approvals.enabled
    ? createRemediationQueue({ url: config.redis.url }, config.redis.queuePrefix)
    : null;
  remediationQueue?.on('error', (err) => log.error({ err: err.message }, 'queue error'));
  const approvals = remediationQueue
    ? approvalDeps({
        policy: config.approvals,
        redis,
        prefix: config.redis.queuePrefix,
        slack,
        diagnoseQueue: queue,
        remediationQueue,
        log,
        onClick: (action, refused) => clicks({ action, refused: String(refused) }),
      })
    : undefined;
  const { webhookToken, channel: alertChannel, routes: alertChannelRoutes } = config.alerts;
  const alerts =
    webhookToken && alertChannel
      ? alertRoutes(
          alertDeps({
            token: webhookToken,
            defaultChannel: alertChannel,
            routes: alertChannelRoutes,
            redis,
            prefix: config.redis.queuePrefix,
            slack,
            queue,
            log,
            onOutcome: (outcome) => notifications({ outcome }),
          }),
        )
      : [];
  const commands = metrics.counter(
    'mesh_doctor_diagnoses_queued_total',
    'Diagnoses queued, by whether the request was new',
  );
  metrics.gauge('mesh_doctor_queue_jobs', 'Diagnosis jobs by state', async () => {
    const s = await queueStatus(queue);
    return {
      'state="waiting"': s.waiting,
      'state="active"': s.active,
      'state="delayed"': s.delayed,
      'state="failed"': s.failed,
    };
  });
  const connection = config.slack.connection;
  const bot = createBot(
    {
      botToken: config.slack.botToken,
      signingSecret: connection.signingSecret ?? null,
      appToken: connection.mode === 'socket' ? connection.appToken : null,
      slackApiUrl: config.slack.apiUrl,
      port: config.http.port,
    },
    queueHandlerDeps({
      catalog,
      redis,
      queue,
      prefix: config.redis.queuePrefix,
      log,
      onEnqueued: (queued) => commands({ new: String(queued) }),
      approvals,
    }),
    metrics,
    async () => ({ ok: (await redis.ping()) === 'PONG', detail: 'redis reachable' }),
    alerts,
  );
  const port = await bot.start();
  log.info({ port, mode: connection.mode }, 'bot started');
  const stop = async () => {
    log.info({}, 'bot stopping');
    await bot.stop().catch((err: unknown) => log.error({ err: (err as Error).message }, 'stopping the app failed'));
    await queue.close();
    await remediationQueue?.close();
    await redis.quit().catch(() => undefined);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
