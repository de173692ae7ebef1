import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../src/i18n/languages';
import { loadCatalog } from '../../src/runbooks/catalog';
import { runbookTextSchema } from '../../src/runbooks/schema';

/**
 * The runbooks whose text is not complete yet in each language, as reviewed: translating one means
 * removing it here, and a new runbook without its translations must be added here, visibly.
 * `UPDATE_PENDING=1 npx jest test/unit/runbook-translations.test.ts` rewrites the file from the catalog.
 */
const PENDING_FILE = join(__dirname, '..', 'fixtures', 'i18n-pending-runbooks.json');

const catalog = loadCatalog();
const FIELDS = Object.keys(runbookTextSchema.shape) as (keyof typeof runbookTextSchema.shape)[];

function incomplete(): Record<string, string[]> {
  return Object.fromEntries(
    LANGUAGES.filter((l) => l !== 'en').map((language) => [
      language,
      [...catalog.entries.values()]
        .filter((e) => FIELDS.some((f) => e.text[language]?.[f] === undefined))
        .map((e) => e.id)
        .sort(),
    ]),
  );
}

describe('runbook translations', () => {
  it('lists exactly the runbooks not yet complete in each language', () => {
    const now = incomplete();
    if (process.env.UPDATE_PENDING) writeFileSync(PENDING_FILE, `${JSON.stringify(now, null, 2)}\n`);
    expect(now).toEqual(JSON.parse(readFileSync(PENDING_FILE, 'utf8')));
  });

  it('translates a list field item for item: as many symptoms, checks and steps as in English', () => {
    const mismatched = [...catalog.entries.values()].flatMap((e) =>
      LANGUAGES.flatMap((language) =>
        (['symptoms', 'confirm', 'steps'] as const)
          .filter(
            (f) => e.text[language]?.[f] !== undefined && e.text[language]?.[f]?.length !== e.text.en?.[f]?.length,
          )
          .map((f) => `${e.id} ${language} ${f}`),
      ),
    );
    expect(mismatched).toEqual([]);
  });

  it('keeps every command of a confirmation step as in English', () => {
    const changed = [...catalog.entries.values()].flatMap((e) =>
      LANGUAGES.flatMap((language) =>
        (e.text[language]?.confirm ?? []).flatMap((step, i) =>
          step.command === e.text.en?.confirm?.[i]?.command ? [] : [`${e.id} ${language} confirm[${i}]`],
        ),
      ),
    );
    expect(changed).toEqual([]);
  });
});
