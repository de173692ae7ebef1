import { redisIncidentStore } from '../alerts/incident-store';
import type { AlertRoute } from '../alerts/routing';
import type { AlertNotification } from '../alerts/types';
import type { IntakeOutcome } from '../pipeline/alert-intake';
import { alertIntake } from '../pipeline/alert-intake';
import type { SlackThreads } from '../pipeline/ports';
import type { DiagnoseRequest } from '../pipeline/request';
import {
  createAlertIntakeQueue,
  intakeBacklog,
  startAlertIntakeWorker,
  storeNotification,
} from '../queue/alert-intake-queue';
import { pacedThreads } from '../slack/web-api';
import { createChannelPacer } from '../util/channel-pacer';
import { errorFields, MeshError } from '../util/errors';
import type { Logger } from '../util/logger';
import { REDIS_DEADLINE_MS, withDeadline } from '../util/deadline';
import type { AlertEndpointDeps } from './handler-deps';
import type { RedisClient } from '../util/redis-client';
import type { ConnectionOptions } from 'bullmq';

/** Notifications handled at once (most only read Redis; new threads wait for their channel's pace). */
const INTAKE_CONCURRENCY = 8;
/** How long a stopping bot waits for running intakes. */
const CLOSE_DEADLINE_MS = 5_000;

/**
 * The alert endpoints' dependencies. A notification is stored in the alert-intake queue (Redis) before
 * the endpoint answers; the bot's own intake worker then claims the incident's thread, posts the root
 * message and queues the diagnosis, retrying through Redis or Slack outages.
 */
export function buildAlertDeps(options: {
  token: string;
  acceptQueryToken: boolean;
  defaultChannel: string;
  routes: readonly AlertRoute[];
  redis: RedisClient;
  /** BullMQ's connection for the intake queue and its worker (see queueConnection). */
  connection: ConnectionOptions;
  prefix: string;
  slack: SlackThreads;
  /** Where a request goes: its cluster's queue (the only cluster served when the alert names none). */
  enqueue: (request: DiagnoseRequest) => Promise<unknown>;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Minimum spacing of posts to one channel (Slack allows about one message per second). */
  paceMs?: number;
  rediagnoseAfterSeconds?: number;
  /** The language of a channel's alert threads. */
  channelLanguage?: (channel: string) => string;
  /** Called with each notification's outcome (metrics). */
  onOutcome?: (outcome: IntakeOutcome) => void;
  /** How long the endpoint waits for Redis to store a notification before answering 503. */
  storeDeadlineMs?: number;
}): AlertEndpointDeps & {
  start(): void;
  /** Stored notifications not yet through the intake (waiting, running or waiting for a retry). */
  backlog(): Promise<number>;
  idle(): Promise<void>;
  close(): Promise<void>;
} {
  const { log, prefix } = options;
  const incidents = redisIncidentStore(options.redis, prefix);
  const intake = alertIntake({
    incidents,
    routes: options.routes,
    defaultChannel: options.defaultChannel,
    slack: pacedThreads(options.slack, createChannelPacer(options.paceMs ?? 1_000)),
    enqueue: (request) => options.enqueue(request),
    rediagnoseAfterSeconds: options.rediagnoseAfterSeconds ?? 300,
    ...(options.channelLanguage ? { channelLanguage: options.channelLanguage } : {}),
    now: Date.now,
  });
  const { connection } = options;
  const intakeQueue = createAlertIntakeQueue(connection, prefix);
  const stored = intakeQueue.queue;
  stored.on('error', (err) => log.error({ err: err.message }, 'alert intake queue error'));
  const worker = startAlertIntakeWorker(
    connection,
    prefix,
    async (n: AlertNotification) => {
      const outcome = await intake(n);
      if (outcome === 'thread-pending')
        throw new MeshError('UNEXPECTED', 'the incident thread is being opened; retrying');
      options.onOutcome?.(outcome);
    },
    log,
    { concurrency: INTAKE_CONCURRENCY, lockDurationMs: 10_000, stalledIntervalMs: 5_000, autorun: false },
  );
  const deadlineMs = options.storeDeadlineMs ?? REDIS_DEADLINE_MS;
  return {
    token: options.token,
    acceptQueryToken: options.acceptQueryToken,
    accept: async (n) => {
      try {
        await withDeadline('Redis (storing an alert)', deadlineMs, storeNotification(stored, n));
        return 'stored';
      } catch (err) {
        log.warn(errorFields(err), 'alert notification not stored');
        return 'unavailable';
      }
    },
    start: () => {
      worker.run().catch((err: unknown) => log.error(errorFields(err), 'alert intake worker stopped'));
    },
    backlog: () => intakeBacklog(stored),
    idle: async () => {
      while ((await intakeBacklog(stored)) > 0) await new Promise((r) => setTimeout(r, 50));
    },
    close: async () => {
      // Running intakes get a few seconds to finish; a job cut short stays in Redis and is taken again.
      await withDeadline('closing the alert intake', CLOSE_DEADLINE_MS, worker.close()).catch(() => worker.close(true));
      await intakeQueue.close();
    },
    log,
  };
}
