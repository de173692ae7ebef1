import type { Language, LanguageMatch } from '../i18n/languages';
import { matchLanguage } from '../i18n/languages';

/** People's chosen languages (`/mesh lang`), kept in Redis. */
export interface LanguagePreferences {
  get(user: string): Promise<Language | null>;
  set(user: string, language: Language): Promise<void>;
  clear(user: string): Promise<void>;
}

/** What decides the language a person reads mesh-doctor in. */
export interface ReaderLanguageSources {
  /** Their own choice (`/mesh lang es`), if any. */
  preference: Language | null;
  /** Their Slack locale (`users.info` with `include_locale`: `es-ES`, `pt-BR`, `zh-TW`), if known. */
  locale: string | null;
  /** The channel's language (MESH_CHANNEL_LANGUAGES), if set. */
  channel: Language | undefined;
  /** MESH_DEFAULT_LANGUAGE. */
  fallback: Language;
}

/**
 * The language of what one person asked for: their own choice, else their Slack locale matched by
 * language (pt-PT → pt, zh-TW → zh with a note; a locale in none of the six languages does not count),
 * else the channel's language, else the default.
 */
export function readerLanguage(s: ReaderLanguageSources): LanguageMatch {
  if (s.preference) return { language: s.preference };
  const fromLocale = matchLanguage(s.locale);
  if (fromLocale) return fromLocale;
  return { language: s.channel ?? s.fallback };
}

/** The locale string a request carries for its report: the language, or `zh-Hant` when approximated. */
export function requestLocale(match: LanguageMatch): string {
  return match.note ?? match.language;
}
