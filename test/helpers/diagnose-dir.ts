import { LogMatcher } from '../../src/collect/log-matcher';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import type { Report, Target } from '../../src/diagnosis/evidence';
import { loadCatalog } from '../../src/runbooks/catalog';

export const catalog = loadCatalog();
export const matcher = new LogMatcher(catalog.signatures);

/** Loads a snapshot directory and diagnoses it, as the CLI does (in `lang` when given). */
export async function diagnoseDir(dir: string, target?: Target, lang?: string): Promise<Report> {
  const evidence = await loadSnapshot(dir, matcher);
  return diagnose(evidence, catalog, { ...(target ? { target } : {}), ...(lang ? { lang } : {}) });
}
