import type { KubeConfig } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { Check, Evidence, Target } from '../diagnosis/evidence';
import type { PostedStore, ReportPoster } from '../queue/report-poster';
import type { Catalog } from '../runbooks/catalog';
import { redisAuditLog } from './audit';
import { kubeObjectAccess } from './object-access';
import { redisProposalStore } from './proposal-store';
import type { RemediationDeps } from './remediate';
import { verifyByRediagnosis } from './verify';

/** Everything a worker needs to apply, roll back and verify proposals, built from its clients. */
export function remediationDeps(o: {
  redis: Redis;
  prefix: string;
  kc: KubeConfig;
  catalog: Catalog;
  collect: (target: Target) => Promise<{ evidence: Evidence; checks: Check[] }>;
  poster: ReportPoster;
  posted: PostedStore;
  rollout: RemediationDeps['rollout'];
  log: { info(data: object, msg: string): void; error(data: object, msg: string): void };
}): RemediationDeps & { log: typeof o.log } {
  return {
    proposals: redisProposalStore(o.redis, o.prefix),
    audit: redisAuditLog(o.redis, o.prefix, o.log),
    objects: kubeObjectAccess(o.kc),
    poster: o.poster,
    posted: o.posted,
    keyPrefix: o.prefix,
    verify: verifyByRediagnosis(o.catalog, o.collect),
    rollout: o.rollout,
    log: o.log,
  };
}
