import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { TYPE, parse } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, matchLanguage, pickLanguage } from '../../src/i18n/languages';
import type { MessageKey } from '../../src/i18n/messages';
import { MESSAGES } from '../../src/i18n/messages';
import { translator } from '../../src/i18n/translate';

const KEYS = Object.keys(MESSAGES.en) as MessageKey[];
const OTHERS = LANGUAGES.filter((l) => l !== 'en');

/** The placeholders of a message, and for each plural the categories it spells out. */
function shape(message: string): { args: string[]; plurals: Record<string, string[]> } {
  const args = new Set<string>();
  const plurals: Record<string, string[]> = {};
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.argument || e.type === TYPE.number) args.add(e.value);
      if (e.type === TYPE.plural) {
        args.add(e.value);
        plurals[e.value] = Object.keys(e.options).sort();
        for (const option of Object.values(e.options)) walk(option.value);
      }
      if (e.type === TYPE.select) {
        args.add(e.value);
        for (const option of Object.values(e.options)) walk(option.value);
      }
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return { args: [...args].sort(), plurals };
}

describe('the messages', () => {
  it.each(OTHERS)('%s has every key of English, and no other', (language) => {
    const keys = Object.keys(MESSAGES[language]);
    expect(KEYS.filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.filter((k) => !(KEYS as string[]).includes(k))).toEqual([]);
  });

  it.each(LANGUAGES)('every message of %s parses, with the placeholders of the English one', (language) => {
    const mismatched = KEYS.filter(
      (key) => shape(MESSAGES[language][key]).args.join() !== shape(MESSAGES.en[key]).args.join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('plurals use the categories of each language: one and other in English, Spanish and Portuguese, only other in Korean, Chinese and Indonesian', () => {
    const expected: Record<string, string[]> = {
      en: ['one', 'other'],
      es: ['one', 'other'],
      pt: ['one', 'other'],
      ko: ['other'],
      zh: ['other'],
      id: ['other'],
    };
    for (const language of LANGUAGES) {
      for (const key of KEYS) {
        for (const categories of Object.values(shape(MESSAGES[language][key]).plurals)) {
          expect({ language, key, categories }).toEqual({ language, key, categories: expected[language] });
        }
      }
    }
  });

  it('formats counts with the plural of the language', () => {
    const problems = (language: (typeof LANGUAGES)[number], count: number) =>
      translator(language)('verdict.problems', { count, target: 'shop/cart' });

    expect([problems('en', 1), problems('en', 2)]).toEqual(['1 problem in shop/cart', '2 problems in shop/cart']);
    expect([problems('es', 1), problems('es', 3)]).toEqual(['1 problema en shop/cart', '3 problemas en shop/cart']);
    expect([problems('pt', 1), problems('pt', 3)]).toEqual(['1 problema em shop/cart', '3 problemas em shop/cart']);
    expect(problems('ko', 1)).toBe('shop/cart에서 문제 1개 발견');
    expect(problems('zh', 2)).toBe('shop/cart 中有 2 个问题');
    expect(problems('id', 1)).toBe('1 masalah di shop/cart');
  });

  it('leaves Slack markup and identifiers in the values as they are', () => {
    const t = translator('es');
    expect(t('verdict.clear', { target: '<@U0SRE> {x} shop/cart' })).toBe(
      'No se encontraron problemas en <@U0SRE> {x} shop/cart',
    );
  });

  /** Words that are the same in the other languages' usage (identifiers, product and Kubernetes terms). */
  const SHARED = new Set([
    'mesh-doctor',
    'namespace',
    'namespaces',
    'cluster',
    'workload',
    'runbook',
    'info',
    'crd',
    'slack',
    // Loanwords the engineers of these languages use as they are.
    'patch',
    'log',
    'logs',
    'mesh',
    'sidecar',
    'webhook',
    'webhooks',
  ]);
  const englishWords = (message: string) =>
    message
      .replace(/\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, ' ')
      // Commands in backticks stay as typed.
      .replace(/`[^`]*`/g, ' ')
      // Slack emoji shortcodes (:warning:) are markup, not words.
      .replace(/:[a-z_]+:/g, ' ')
      .toLowerCase()
      .match(/[a-z][a-z-]{2,}/g)
      ?.filter((w) => !SHARED.has(w)) ?? [];

  it.each(OTHERS)('%s says nothing in English that the English messages say', (language) => {
    const untranslated = KEYS.filter((key) => {
      const words = englishWords(MESSAGES[language][key]);
      return words.length > 0 && words.some((w) => englishWords(MESSAGES.en[key]).includes(w));
    });
    expect(untranslated).toEqual([]);
  });
});

describe('matching a locale to a language', () => {
  it.each([
    ['es-ES', 'es'],
    ['es-419', 'es'],
    ['pt-BR', 'pt'],
    ['pt-PT', 'pt'],
    ['ko-KR', 'ko'],
    ['zh-CN', 'zh'],
    ['id-ID', 'id'],
    ['in-ID', 'id'],
    ['en-US', 'en'],
    ['pt_BR.UTF-8', 'pt'],
    ['ko_KR.utf8', 'ko'],
    ['es', 'es'],
  ])('%s → %s', (locale, language) => {
    expect(matchLanguage(locale)).toEqual({ language });
  });

  it('serves Traditional Chinese locales in Simplified Chinese, with a note', () => {
    for (const locale of ['zh-TW', 'zh-HK', 'zh-Hant-TW', 'zh_TW.UTF-8']) {
      expect(matchLanguage(locale)).toEqual({ language: 'zh', note: 'zh-Hant' });
    }
  });

  it('matches nothing for other languages and the C locale; the first that matches wins, else the default', () => {
    for (const locale of ['fr-FR', 'de', 'ja-JP', 'C', 'POSIX', 'C.UTF-8', '', undefined, null]) {
      expect(matchLanguage(locale)).toBeNull();
    }
    expect(pickLanguage([undefined, 'C.UTF-8', 'ko_KR.UTF-8', 'es'])).toEqual({ language: 'ko' });
    expect(pickLanguage(['fr-FR'], 'pt')).toEqual({ language: 'pt' });
  });
});
