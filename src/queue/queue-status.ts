import type { Queue } from 'bullmq';

/** Queue state for `/mesh status` and /metrics. */
export interface QueueStatus {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  workers: number;
  recentFailures: string[];
}

/** Queue depth, connected workers and the latest failures, for `/mesh status` and /metrics. */
export async function queueStatus(queue: Queue): Promise<QueueStatus> {
  const [counts, workers, failed] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
    queue.getWorkers(),
    queue.getFailed(0, 2),
  ]);
  return {
    waiting: counts.waiting ?? 0,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    workers: workers.length,
    recentFailures: failed.map(
      (job) =>
        `${job.data && typeof job.data === 'object' && 'target' in job.data ? JSON.stringify((job.data as { target: unknown }).target) : job.id}: ${(job.failedReason ?? 'unknown').slice(0, 200)}`,
    ),
  };
}

/** Several queues' status as one: counts and workers added up, the latest failures of each. */
export function mergeStatus(list: readonly QueueStatus[]): QueueStatus {
  const sum = (k: 'waiting' | 'active' | 'delayed' | 'failed' | 'workers') => list.reduce((n, s) => n + s[k], 0);
  return {
    waiting: sum('waiting'),
    active: sum('active'),
    delayed: sum('delayed'),
    failed: sum('failed'),
    workers: sum('workers'),
    recentFailures: list.flatMap((s) => s.recentFailures).slice(0, 3),
  };
}
