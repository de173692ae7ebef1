import type { Check } from '../diagnosis/evidence';
import { parseNotInstalled } from '../diagnosis/evidence';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

/**
 * The checks as people read them: the skipped reads of custom kinds whose CRD is absent (a cluster without
 * Gateway API or managed mesh has a dozen) become one line naming the kinds, in the place of the first.
 * The JSON report keeps every check as it is.
 */
export function foldChecks(checks: readonly Check[], t: Translate = EN): Check[] {
  const absent = checks.filter((c) => c.status === 'skipped' && parseNotInstalled(c.detail));
  if (absent.length < 2) return [...checks];
  const kinds = absent.map((c) => parseNotInstalled(c.detail)?.kind ?? c.id);
  const folded: Check = {
    id: 'read:absent-kinds',
    status: 'skipped',
    detail: t('checks.absent-kinds', { kinds: kinds.join(', ') }),
  };
  const first = checks.indexOf(absent[0] as Check);
  return checks.flatMap((c, i) => (i === first ? [folded] : absent.includes(c) ? [] : [c]));
}

/** `Checks: 17 ok, 1 finding, 3 skipped`, counting every check. */
export function checkCounts(checks: readonly Check[], t: Translate = EN): string {
  const counts = new Map<string, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  if (counts.size === 0) return t('checks.none');
  // The statuses are the JSON report's values (ok, finding, skipped, error): shown as they are.
  return t('checks.counts', { counts: [...counts].map(([status, n]) => `${n} ${status}`).join(', ') });
}

/** Up to this many skipped checks are listed one by one; more become one line naming them. */
const SKIPPED_LISTED = 3;

/**
 * The checks that could not run (each on its own line) and those skipped for want of what they need
 * (one by one when few, else one line naming them: on a snapshot of a few kinds, most configuration
 * checks have nothing to look at).
 */
export function notableChecks(checks: readonly Check[], t: Translate = EN): Check[] {
  const folded = foldChecks(checks, t);
  const errors = folded.filter((c) => c.status === 'error');
  const skipped = folded.filter((c) => c.status === 'skipped');
  if (skipped.length <= SKIPPED_LISTED) return folded.filter((c) => c.status === 'error' || c.status === 'skipped');
  const reads = skipped.filter((c) => c.id.startsWith('read:'));
  const rest = skipped.filter((c) => !c.id.startsWith('read:'));
  const summary: Check = {
    id: 'skipped',
    status: 'skipped',
    detail: t('checks.nothing-to-look-at', { count: rest.length, ids: rest.map((c) => c.id).join(', ') }),
  };
  return [...errors, ...reads, ...(rest.length > 0 ? [summary] : [])];
}
