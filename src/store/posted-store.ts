import type { Redis } from 'ioredis';
import type { PostedStore } from '../pipeline/ports';

/** PostedStore over Redis: GET, and SET NX EX. */
export function redisPostedStore(redis: Redis): PostedStore {
  return {
    get: (key) => redis.get(key),
    setIfAbsent: async (key, value, ttlSeconds) => (await redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK',
  };
}
