import { Redis } from 'ioredis';
import type { RedisClient } from '../../src/util/redis-client';
import type { RedisClusterServer } from './redis-cluster';
import { onRedisCluster, startRedisCluster } from './redis-cluster';
import type { RedisServer } from './redis-server';
import { startRedis } from './redis-server';

/** The test Redis: one server, or (in the Redis Cluster run) a three-master cluster. */
export interface TestRedis {
  readonly redis: RedisClient;
  /** Keys matching a pattern on every master (KEYS on a cluster client asks one node only). */
  keys(pattern: string): Promise<string[]>;
  /** Deletes every key on every master. */
  flush(): Promise<void>;
  /** The single server; absent on a cluster. */
  readonly server: RedisServer;
}

function masters(redis: RedisClient): Redis[] {
  return 'nodes' in redis && typeof redis.nodes === 'function' ? redis.nodes('master') : [redis as Redis];
}

/**
 * A throwaway Redis for the test file that calls it: started before its tests, stopped after them, with a
 * client to it. In the Redis Cluster run (MESH_TEST_REDIS=cluster) a local three-master cluster instead of
 * one server, so the same tests check that every store keeps its keys in one slot. Read the fields inside
 * the tests (they exist once beforeAll ran).
 */
export function useTestRedis(): TestRedis {
  let server: RedisServer | undefined;
  let cluster: RedisClusterServer | undefined;
  let redis: RedisClient | undefined;
  beforeAll(async () => {
    if (onRedisCluster()) {
      cluster = await startRedisCluster();
      redis = cluster.client();
    } else {
      server = await startRedis();
      redis = new Redis(server.url);
    }
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    await cluster?.stop();
  });
  const client = (): RedisClient => {
    if (!redis) throw new Error('the test Redis is not started: use it inside a test');
    return redis;
  };
  return {
    get redis() {
      return client();
    },
    async keys(pattern) {
      return (await Promise.all(masters(client()).map((node) => node.keys(pattern)))).flat().sort();
    },
    async flush() {
      await Promise.all(masters(client()).map((node) => node.flushall()));
    },
    get server() {
      if (!server) throw new Error('no single test Redis server here (this run uses a Redis Cluster)');
      return server;
    },
  };
}
