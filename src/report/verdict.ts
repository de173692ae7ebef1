import type { Check, Report, Target } from '../diagnosis/evidence';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

/** How many failed checks a headline names before it says how many more there are. */
const NAMED_FAILURES = 3;

/**
 * What a report amounts to: problems found; nothing found and everything could be checked; nothing
 * found but some checks failed; nothing found because the cluster could not be read at all; or the
 * namespace or workload asked about does not exist (never "no problems" about something absent).
 */
export type VerdictKind = 'problems' | 'clear' | 'partial' | 'unread' | 'no-target';

export interface Verdict {
  kind: VerdictKind;
  /** The headline, the same in the Slack and the text report (`2 problems in shop/cart`). */
  text: string;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `shop/cart`, `shop`, `cart` or `all namespaces`, with the cluster when it has one. */
export function targetName(target: Target, t: Translate = EN): string {
  const { namespace, workload, cluster } = target;
  const name =
    namespace && workload ? `${namespace}/${workload}` : (namespace ?? workload ?? t('target.all-namespaces'));
  return cluster ? t('target.in-cluster', { target: name, cluster }) : name;
}

/** A check's detail as a headline: a capital first letter. */
function sentence(detail: string): string {
  return detail.charAt(0).toUpperCase() + detail.slice(1);
}

function isRead(c: Check): boolean {
  return c.id.startsWith('read:') || c.id === 'target';
}

function failureList(failed: readonly Check[], t: Translate): string {
  const named = failed.slice(0, NAMED_FAILURES).map((c) => c.id);
  const more = failed.length - named.length;
  return more > 0 ? t('verdict.more-failures', { names: named.join(', '), more }) : named.join(', ');
}

/**
 * The headline of a report about `target` (`shop/cart`). Never an all-clear when checks failed: with
 * no findings, failed reads and none that worked, it says the cluster could not be read and names the
 * failed checks; with some that worked, it says the all-clear covers only what could be read.
 */
export function verdictOf(report: Report, target: string, t: Translate = EN): Verdict {
  const found = report.findings.length;
  const failed = report.checks.filter((c) => c.status === 'error');
  const missing = failed.find((c) => c.id === 'target');
  if (found === 0 && missing) return { kind: 'no-target', text: sentence(missing.detail) };
  if (found > 0) return { kind: 'problems', text: t('verdict.problems', { count: found, target }) };
  if (failed.length === 0) return { kind: 'clear', text: t('verdict.clear', { target }) };
  const readFailed = failed.some(isRead);
  const readWorked = report.checks.some((c) => isRead(c) && (c.status === 'ok' || c.status === 'finding'));
  if (readFailed && !readWorked) {
    const failures = failureList(failed, t);
    return { kind: 'unread', text: t('verdict.unread', { count: failed.length, failures }) };
  }
  return { kind: 'partial', text: t('verdict.partial', { count: failed.length, target }) };
}
