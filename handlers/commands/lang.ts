import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { Language } from '../../src/i18n/languages';
import { LANGUAGES } from '../../src/i18n/languages';
import { translator } from '../../src/i18n/translate';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

/** A language's name in the reader's language (`espagnol` is never needed: only the six are named). */
function languageName(language: Language, reader: Language): string {
  const name = new Intl.DisplayNames([reader], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(reader) + name.slice(1);
}

/**
 * `/mesh lang`: which language mesh-doctor writes to the asker in and why; `/mesh lang es` chooses one
 * (kept in Redis), `/mesh lang auto` follows their Slack language again. Answered in the new language.
 */
export async function langCommand(ask: MeshAsk, parsed: Parsed<'lang'>, deps: HandlerDeps): Promise<void> {
  if (parsed.choice !== null) {
    await deps.chooseLanguage(ask.user, parsed.choice === 'auto' ? null : parsed.choice);
  }
  const now = await deps.readerLanguage(ask.user, ask.channel);
  const t = translator(now.language);
  const language = languageName(now.language, now.language);
  if (parsed.choice === 'auto') return answer(ask, t('lang.auto', { language }));
  if (parsed.choice !== null) return answer(ask, t('lang.chosen', { language }));
  const codes = LANGUAGES.join(', ');
  return answer(ask, t(now.chosen ? 'lang.current.chosen' : 'lang.current.auto', { language, codes }));
}
