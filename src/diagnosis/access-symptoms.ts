import { groupBy } from '../util/group-by';
import type { AccessRecord } from './access-log';
import { parseAccessLog } from './access-log';
import type { ClusterView } from './cluster-view';
import type { EvidenceItem, LogLine, ObjectRef } from './evidence';
import { fromLog, uniqueRefs } from './evidence-items';
import { occurrenceText } from './log-groups';

/**
 * The access-log signature shared by configuration checks: 404 NR, 403 UAEX and 403 RBAC (route_not_found and
 * rbac_access_denied in any format). The 503s (NC, UH, UF) are kept by `envoy-access-503`; accessLines reads both.
 */
export const CONFIG_ERROR_SIGNATURE = 'envoy-access-config-error';

/** One access-log line and its parsed fields. */
export interface AccessLine {
  line: LogLine;
  record: AccessRecord;
}

/** Failed requests that share a route, an upstream cluster and an authority. */
export interface AccessSymptom {
  route: string | null;
  cluster: string | null;
  authority: string | null;
  /** `503 NC`, `404 NR`, ... in first-seen order. */
  outcomes: string[];
  count: number;
  first: string | null;
  last: string | null;
  /** The workloads whose proxies logged the lines (the callers for outbound lines). */
  loggedBy: ObjectRef[];
  /** The lines, oldest first. */
  lines: LogLine[];
}

function outcomeOf(record: AccessRecord): string {
  return `${record.code ?? '-'} ${record.flags.length ? record.flags.join(',') : '-'}`;
}

/**
 * The access-log lines among those matching the signatures (by default the shared configuration-error one and
 * the 503 one) whose parsed record the predicate accepts, each line once, oldest first.
 */
export function accessLines(
  view: ClusterView,
  predicate: (record: AccessRecord, line: LogLine) => boolean,
  signatures: readonly string[] = [CONFIG_ERROR_SIGNATURE, 'envoy-access-503'],
): AccessLine[] {
  const seen = new Set<LogLine>();
  const out: AccessLine[] = [];
  for (const id of signatures) {
    for (const line of view.logsWith(id)) {
      if (seen.has(line)) continue;
      seen.add(line);
      const record = parseAccessLog(line);
      if (record && predicate(record, line)) out.push({ line, record });
    }
  }
  return out.sort((a, b) => (a.line.ms ?? 0) - (b.line.ms ?? 0));
}

/** Groups accepted access-log lines by route, upstream cluster and authority, largest group first. */
export function accessSymptoms(
  view: ClusterView,
  predicate: (record: AccessRecord, line: LogLine) => boolean,
  signatures?: readonly string[],
): AccessSymptom[] {
  const found = accessLines(view, predicate, signatures);
  const groups = groupBy(found, (a) =>
    [a.record.routeName ?? '', a.record.upstreamCluster ?? '', a.record.authority ?? ''].join(' '),
  );
  return [...groups.values()]
    .map((group) => {
      const head = group[0]!.record;
      const lines = group.map((a) => a.line);
      return {
        route: head.routeName,
        cluster: head.upstreamCluster,
        authority: head.authority,
        outcomes: [...new Set(group.map((a) => outcomeOf(a.record)))],
        count: group.length,
        first: lines.find((l) => l.time)?.time ?? group.find((a) => a.record.startTime)?.record.startTime ?? null,
        last:
          [...lines].reverse().find((l) => l.time)?.time ??
          [...group].reverse().find((a) => a.record.startTime)?.record.startTime ??
          null,
        loggedBy: uniqueRefs(lines.filter((l) => l.pod).map((l) => view.workloadOfPodName(l.namespace, l.pod ?? ''))),
        lines,
      };
    })
    .sort((a, b) => b.count - a.count);
}

/** "14 request(s) answered 503 NC (route reviews-canary, cluster outbound|..., authority reviews:9080), seen ..." */
export function symptomText(symptom: AccessSymptom, nowMs: number | null): string {
  const where = [
    symptom.route ? `route ${symptom.route}` : null,
    symptom.cluster ? `cluster ${symptom.cluster}` : null,
    symptom.authority ? `authority ${symptom.authority}` : null,
  ].filter((p): p is string => p !== null);
  const at = where.length ? ` (${where.join(', ')})` : '';
  return `${symptom.count} request(s) answered ${symptom.outcomes.join(' / ')}${at}, ${occurrenceText(symptom.lines, nowMs)}`;
}

/**
 * Evidence for a symptom: its newest line, prefixed with the count and outcome (the times and the route are in
 * symptomText, which a finding states as a fact: a clipped evidence text must not depend on how a time is written).
 */
export function symptomEvidence(symptom: AccessSymptom): EvidenceItem {
  const newest = symptom.lines[symptom.lines.length - 1]!;
  return fromLog(newest, `${symptom.count} request(s) answered ${symptom.outcomes.join(' / ')}; latest: `);
}

/** The fact a configuration finding states when no access-log line shows it breaking requests. */
export function noSymptomFact(view: ClusterView): string {
  return view.evidence.logLinesRead > 0
    ? 'Lower severity: no failing requests seen in the logs read; the problem is in the configuration and may not have hit traffic yet.'
    : 'Lower severity: no logs were read, so whether requests fail is not known; the problem is in the configuration.';
}
