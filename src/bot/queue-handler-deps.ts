import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { HandlerDeps } from '../../handlers';
import { redisClaims } from '../queue/claims';
import type { DiagnoseJob } from '../queue/jobs';
import { enqueueDiagnosis } from '../queue/producer';
import { queueStatus } from '../queue/queue-status';
import type { Catalog } from '../runbooks/catalog';

/** What the handlers need, backed by Redis (claims) and the diagnosis queue. */
export function queueHandlerDeps(options: {
  catalog: Catalog;
  redis: Redis;
  queue: Queue<DiagnoseJob>;
  prefix: string;
  log: HandlerDeps['log'];
  /** Called after each enqueue, with whether the request was new (metrics). */
  onEnqueued?: (queued: boolean) => void;
}): HandlerDeps {
  const { catalog, redis, queue, prefix, log, onEnqueued } = options;
  return {
    catalog,
    claim: redisClaims(redis, prefix),
    enqueue: async (job) => {
      const result = await enqueueDiagnosis(queue, job);
      onEnqueued?.(result.queued);
      return result;
    },
    status: () => queueStatus(queue),
    approvalsEnabled: false,
    log,
  };
}
