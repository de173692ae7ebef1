import { Redis } from 'ioredis';
import type { RedisServer } from './redis-server';
import { startRedis } from './redis-server';

/**
 * A throwaway Redis for the test file that calls it: started before its tests, stopped after them, with a
 * client to it. Read `redis` and `server` inside the tests (they exist once beforeAll ran).
 */
export function useTestRedis(): { readonly redis: Redis; readonly server: RedisServer } {
  let server: RedisServer | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
  return {
    get redis() {
      if (!redis) throw new Error('the test Redis is not started: use it inside a test');
      return redis;
    },
    get server() {
      if (!server) throw new Error('the test Redis is not started: use it inside a test');
      return server;
    },
  };
}
