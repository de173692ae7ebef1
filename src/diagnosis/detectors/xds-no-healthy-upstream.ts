import type { ClusterView } from '../cluster-view';
import type { Detector, Draft, Phrase } from '../detector';
import type { LogLine } from '../evidence';
import { fromLog, fromObject, refText } from '../evidence-items';
import type { ConfigMap, Pod, Service } from '../kube-types';
import { annotations, containerStatus, SIDECAR } from '../pod-facts';
import { groupByWorkload, newestFirst, occurrencePhrase, spanMs } from '../log-groups';
import { SIDECAR_NOT_READY } from './proxy-startup-econnrefused';
import { homeNamespace } from '../control-plane';

export const NO_HEALTHY_UPSTREAM = 'xds-no-healthy-upstream';

const DISCOVERY = /discoveryAddress["']?\s*:\s*["']?([A-Za-z0-9.-]+):([0-9]+)/;

function isProxyLine(line: LogLine): boolean {
  return line.container === SIDECAR || line.container === null || /gateway/.test(line.container);
}

/**
 * The discovery address a pod is configured with (its annotation, else the mesh config of the control plane),
 * and whether a Service answers to it.
 */
function discoveryCheck(view: ClusterView, pod: Pod | undefined, controlPlane: readonly string[]): Phrase | null {
  const sources = [
    annotations(pod)['proxy.istio.io/config'],
    ...view
      .list<ConfigMap>('ConfigMap')
      .filter((c) => controlPlane.includes(c.metadata?.namespace ?? '') && /^istio(-|$)/.test(c.metadata?.name ?? ''))
      .map((c) => c.data?.mesh),
  ];
  for (const text of sources) {
    const m = text ? DISCOVERY.exec(text) : null;
    if (!m?.[1]) continue;
    const [name, ns] = m[1].split('.');
    const exists = !!(name && view.get<Service>('Service', ns ?? homeNamespace(controlPlane), name));
    const values = { address: `${m[1]}:${m[2]}`, port: m[2] ?? '' };
    if (!view.captured('Service')) return (t) => t('xds-upstream.fact.check-service', values);
    return exists
      ? (t) => t('xds-upstream.fact.service-exists', values)
      : (t) => t('xds-upstream.fact.service-missing', values);
  }
  return null;
}

/** A stream that keeps failing this often and this long is down, not reconnecting after an istiod restart. */
const PERSISTENT_LINES = 3;
const PERSISTENT_MS = 30_000;
/** PERSISTENT_LINES failures within this window are a high rate even when the proxy reconnects in between. */
const HIGH_RATE_WINDOW_MS = 5 * 60_000;

export const RECONNECTED = 'xds-stream-reconnected';

/**
 * istiod ends every xDS connection after its maximum age (30 minutes by default) with an HTTP/2 GOAWAY
 * (NO_ERROR, "max_age"); Envoy logs that as status 14 and reconnects at once. Such a line is a rotation.
 */
const ROTATION = /received prior goaway: code: NO_ERROR|debug data: "?max_age/;

export function isRotation(line: LogLine): boolean {
  return ROTATION.test(line.text);
}

/** True when PERSISTENT_LINES failures fall within HIGH_RATE_WINDOW_MS of each other (lines in time order). */
function highRate(lines: LogLine[]): boolean {
  const times = lines.map((l) => l.ms).filter((t): t is number => t !== null);
  for (let i = PERSISTENT_LINES - 1; i < times.length; i++) {
    if (times[i]! - times[i - PERSISTENT_LINES + 1]! <= HIGH_RATE_WINDOW_MS) return true;
  }
  return false;
}

/** True when the pod's proxy logged a new stream to istiod after its last failure. */
function reconnectedAfter(view: ClusterView, failures: LogLine[]): boolean {
  const last = failures[failures.length - 1];
  if (!last?.pod || last.ms === null) return false;
  return view
    .logsOfPod(last.namespace, last.pod)
    .some((l) => l.signatures.includes(RECONNECTED) && l.ms !== null && l.ms >= last.ms!);
}

/** The sidecar's xDS stream to istiod fails with "no healthy upstream" (and keeps failing). */
export const detectXdsNoHealthyUpstream: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const matched = view.logsWith(NO_HEALTHY_UPSTREAM).filter(isProxyLine);
  const lines = matched.filter((l) => !isRotation(l)).sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  const rotations = matched.length - lines.length;
  const rotationNote = rotations ? `; ${rotations} routine stream rotation(s) (GOAWAY NO_ERROR) ignored` : '';
  if (lines.length === 0)
    return { drafts: [], detail: `no "no healthy upstream" xDS errors in proxy logs${rotationNote}` };
  const transient: string[] = [];
  const drafts: Draft[] = [];
  for (const { ref, lines: group } of groupByWorkload(view, lines)) {
    const first = group[0];
    const pod = first?.pod ? view.get<Pod>('Pod', first.namespace, first.pod) : undefined;
    const notReady = first?.pod
      ? view
          .logsOfPod(first.namespace, first.pod)
          .find(
            (l) => l.signatures.includes(SIDECAR_NOT_READY) && (l.ms === null || first.ms === null || l.ms >= first.ms),
          )
      : undefined;
    const sidecarDown = containerStatus(pod, SIDECAR)?.ready === false;
    const repeated = group.length >= PERSISTENT_LINES && spanMs(group) >= PERSISTENT_MS;
    const persistent = repeated && (highRate(group) || !reconnectedAfter(view, group));
    if (!notReady && !sidecarDown && !persistent) {
      transient.push(refText(ref));
      continue;
    }
    const evidence = [
      fromLog(newestFirst(group)[0]!),
      ...(notReady ? [fromLog(notReady)] : []),
      fromObject(ref, (t) => t('xds-upstream.evidence.failures', { seen: occurrencePhrase(group, nowMs)(t) })),
    ];
    const check = discoveryCheck(view, pod, controlPlaneNamespaces);
    drafts.push({
      resources: [ref],
      evidence,
      confidence: 0.7 + (persistent ? 0.1 : 0) + (notReady || sidecarDown ? 0.1 : 0),
      facts: check ? [check] : [],
    });
  }
  const brief = transient.length
    ? `; only brief reconnects (istiod restart?) for ${transient.slice(0, 3).join(', ')}`
    : '';
  return { drafts, detail: `${lines.length} xDS "no healthy upstream" line(s)${brief}${rotationNote}` };
};
