import type { ConnectionOptions } from 'bullmq';
import { Queue } from 'bullmq';
import type { DiagnoseRequest } from '../pipeline/request';
import { DIAGNOSE_JOB, DIAGNOSE_QUEUE, clusterQueue } from './jobs';
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
export function createDiagnoseQueue(
  connection: ConnectionOptions,
  prefix: string,
  name: string = DIAGNOSE_QUEUE,
): Queue<DiagnoseRequest> {
  return new Queue<DiagnoseRequest>(name, { connection, prefix, defaultJobOptions: DIAGNOSE_JOB_OPTIONS });
}

/** A queue per cluster (and one for requests naming none), made on first use. */
export interface ClusterQueues<T> {
  of(cluster: string | null | undefined): Queue<T>;
  /** Every queue made so far, the unnamed one first. */
  all(): Queue<T>[];
  close(): Promise<void>;
}

export type DiagnoseQueues = ClusterQueues<DiagnoseRequest>;

/** Queues named `base` and `base.<cluster>`, made by `make` on first use and passed to `onCreate`. */
export function clusterQueues<T>(
  base: string,
  make: (name: string) => Queue<T>,
  onCreate: (queue: Queue<T>) => void = () => undefined,
): ClusterQueues<T> {
  const queues = new Map<string, Queue<T>>();
  const of = (cluster: string | null | undefined) => {
    const name = clusterQueue(base, cluster);
    let queue = queues.get(name);
    if (!queue) {
      queue = make(name);
      onCreate(queue);
      queues.set(name, queue);
    }
    return queue;
  };
  of(null);
  return {
    of,
    all: () => [...queues.values()],
    close: async () => void (await Promise.all([...queues.values()].map((q) => q.close()))),
  };
}

export function diagnoseQueues(
  connection: ConnectionOptions,
  prefix: string,
  onCreate?: (queue: Queue<DiagnoseRequest>) => void,
): DiagnoseQueues {
  return clusterQueues(DIAGNOSE_QUEUE, (name) => createDiagnoseQueue(connection, prefix, name), onCreate);
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
