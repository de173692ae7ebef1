import type { Check } from '../diagnosis/evidence';
import { parseNotInstalled } from '../diagnosis/evidence';

/**
 * The checks as people read them: the skipped reads of custom kinds whose CRD is absent (a cluster without
 * Gateway API or managed mesh has a dozen) become one line naming the kinds, in the place of the first.
 * The JSON report keeps every check as it is.
 */
export function foldChecks(checks: readonly Check[]): Check[] {
  const absent = checks.filter((c) => c.status === 'skipped' && parseNotInstalled(c.detail));
  if (absent.length < 2) return [...checks];
  const kinds = absent.map((c) => parseNotInstalled(c.detail)?.kind ?? c.id);
  const folded: Check = {
    id: 'read:absent-kinds',
    status: 'skipped',
    detail: `not installed (no CRD), nothing to read: ${kinds.join(', ')}`,
  };
  const first = checks.indexOf(absent[0] as Check);
  return checks.flatMap((c, i) => (i === first ? [folded] : absent.includes(c) ? [] : [c]));
}

/** `Checks: 17 ok, 1 finding, 3 skipped`, counting every check. */
export function checkCounts(checks: readonly Check[]): string {
  const counts = new Map<string, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  if (counts.size === 0) return 'Checks: none ran';
  return `Checks: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`;
}

/** The checks that could not run or were skipped, folded for reading. */
export function notableChecks(checks: readonly Check[]): Check[] {
  return foldChecks(checks).filter((c) => c.status === 'error' || c.status === 'skipped');
}
