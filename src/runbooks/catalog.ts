import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../util/package-root';
import type { RunbookEntry, RunbookScope, RunbookText, Signature } from './schema';
import { runbookSchema } from './schema';
import { errorMessage, MeshError } from '../util/errors';
import { matchLanguage } from '../i18n/languages';

export type { RunbookScope } from './schema';

/** A signature together with the runbook it belongs to. */
export interface CatalogSignature extends Signature {
  runbook: string;
}

/** The validated runbook catalog. */
export interface Catalog {
  entries: ReadonlyMap<string, RunbookEntry>;
  signatures: readonly CatalogSignature[];
}

export class CatalogError extends MeshError {
  constructor(message: string, options?: ErrorOptions) {
    super('CATALOG_INVALID', message, options);
  }
}

/** Builds a catalog from already-parsed documents; throws one error that lists every problem. */
export function buildCatalog(documents: { source: string; data: unknown }[]): Catalog {
  const problems: string[] = [];
  const entries = new Map<string, RunbookEntry>();
  const signatures: CatalogSignature[] = [];
  const signatureIds = new Set<string>();
  for (const { source, data } of documents) {
    const parsed = runbookSchema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    const entry = parsed.data;
    if (entries.has(entry.id)) problems.push(`${source}: duplicate runbook id ${entry.id}`);
    entries.set(entry.id, entry);
    for (const signature of entry.signatures) {
      if (signatureIds.has(signature.id)) problems.push(`${source}: duplicate signature id ${signature.id}`);
      signatureIds.add(signature.id);
      signatures.push({ ...signature, runbook: entry.id });
    }
  }
  if (problems.length > 0) throw new CatalogError(`invalid runbook catalog:\n  ${problems.join('\n  ')}`);
  return { entries, signatures };
}

/** Reads and validates every `*.yaml` runbook in a directory (default: the package's `runbooks/`). */
export function loadCatalog(dir: string = join(packageRoot(), 'runbooks')): Catalog {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const documents = files.map((file) => {
    const source = join(dir, file);
    try {
      return { source, data: parse(readFileSync(source, 'utf8')) as unknown };
    } catch (err) {
      throw new CatalogError(`${source}: ${errorMessage(err)}`, { cause: err });
    }
  });
  return buildCatalog(documents);
}

/** The ids of the runbooks a narrowed diagnosis (`/mesh injection`, `/mesh webhooks`) reports. */
export function runbooksInScope(catalog: Catalog, scope: RunbookScope): ReadonlySet<string> {
  return new Set([...catalog.entries.values()].filter((e) => e.scopes.includes(scope)).map((e) => e.id));
}

/** The text of a runbook in a language (or a locale: `pt-BR`), field by field falling back to English. */
export function runbookText(entry: RunbookEntry, lang = 'en'): RunbookText {
  const en = entry.text.en as RunbookText;
  const language = matchLanguage(lang)?.language ?? 'en';
  return { ...en, ...(entry.text[language] ?? {}) };
}
