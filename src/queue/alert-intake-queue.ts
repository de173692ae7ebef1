import type { ConnectionOptions, Job } from 'bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import type { AlertNotification } from '../alerts/types';
import type { Logger } from '../util/logger';
import { ALERT_INTAKE_JOB, ALERT_INTAKE_QUEUE } from './jobs';
import { JOB_RETENTION } from './producer';

/**
 * Many attempts, backing off from half a second to about 15 minutes: a notification was acknowledged to
 * its sender, so only a Redis or Slack outage longer than that loses it. Each step of the intake is
 * idempotent (thread claim, incident record, diagnosis claim, job id), so a retry never posts twice.
 */
export const ALERT_INTAKE_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  ...JOB_RETENTION,
} as const;

/** The intake queue and what closes it with its own connection. */
export interface AlertIntakeQueue {
  queue: Queue<AlertNotification>;
  close(): Promise<void>;
}

/**
 * The queue the alert endpoints store notifications in before they answer. Its connection never queues
 * commands while Redis is unreachable (`enableOfflineQueue: false`), so a store fails at once instead of
 * waiting for Redis to come back: for one server options of its own, for a Redis Cluster a client of its
 * own (a copy of the shared one), closed with the queue.
 */
export function createAlertIntakeQueue(connection: ConnectionOptions, prefix: string): AlertIntakeQueue {
  const own =
    connection instanceof Cluster
      ? connection.duplicate(undefined, { enableOfflineQueue: false })
      : { ...connection, enableOfflineQueue: false };
  const queue = new Queue<AlertNotification>(ALERT_INTAKE_QUEUE, {
    connection: own,
    prefix,
    defaultJobOptions: ALERT_INTAKE_JOB_OPTIONS,
  });
  return {
    queue,
    close: async () => {
      await queue.close();
      if (own instanceof Cluster) await own.quit().catch(() => undefined);
    },
  };
}

/** Stores a notification; resolves once Redis has it. */
export async function storeNotification(queue: Queue<AlertNotification>, n: AlertNotification): Promise<void> {
  await queue.add(ALERT_INTAKE_JOB, n);
}

/** Jobs waiting, running or waiting for a retry. */
export async function intakeBacklog(queue: Queue<AlertNotification>): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
}

function isNotification(data: unknown): data is AlertNotification {
  const n = data as Partial<AlertNotification> | null;
  return (
    typeof n === 'object' &&
    n !== null &&
    typeof n.incidentKey === 'string' &&
    (n.status === 'firing' || n.status === 'resolved') &&
    typeof n.labels === 'object' &&
    Array.isArray(n.alertLabels)
  );
}

export interface IntakeWorkerOptions {
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** false: nothing is taken until `worker.run()`. */
  autorun?: boolean;
}

/**
 * The bot's consumer of stored notifications. A job left active by a Redis restart or a crashed bot is
 * taken again after its lock expires (stalls are not counted against it more than a few times).
 */
export function startAlertIntakeWorker(
  connection: ConnectionOptions,
  prefix: string,
  run: (n: AlertNotification) => Promise<void>,
  log: Pick<Logger, 'error' | 'warn'>,
  options: IntakeWorkerOptions,
): Worker<AlertNotification> {
  const worker = new Worker<AlertNotification>(
    ALERT_INTAKE_QUEUE,
    async (job: Job<AlertNotification>) => {
      if (!isNotification(job.data)) throw new UnrecoverableError('invalid alert notification job');
      await run(job.data);
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 10,
      autorun: options.autorun ?? true,
    },
  );
  worker.on('failed', (job, err) =>
    log.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'alert intake attempt failed'),
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'alert intake worker error'));
  return worker;
}
