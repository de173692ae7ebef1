import type { ConnectionOptions } from 'bullmq';
import { Worker } from 'bullmq';
import type { DiagnoseDeps } from './diagnose-processor';
import { makeDiagnoseProcessor } from './diagnose-processor';
import type { DiagnoseJob } from './jobs';
import { DIAGNOSE_QUEUE } from './jobs';

export interface WorkerOptions {
  concurrency: number;
  /** How long a job stays locked without renewal; a worker that died gives its job up after about twice this. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 4,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
};

/**
 * A diagnosis worker. The connection must have `maxRetriesPerRequest: null` (BullMQ's production guide);
 * errors are logged, never left unhandled.
 */
export function startDiagnoseWorker(
  connection: ConnectionOptions,
  prefix: string,
  deps: DiagnoseDeps & { log: { error(data: object, msg: string): void } },
  options: WorkerOptions = DEFAULT_WORKER_OPTIONS,
): Worker<DiagnoseJob> {
  const worker = new Worker<DiagnoseJob>(DIAGNOSE_QUEUE, makeDiagnoseProcessor(deps), {
    connection,
    prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) =>
    deps.log.error({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'diagnosis job failed'),
  );
  worker.on('error', (err) => deps.log.error({ err: err.message }, 'worker error'));
  return worker;
}
