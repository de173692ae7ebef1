import type { PostedStore } from '../pipeline/ports';
import type { RedisClient } from '../util/redis-client';

/** PostedStore over Redis: GET, and SET NX EX. */
export function redisPostedStore(redis: RedisClient): PostedStore {
  return {
    get: (key) => redis.get(key),
    setIfAbsent: async (key, value, ttlSeconds) => (await redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK',
  };
}
