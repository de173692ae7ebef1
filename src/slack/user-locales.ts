import type { WebClient } from '@slack/web-api';
import type { Logger } from '../util/logger';
import { errorMessage } from '../util/errors';

/** How long a user's locale is kept before it is asked again. */
export const LOCALE_TTL_MS = 60 * 60 * 1000;
/** Users whose locale is kept at most; the oldest entry is dropped beyond this. */
const MAX_USERS = 10_000;

/**
 * A user's Slack locale (`users.info` with `include_locale`: `es-ES`, `en-US`), kept an hour so a burst of
 * asks costs one call per person. A failed lookup (rate limit, missing scope) is logged and answers null:
 * the language then comes from the channel or the default, and the ask goes on.
 */
export function slackUserLocales(
  client: WebClient,
  log: Logger,
  now: () => number = Date.now,
): (user: string) => Promise<string | null> {
  const cache = new Map<string, { locale: string | null; until: number }>();
  return async (user) => {
    const hit = cache.get(user);
    if (hit && hit.until > now()) return hit.locale;
    try {
      const answer = await client.users.info({ user, include_locale: true });
      const locale = typeof answer.user?.locale === 'string' && answer.user.locale !== '' ? answer.user.locale : null;
      cache.delete(user);
      if (cache.size >= MAX_USERS) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(user, { locale, until: now() + LOCALE_TTL_MS });
      return locale;
    } catch (err) {
      log.warn({ err: errorMessage(err), user }, 'Slack locale not read; using the channel or default language');
      return null;
    }
  };
}
