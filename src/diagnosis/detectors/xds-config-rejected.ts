import type { ClusterView } from '../cluster-view';
import { isIstiodLine } from '../control-plane';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import type { KubeObject } from '../kube-types';
import { toMs } from '../../util/time';
import { groupByWorkload, newestFirst, occurrenceText } from '../log-groups';

export const CONFIG_REJECTED = 'xds-config-rejected';
export const ACK_ERROR = 'istiod-ack-error';

/**
 * The proxy istiod names in an `ACK ERROR` line: `sidecar~IP~POD.NAMESPACE~DOMAIN[-N]` (Istio up to 1.7),
 * else the connection id `POD.NAMESPACE-N` that follows `ACK ERROR`.
 */
const NODE_ID = /(?:sidecar|router)~[^~\s]*~([^~\s]+)~/;
const CONNECTION_ID = /ACK ERROR (?:[0-9.:[\]a-f]+:[0-9]+ )?([^\s~]+)-[0-9]+ /;

/** The pod (name and namespace) of the proxy that sent a NACK, from istiod's line; null when it names none. */
export function nackingProxy(text: string): { pod: string; namespace: string } | null {
  const id = NODE_ID.exec(text)?.[1] ?? CONNECTION_ID.exec(text)?.[1];
  const dot = id ? id.lastIndexOf('.') : -1;
  if (!id || dot <= 0 || dot === id.length - 1) return null;
  return { pod: id.slice(0, dot), namespace: id.slice(dot + 1) };
}

/** The workload of the proxy a line is about: the NACKing proxy for istiod's lines, else the pod that wrote it. */
function proxyWorkload(view: ClusterView, line: LogLine): ObjectRef {
  const proxy = line.signatures.includes(ACK_ERROR) ? nackingProxy(line.text) : null;
  if (proxy) return view.workloadOfPodName(proxy.namespace, proxy.pod);
  return line.pod
    ? view.workloadOfPodName(line.namespace, line.pod)
    : { kind: 'Pod', namespace: line.namespace, name: 'unknown' };
}

const COUNTS =
  /cds updates: ([0-9]+) successful, ([0-9]+) rejected; lds updates: ([0-9]+) successful, ([0-9]+) rejected/;

/** A line that really reports a rejection (a NOT-ready line with all-zero rejections does not). */
function rejects(line: LogLine): boolean {
  if (line.signatures.includes(ACK_ERROR)) return isIstiodLine(line) && nackingProxy(line.text) !== null;
  const m = COUNTS.exec(line.text);
  if (!m) return /rejected/.test(line.text);
  return Number(m[2]) > 0 || Number(m[4]) > 0;
}

/**
 * The EnvoyFilter most likely to blame: the newest one created before the first rejection, in the namespace
 * or in a root (control-plane) namespace, where it applies mesh-wide.
 */
function suspectFilter(
  filters: readonly KubeObject[],
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
  const lines = [...new Set([...view.logsWith(CONFIG_REJECTED), ...view.logsWith(ACK_ERROR)])]
    .filter(rejects)
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  if (lines.length === 0) return { drafts: [], detail: 'no rejected xDS updates in proxy or istiod logs' };
  const filters = view.list('EnvoyFilter');
  const drafts: Draft[] = groupByWorkload(view, lines, (l) => proxyWorkload(view, l)).map(({ ref, lines: group }) => {
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
