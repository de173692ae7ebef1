import type { ClusterPresence, ClusterRegistry } from '../pipeline/clusters';
import type { RedisClient } from '../util/redis-client';

/** Announcements older than this are dropped: `/mesh clusters` still says when a gone cluster was last seen. */
const RETENTION_MS = 7 * 24 * 3600 * 1000;

/** A worker serving a cluster, or (with `stopped`) the same worker once it stopped. */
function member(cluster: string, workerId: string, stopped = false): string {
  return JSON.stringify(stopped ? [cluster, workerId, 'stopped'] : [cluster, workerId]);
}

function parse(raw: string): { cluster: string; id: string; stopped: boolean } | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value) || value.length < 2 || !value.every((v) => typeof v === 'string')) return null;
    const [cluster, id, state] = value as string[];
    return cluster && id ? { cluster, id, stopped: state === 'stopped' } : null;
  } catch {
    return null;
  }
}

/**
 * The clusters workers serve, in one sorted set (`PREFIX:clusters`, member `[cluster, worker]`, score the
 * time last seen): one key, so it stays in the prefix's Redis Cluster slot.
 */
export function redisClusterRegistry(
  redis: RedisClient,
  prefix: string,
  now: () => number = Date.now,
): ClusterRegistry {
  const key = `${prefix}:clusters`;
  return {
    async announce(workerId, clusters, atMs) {
      if (clusters.length === 0) return;
      await redis
        .multi()
        .zrem(key, ...clusters.map((c) => member(c, workerId, true)))
        .zadd(key, ...clusters.flatMap((c) => [atMs, member(c, workerId)]))
        .zremrangebyscore(key, '-inf', atMs - RETENTION_MS)
        .exec();
    },
    async withdraw(workerId, clusters) {
      if (clusters.length === 0) return;
      await redis
        .multi()
        .zrem(key, ...clusters.map((c) => member(c, workerId)))
        .zadd(key, ...clusters.flatMap((c) => [now(), member(c, workerId, true)]))
        .exec();
    },
    async list() {
      const raw = await redis.zrangebyscore(key, now() - RETENTION_MS, '+inf', 'WITHSCORES');
      const byCluster = new Map<string, ClusterPresence>();
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const parsed = parse(raw[i] as string);
        if (!parsed) continue;
        const { cluster, id, stopped } = parsed;
        const lastSeenMs = Number(raw[i + 1]);
        const entry = byCluster.get(cluster) ?? { cluster, workers: [], lastSeenMs: 0 };
        entry.workers.push({ id, lastSeenMs, ...(stopped ? { stopped } : {}) });
        entry.lastSeenMs = Math.max(entry.lastSeenMs, lastSeenMs);
        byCluster.set(cluster, entry);
      }
      const list = [...byCluster.values()];
      for (const p of list) p.workers.sort((a, b) => b.lastSeenMs - a.lastSeenMs);
      return list.sort((a, b) => b.lastSeenMs - a.lastSeenMs || a.cluster.localeCompare(b.cluster));
    },
  };
}
