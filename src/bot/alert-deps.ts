import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisIncidentStore } from '../alerts/incident-store';
import type { AlertRoute } from '../alerts/routing';
import type { IntakeOutcome } from '../pipeline/alert-intake';
import { alertIntake } from '../pipeline/alert-intake';
import type { SlackThreads } from '../pipeline/ports';
import type { DiagnoseRequest } from '../pipeline/request';
import { enqueueDiagnosis } from '../queue/producer';
import { pacedThreads } from '../slack/web-api';
import { createChannelPacer } from '../util/channel-pacer';
import { errorFields } from '../util/errors';
import type { Logger } from '../util/logger';
import { createWorkLimiter } from '../util/work-limiter';
import type { AlertEndpointDeps } from './handler-deps';

/** Notifications handled at once (most only read Redis; new threads wait for their channel's pace). */
const INTAKE_CONCURRENCY = 8;
const INTAKE_BACKLOG = 5_000;

/** The alert endpoints' dependencies: incident threads in Redis, paced posting, the diagnosis queue. */
export function buildAlertDeps(options: {
  token: string;
  defaultChannel: string;
  routes: readonly AlertRoute[];
  redis: Redis;
  prefix: string;
  slack: SlackThreads;
  queue: Queue<DiagnoseRequest>;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Minimum spacing of posts to one channel (Slack allows about one message per second). */
  paceMs?: number;
  rediagnoseAfterSeconds?: number;
  /** Called with each notification's outcome (metrics). */
  onOutcome?: (outcome: IntakeOutcome) => void;
}): AlertEndpointDeps & { idle(): Promise<void> } {
  const { log } = options;
  const intake = alertIntake({
    incidents: redisIncidentStore(options.redis, options.prefix),
    routes: options.routes,
    defaultChannel: options.defaultChannel,
    slack: pacedThreads(options.slack, createChannelPacer(options.paceMs ?? 1_000)),
    enqueue: (request) => enqueueDiagnosis(options.queue, request),
    rediagnoseAfterSeconds: options.rediagnoseAfterSeconds ?? 300,
    now: Date.now,
  });
  const limiter = createWorkLimiter({
    concurrency: INTAKE_CONCURRENCY,
    maxPending: INTAKE_BACKLOG,
    onError: (err) => log.error(errorFields(err), 'alert intake failed'),
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
