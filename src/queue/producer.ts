import type { ConnectionOptions } from 'bullmq';
import { Queue } from 'bullmq';
import type { DiagnoseRequest } from '../pipeline/request';
import { DIAGNOSE_JOB, DIAGNOSE_QUEUE } from './jobs';
import { jobIdFor } from './job-id';

/** Bounded retention of finished jobs, for every queue. */
export const JOB_RETENTION = {
  removeOnComplete: { count: 1_000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5_000, age: 30 * 24 * 3600 },
} as const;

/** Retries with exponential backoff for transient failures. */
export const DIAGNOSE_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2_000 },
  ...JOB_RETENTION,
} as const;

/** The diagnosis queue. `prefix` should be a Redis Cluster hash tag such as `{mesh-doctor}`. */
export function createDiagnoseQueue(connection: ConnectionOptions, prefix: string): Queue<DiagnoseRequest> {
  return new Queue<DiagnoseRequest>(DIAGNOSE_QUEUE, { connection, prefix, defaultJobOptions: DIAGNOSE_JOB_OPTIONS });
}

/** Queues a diagnosis once per request key; returns the job id and whether this call queued it. */
export async function enqueueDiagnosis(
  queue: Queue<DiagnoseRequest>,
  job: DiagnoseRequest,
): Promise<{ jobId: string; queued: boolean }> {
  const jobId = jobIdFor('diagnose', job.requestKey);
  const existing = await queue.getJob(jobId);
  if (existing) return { jobId, queued: false };
  await queue.add(DIAGNOSE_JOB, job, { jobId });
  return { jobId, queued: true };
}
