import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { AlertEndpointDeps } from '../../handlers/webhooks';
import { redisIncidentStore } from '../alerts/incident-store';
import type { IntakeOutcome } from '../alerts/intake';
import { alertIntake } from '../alerts/intake';
import type { AlertRoute } from '../alerts/routing';
import type { DiagnoseJob } from '../queue/jobs';
import { enqueueDiagnosis } from '../queue/producer';
import { createChannelPacer } from '../util/channel-pacer';
import { createWorkLimiter } from '../util/work-limiter';

/** Notifications handled at once (most only read Redis; new threads wait for their channel's pace). */
const INTAKE_CONCURRENCY = 8;
const INTAKE_BACKLOG = 5_000;

/** The alert endpoints' dependencies: incident threads in Redis, paced posting, the diagnosis queue. */
export function alertDeps(options: {
  token: string;
  defaultChannel: string;
  routes: readonly AlertRoute[];
  redis: Redis;
  prefix: string;
  slack: WebClient;
  queue: Queue<DiagnoseJob>;
  log: { warn(data: object, msg: string): void; error(data: object, msg: string): void };
  /** Minimum spacing of posts to one channel (Slack allows about one message per second). */
  paceMs?: number;
  rediagnoseAfterSeconds?: number;
  /** Called with each notification's outcome (metrics). */
  onOutcome?: (outcome: IntakeOutcome) => void;
}): AlertEndpointDeps & { idle(): Promise<void> } {
  const { slack, log } = options;
  const pace = createChannelPacer(options.paceMs ?? 1_000);
  const intake = alertIntake({
    incidents: redisIncidentStore(options.redis, options.prefix),
    routes: options.routes,
    defaultChannel: options.defaultChannel,
    post: (channel, message) =>
      pace(channel, async () => {
        const posted = await slack.chat.postMessage({ channel, ...message } as never);
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        return posted.ts;
      }),
    update: (channel, ts, message) =>
      pace(channel, async () => {
        await slack.chat.update({ channel, ts, ...message } as never);
      }),
    enqueue: (job) => enqueueDiagnosis(options.queue, job),
    rediagnoseAfterSeconds: options.rediagnoseAfterSeconds ?? 300,
    now: Date.now,
  });
  const limiter = createWorkLimiter({
    concurrency: INTAKE_CONCURRENCY,
    maxPending: INTAKE_BACKLOG,
    onError: (err) => log.error({ err: (err as Error).message }, 'alert intake failed'),
  });
  return {
    token: options.token,
    accept: (n) =>
      limiter.submit(async () => {
        const outcome = await intake(n);
        options.onOutcome?.(outcome);
      }),
    idle: () => limiter.idle(),
    log,
  };
}
