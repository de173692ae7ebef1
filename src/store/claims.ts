import type { RedisClient } from '../util/redis-client';

const CLAIM_TTL_SECONDS = 24 * 3600;

/** Claims a request key once (SET NX): a redelivered command or duplicate alert gets false. */
export function redisClaims(redis: RedisClient, prefix: string): (key: string) => Promise<boolean> {
  return async (key) => (await redis.set(`${prefix}:claim:${key}`, '1', 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK';
}
