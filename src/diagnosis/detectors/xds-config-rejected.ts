import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import type { KubeObject } from '../kube-types';
import { toMs } from '../../util/time';
import { groupByWorkload, newestFirst, occurrenceText } from '../log-groups';

export const CONFIG_REJECTED = 'xds-config-rejected';

const COUNTS =
  /cds updates: ([0-9]+) successful, ([0-9]+) rejected; lds updates: ([0-9]+) successful, ([0-9]+) rejected/;

/** A line that really reports a rejection (a NOT-ready line with all-zero rejections does not). */
function rejects(line: LogLine): boolean {
  const m = COUNTS.exec(line.text);
  if (!m) return /rejected/.test(line.text);
  return Number(m[2]) > 0 || Number(m[4]) > 0;
}

/**
 * The EnvoyFilter most likely to blame: the newest one created before the first rejection, in the namespace
 * or in a root (control-plane) namespace, where it applies mesh-wide.
 */
function suspectFilter(
  filters: KubeObject[],
  namespace: string | null,
  roots: readonly string[],
  beforeMs: number | null,
): KubeObject | undefined {
  return filters
    .filter((f) => f.metadata?.namespace === namespace || roots.includes(f.metadata?.namespace ?? ''))
    .filter((f) => beforeMs === null || (toMs(f.metadata?.creationTimestamp) ?? 0) <= beforeMs)
    .sort((a, b) => (toMs(b.metadata?.creationTimestamp) ?? 0) - (toMs(a.metadata?.creationTimestamp) ?? 0))[0];
}

/** The sidecar received configuration from istiod but Envoy rejected it. */
export const detectXdsConfigRejected: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const lines = view.logsWith(CONFIG_REJECTED).filter(rejects);
  if (lines.length === 0) return { drafts: [], detail: 'no rejected xDS updates in proxy logs' };
  const filters = view.list('EnvoyFilter');
  const drafts: Draft[] = groupByWorkload(view, lines).map(({ ref, lines: group }) => {
    const reason = group.find((l) => !COUNTS.test(l.text)) ?? null;
    const status = newestFirst(group).find((l) => COUNTS.test(l.text)) ?? null;
    const suspect = suspectFilter(filters, ref.namespace, controlPlaneNamespaces, group[0]?.ms ?? null);
    const resources: ObjectRef[] = [ref];
    const evidence = [...(reason ? [fromLog(reason, 'rejected: ')] : []), ...(status ? [fromLog(status)] : [])];
    const facts: string[] = [];
    if (suspect) {
      const sref: ObjectRef = {
        kind: 'EnvoyFilter',
        namespace: suspect.metadata?.namespace ?? null,
        name: suspect.metadata?.name ?? '',
      };
      resources.push(sref);
      evidence.push(
        fromObject(
          sref,
          `created ${suspect.metadata?.creationTimestamp ?? 'at an unknown time'}, before the first rejection`,
          suspect.metadata?.creationTimestamp ?? null,
        ),
      );
      facts.push(`Suspect EnvoyFilter ${sref.namespace}/${sref.name}: revert or fix it and watch the rejections stop.`);
    }
    evidence.push(fromObject(ref, `rejected configuration ${occurrenceText(group, nowMs)}`));
    return { resources, evidence, confidence: 0.7 + (reason ? 0.1 : 0) + (suspect ? 0.1 : 0), facts };
  });
  return { drafts, detail: `${lines.length} rejected-config line(s); ${filters.length} EnvoyFilter(s) captured` };
};
