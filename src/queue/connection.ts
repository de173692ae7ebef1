import type { ConnectionOptions } from 'bullmq';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../util/redis-client';

/** Where Redis is: REDIS_URL, and whether it is a seed node of a Redis Cluster (REDIS_CLUSTER). */
export interface RedisTarget {
  url: string;
  cluster: boolean;
}

/** A Redis Cluster reached through one seed node of the URL, with its credentials and TLS for every node. */
function clusterOf(url: string, redisOptions: RedisOptions): Cluster {
  const u = new URL(url);
  const tls = u.protocol === 'rediss:';
  const options: ClusterOptions = {
    redisOptions: {
      ...redisOptions,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(tls ? { tls: {} } : {}),
    },
    // Managed clusters (Memorystore Cluster) announce node IPs: connect to them as given, TLS included.
    ...(tls
      ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) }
      : {}),
  };
  return new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], options);
}

/** A client for the stores: one server, or a Redis Cluster. */
export function redisClient(target: RedisTarget, options: RedisOptions): RedisClient {
  return target.cluster ? clusterOf(target.url, options) : new Redis(target.url, options);
}

/**
 * BullMQ's connection: for one server the options (BullMQ opens its own connections from them); for a
 * Redis Cluster a Cluster client, which the caller closes after its queues and workers.
 */
export function queueConnection(target: RedisTarget, options: RedisOptions = {}): ConnectionOptions {
  // BullMQ passes the options to ioredis, which reads the server from `url`.
  return target.cluster ? clusterOf(target.url, options) : ({ url: target.url, ...options } as ConnectionOptions);
}

/** Closes what `queueConnection` opened (nothing for one server: BullMQ closes its own connections). */
export async function closeQueueConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Cluster) await connection.quit().catch(() => undefined);
}
