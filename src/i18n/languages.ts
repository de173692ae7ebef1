/** The languages reports are written in: English, Spanish, Korean, Brazilian Portuguese, Simplified Chinese, Indonesian. */
export const LANGUAGES = ['en', 'es', 'ko', 'pt', 'zh', 'id'] as const;

export type Language = (typeof LANGUAGES)[number];

/** The language used when nothing else says (MESH_DEFAULT_LANGUAGE's default). */
export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** How a locale was matched to a language. */
export interface LanguageMatch {
  language: Language;
  /**
   * Set when the match is approximate and the reader should be told: `zh-Hant` for a Traditional Chinese
   * locale (zh-TW, zh-HK, zh-Hant) served in Simplified Chinese.
   */
  note?: 'zh-Hant';
}

/** Traditional Chinese locales: served in Simplified Chinese, with a note. */
const TRADITIONAL = /^zh[-_](tw|hk|mo|hant)\b/i;

/**
 * The language of a locale: a BCP 47 tag from Slack (`es-ES`, `pt-PT`, `zh-TW`), a POSIX locale from the
 * environment (`pt_BR.UTF-8`, `ko_KR.utf8@euro`) or a plain code (`ko`). Matched by language: any Spanish
 * is `es`, any Portuguese `pt`, any Chinese `zh` (Traditional with a note). Null for a locale in none of
 * the six languages, and for the POSIX `C`/`POSIX` locales, so the caller falls back to its default.
 */
export function matchLanguage(locale: string | null | undefined): LanguageMatch | null {
  const tag = locale?.trim().split(/[.@]/)[0] ?? '';
  if (tag === '' || tag === 'C' || tag === 'POSIX') return null;
  const base = tag.split(/[-_]/)[0]?.toLowerCase() ?? '';
  // Indonesian's legacy code `in` is still sent by older Java and Android locales.
  const code = base === 'in' ? 'id' : base;
  if (!isLanguage(code)) return null;
  return code === 'zh' && TRADITIONAL.test(tag) ? { language: 'zh', note: 'zh-Hant' } : { language: code };
}

/** The first locale that names one of the six languages, else the default. */
export function pickLanguage(
  locales: readonly (string | null | undefined)[],
  fallback: Language = DEFAULT_LANGUAGE,
): LanguageMatch {
  for (const locale of locales) {
    const match = matchLanguage(locale);
    if (match) return match;
  }
  return { language: fallback };
}
