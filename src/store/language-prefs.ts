import type { Language } from '../i18n/languages';
import { isLanguage } from '../i18n/languages';
import type { LanguagePreferences } from '../pipeline/reader-language';
import type { RedisClient } from '../util/redis-client';

/**
 * People's chosen languages in one Redis hash (`PREFIX:languages`, field the Slack user id): one key, so it
 * stays in the prefix's Redis Cluster slot. A value that is not a language (written by hand) counts as none.
 */
export function redisLanguagePreferences(redis: RedisClient, prefix: string): LanguagePreferences {
  const key = `${prefix}:languages`;
  return {
    async get(user) {
      const value = await redis.hget(key, user);
      return value !== null && isLanguage(value) ? (value as Language) : null;
    },
    async set(user, language) {
      await redis.hset(key, user, language);
    },
    async clear(user) {
      await redis.hdel(key, user);
    },
  };
}
