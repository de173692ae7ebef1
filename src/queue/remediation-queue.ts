import type { ConnectionOptions } from 'bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { RemediationJob } from '../pipeline/remediate';
import type { Logger } from '../util/logger';
import { jobIdFor } from './job-id';
import { REMEDIATE_QUEUE } from './jobs';
import { JOB_RETENTION } from './producer';

const remediationJobSchema = z.strictObject({
  action: z.enum(['apply', 'rollback']),
  proposalId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  cluster: z.string().min(1).optional(),
});

/** Few attempts: every step re-checks the proposal's state, and a write is never repeated blindly. */
const OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, ...JOB_RETENTION } as const;

export function createRemediationQueue(
  connection: ConnectionOptions,
  prefix: string,
  name: string = REMEDIATE_QUEUE,
): Queue<RemediationJob> {
  return new Queue<RemediationJob>(name, { connection, prefix, defaultJobOptions: OPTIONS });
}

/** One job per proposal and action, ever: a double click or a redelivery finds it queued. */
export async function enqueueRemediation(queue: Queue<RemediationJob>, job: RemediationJob): Promise<void> {
  await queue.add(job.action, job, { jobId: jobIdFor(job.action, job.proposalId) });
}

/**
 * The remediation worker: a bad payload fails for good; otherwise the remediation pipeline runs it.
 * A running job's lock (`lockDurationMs`, MESH_REMEDIATION_LOCK_SECONDS) is renewed every half of it
 * while the worker lives; once a killed worker's lock lapses, the stalled check (every half of it too)
 * hands the job to another worker, whose retry re-checks the proposal's state.
 */
export function startRemediationWorker(
  connection: ConnectionOptions,
  prefix: string,
  run: (job: RemediationJob) => Promise<string>,
  log: Pick<Logger, 'error'>,
  options: { concurrency: number; lockDurationMs: number },
  queueName: string = REMEDIATE_QUEUE,
): Worker<RemediationJob> {
  const renewMs = Math.max(500, Math.floor(options.lockDurationMs / 2));
  const worker = new Worker<RemediationJob>(
    queueName,
    async (job) => {
      const parsed = remediationJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid remediation job');
      return run(parsed.data);
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      lockRenewTime: renewMs,
      stalledInterval: renewMs,
      maxStalledCount: 1,
    },
  );
  worker.on('failed', (job, err) => log.error({ job: job?.id, err: err.message }, 'remediation job failed'));
  worker.on('error', (err) => log.error({ err: err.message }, 'remediation worker error'));
  return worker;
}
