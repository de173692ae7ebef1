import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from './languages';
import { DEFAULT_LANGUAGE } from './languages';
import type { MessageKey } from './messages';
import { MESSAGES } from './messages';

/** Values for a message's placeholders. */
export type MessageValues = Record<string, string | number>;

/** Formats a message of one language: `t('verdict.problems', { count: 2, target: 'shop/cart' })`. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** The Intl locale each language formats numbers and plurals with. */
const LOCALES: Record<Language, string> = { en: 'en', es: 'es', ko: 'ko', pt: 'pt-BR', zh: 'zh-CN', id: 'id' };

const compiled = new Map<string, IntlMessageFormat>();

function format(language: Language, key: MessageKey): IntlMessageFormat {
  const cacheKey = `${language}\u0000${key}`;
  let message = compiled.get(cacheKey);
  if (!message) {
    // `<…>` is text (Slack's <@U…> mentions, <url|label> links), never a rich-text tag.
    message = new IntlMessageFormat(MESSAGES[language][key], LOCALES[language], undefined, {
      ignoreTag: true,
    });
    compiled.set(cacheKey, message);
  }
  return message;
}

/**
 * The messages of a language, formatted with ICU MessageFormat (placeholders, plurals by the language's
 * rules), compiled once each. Values are inserted as they are: identifiers and names stay untranslated.
 */
export function translator(language: Language = DEFAULT_LANGUAGE): Translate {
  return (key, values) => {
    const out = format(language, key).format(values ?? {});
    return typeof out === 'string' ? out : String(out);
  };
}

/** English: what everything shows when no language was asked for. */
export const EN: Translate = translator('en');
