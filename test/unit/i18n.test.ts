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
        // Exact values (`=1 {…}`) are allowed in every language; the categories must be the language's.
        plurals[e.value] = Object.keys(e.options)
          .filter((k) => !k.startsWith('='))
          .sort();
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

  /** Words engineers of every one of these languages write in English; they break a phrase, never make one. */
  const LOANWORDS = new Set(
    (
      'mesh-doctor mesh sidecar webhook webhooks patch log logs pod pods container containers init cluster clusters ' +
      'namespace namespaces workload runbook crd slack info probe startup readiness backend true false always hook'
    ).split(' '),
  );
  /** Messages a language rightly writes as English does (its engineers say namespace, cluster, workload). */
  const SAME_AS_ENGLISH: Partial<Record<string, string[]>> = {
    pt: ['target.namespace', 'target.with-cluster'],
    id: ['target.namespace', 'target.workload', 'target.with-cluster', 'severity.info', 'patch.field.label'],
  };

  /**
   * The prose of a message as words, `|` where a phrase breaks: placeholders, commands in backticks, emoji
   * codes, identifiers (istio-proxy, spec.containers, holdApplicationUntilProxyStarts), loanwords and any
   * text in another script.
   */
  const proseWords = (message: string): string[] =>
    message
      .replace(/\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, ' | ')
      .replace(/`[^`]*`/g, ' | ')
      // Quoted log lines and error messages stay as the software wrote them.
      .replace(/"[^"]*"/g, ' | ')
      // Envoy's reset reason, as its access log and error text spell it.
      .replace(/\bconnection termination\b/g, ' | ')
      .replace(/:[a-z_]+:/g, ' | ')
      .replace(/\S*[-./_=:0-9]\S*[A-Za-z]\S*|\S*[A-Za-z]\S*[-./_=0-9]\S*/g, ' | ')
      .replace(/\b[a-z]+[A-Z]\w*/g, ' | ')
      .replace(/[^\p{ASCII}]+/gu, ' | ')
      .toLowerCase()
      .split(/[^a-z|]+/)
      .filter(Boolean)
      .map((w) => (LOANWORDS.has(w) ? '|' : w));

  /** Runs of three prose words in a row, within one phrase. */
  const trigrams = (words: string[]) =>
    words
      .slice(2)
      .map((w, i) => [words[i], words[i + 1], w])
      .filter((run) => !run.includes('|'))
      .map((run) => run.join(' '));

  const prose = (words: string[]) => words.filter((w) => w !== '|').join(' ');

  it.each(OTHERS)('%s repeats no English phrase of the English message, and no English message whole', (language) => {
    const untranslated = KEYS.filter((key) => {
      if (SAME_AS_ENGLISH[language]?.includes(key)) return false;
      const english = proseWords(MESSAGES.en[key]);
      const translated = proseWords(MESSAGES[language][key]);
      if (prose(english) === '') return false;
      if (prose(translated) === prose(english)) return true;
      const phrases = new Set(trigrams(english));
      return trigrams(translated).some((p) => phrases.has(p));
    });
    expect(untranslated).toEqual([]);
  });

  it('finds an English sentence left in a translation', () => {
    const es = { ...MESSAGES.es, 'slack.finding.steps': '*What to do*' };
    expect(prose(proseWords(es['slack.finding.steps']))).toBe(prose(proseWords(MESSAGES.en['slack.finding.steps'])));
    expect(trigrams(proseWords('중단 the workload 재시작 so that'))).toEqual([]);
    expect(trigrams(proseWords('Better still, make the application wait'))).toContain('make the application');
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
