import type { ConnectionOptions, Job } from 'bullmq';
import { UnrecoverableError, Worker } from 'bullmq';
import type { DiagnosisOutcome, DiagnosisRun } from '../pipeline/diagnose';
import type { DiagnoseRequest } from '../pipeline/request';
import { diagnoseRequestSchema } from '../pipeline/request';
import type { Logger } from '../util/logger';
import { DIAGNOSE_QUEUE } from './jobs';

export interface WorkerOptions {
  concurrency: number;
  /** How long a job stays locked without renewal; a worker that died gives its job up after about twice this. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 4,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
};

type RunDiagnosis = (request: DiagnoseRequest, run: DiagnosisRun) => Promise<DiagnosisOutcome>;

/**
 * The BullMQ side of a diagnosis: a bad payload fails for good (UnrecoverableError); otherwise the
 * pipeline runs, told whether this is the job's last attempt.
 */
export function diagnoseJobProcessor(run: RunDiagnosis): (job: Job<DiagnoseRequest>) => Promise<DiagnosisOutcome> {
  return async (job) => {
    const parsed = diagnoseRequestSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid diagnosis job: ${parsed.error.issues[0]?.message ?? 'bad payload'}`);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return run(parsed.data, { id: job.id ?? parsed.data.requestKey, lastAttempt });
  };
}

/**
 * A diagnosis worker. The connection must have `maxRetriesPerRequest: null` (BullMQ's production guide);
 * errors are logged, never left unhandled.
 */
export function startDiagnoseWorker(
  connection: ConnectionOptions,
  prefix: string,
  run: RunDiagnosis,
  log: Pick<Logger, 'error'>,
  options: WorkerOptions = DEFAULT_WORKER_OPTIONS,
  queueName: string = DIAGNOSE_QUEUE,
): Worker<DiagnoseRequest> {
  const worker = new Worker<DiagnoseRequest>(queueName, diagnoseJobProcessor(run), {
    connection,
    prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) =>
    log.error({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'diagnosis job failed'),
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  return worker;
}
