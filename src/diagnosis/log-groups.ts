import { groupBy } from '../util/group-by';
import { formatDuration } from '../util/time';
import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import { refText } from './evidence-items';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

/** Log lines attributed to one workload. */
export interface LineGroup {
  ref: ObjectRef;
  lines: LogLine[];
}

/** Groups lines by the workload of the pod that wrote them (time order kept). */
export function groupByWorkload(
  view: ClusterView,
  lines: LogLine[],
  refOf?: (line: LogLine) => ObjectRef,
): LineGroup[] {
  const groups = new Map<string, LineGroup>();
  for (const line of lines) {
    const ref =
      refOf?.(line) ??
      (line.pod
        ? view.workloadOfPodName(line.namespace, line.pod)
        : { kind: 'Pod', namespace: line.namespace, name: 'unknown' });
    const k = refText(ref);
    const group = groups.get(k);
    if (group) group.lines.push(line);
    else groups.set(k, { ref, lines: [line] });
  }
  return [...groups.values()];
}

/** "seen 14 times from 10:02:11 to 10:09:40 (7m29s), last 3m ago" for a group of lines in time order. */
export function occurrenceText(lines: LogLine[], nowMs: number | null, total = lines.length): string {
  return occurrencePhrase(lines, nowMs, total)(EN);
}

/** The same, written in the report's language. */
export function occurrencePhrase(
  lines: LogLine[],
  nowMs: number | null,
  total = lines.length,
): (t: Translate) => string {
  const timed = lines.filter((l) => l.ms !== null);
  const first = timed[0];
  const last = timed[timed.length - 1];
  if (!first || !last || first.ms === null || last.ms === null) return (t) => t('occurrence.seen', { count: total });
  const ago = nowMs !== null && nowMs > last.ms ? formatDuration(nowMs - last.ms) : null;
  const span =
    last.ms > first.ms
      ? { from: first.time ?? '', to: last.time ?? '', during: formatDuration(last.ms - first.ms) }
      : null;
  return (t) => {
    const seen =
      span === null
        ? t('occurrence.seen-at', { count: total, at: first.time ?? '' })
        : t('occurrence.seen-from-to', { count: total, ...span });
    return ago === null ? seen : t('occurrence.last-before-newest', { seen, ago });
  };
}

/** How long the lines span, in ms (0 for one line or untimed lines). */
export function spanMs(lines: LogLine[]): number {
  const times = lines.map((l) => l.ms).filter((t): t is number => t !== null);
  return times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
}

/** Lines ordered so the most recent come first. */
export function newestFirst(lines: LogLine[]): LogLine[] {
  return [...lines].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0));
}

/**
 * Splits per-pod judgements into findings grouped by workload and the reasons pods were ruled out
 * (a string); null means the pod was not relevant at all.
 */
export function byWorkloadWithNotes<T extends { ref: ObjectRef }>(
  results: Iterable<T | string | null>,
): { groups: T[][]; notes: string[] } {
  const notes: string[] = [];
  const found: T[] = [];
  for (const result of results) {
    if (result === null) continue;
    if (typeof result === 'string') notes.push(result);
    else found.push(result);
  }
  return { groups: [...groupBy(found, (v) => refText(v.ref)).values()], notes };
}
