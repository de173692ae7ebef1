import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApprovalDeps, HandlerDeps } from '../../handlers';
import { redisClaims } from '../queue/claims';
import type { DiagnoseJob } from '../queue/jobs';
import { enqueueDiagnosis } from '../queue/producer';
import { queueStatus } from '../queue/queue-status';
import type { Catalog } from '../runbooks/catalog';
import { createWorkLimiter } from '../util/work-limiter';

/** Follow-ups (claim, root message, enqueue) running at once, and waiting, per bot process. */
export const FOLLOW_UP_CONCURRENCY = 2;
export const FOLLOW_UP_BACKLOG = 2_000;

/** What the handlers need, backed by Redis (claims) and the diagnosis queue. */
export function queueHandlerDeps(options: {
  catalog: Catalog;
  redis: Redis;
  queue: Queue<DiagnoseJob>;
  prefix: string;
  log: HandlerDeps['log'];
  /** Called after each enqueue, with whether the request was new (metrics). */
  onEnqueued?: (queued: boolean) => void;
  /** Commands waiting for their follow-up beyond which new ones are refused (default FOLLOW_UP_BACKLOG). */
  followUpBacklog?: number;
  /** Patch approvals, when configured. */
  approvals?: ApprovalDeps;
}): HandlerDeps & { idle(): Promise<void> } {
  const { catalog, redis, queue, prefix, log, onEnqueued } = options;
  const followUps = createWorkLimiter({
    concurrency: FOLLOW_UP_CONCURRENCY,
    maxPending: options.followUpBacklog ?? FOLLOW_UP_BACKLOG,
    onError: (err) => log.error({ err: (err as Error).message }, 'command follow-up failed'),
  });
  return {
    catalog,
    claim: redisClaims(redis, prefix),
    enqueue: async (job) => {
      const result = await enqueueDiagnosis(queue, job);
      onEnqueued?.(result.queued);
      return result;
    },
    status: () => queueStatus(queue),
    defer: (task) => followUps.submit(task),
    idle: () => followUps.idle(),
    ...(options.approvals ? { approvals: options.approvals } : {}),
    log,
  };
}
