import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import type { ConfigMap, Pod, Service } from '../kube-types';
import { annotations, SIDECAR } from '../pod-facts';
import { groupByWorkload, newestFirst, occurrenceText } from '../log-groups';
import { SIDECAR_NOT_READY } from './proxy-startup-econnrefused';

export const NO_HEALTHY_UPSTREAM = 'xds-no-healthy-upstream';

const DISCOVERY = /discoveryAddress["']?\s*:\s*["']?([A-Za-z0-9.-]+):([0-9]+)/;

function isProxyLine(line: LogLine): boolean {
  return line.container === SIDECAR || line.container === null || /gateway/.test(line.container);
}

/** The discovery address a pod is configured with, and whether a Service answers to it. */
function discoveryCheck(view: ClusterView, pod: Pod | undefined): string | null {
  const sources = [
    annotations(pod)['proxy.istio.io/config'],
    ...view
      .list<ConfigMap>('ConfigMap')
      .filter((c) => c.metadata?.namespace === 'istio-system' && /^istio(-|$)/.test(c.metadata?.name ?? ''))
      .map((c) => c.data?.mesh),
  ];
  for (const text of sources) {
    const m = text ? DISCOVERY.exec(text) : null;
    if (!m?.[1]) continue;
    const [name, ns] = m[1].split('.');
    const exists = !!(name && view.get<Service>('Service', ns ?? 'istio-system', name));
    if (!view.captured('Service'))
      return `The proxies are told to reach istiod at ${m[1]}:${m[2]}; check that this Service exists.`;
    return exists
      ? `discoveryAddress ${m[1]}:${m[2]} names an existing Service; check that istiod behind it is ready and that port ${m[2]} is reachable.`
      : `discoveryAddress ${m[1]}:${m[2]} names a Service that does not exist: point it at the istiod Service of the installed revision.`;
  }
  return null;
}

/** The sidecar's xDS stream to istiod fails with "no healthy upstream". */
export const detectXdsNoHealthyUpstream: Detector = ({ view, nowMs }) => {
  const lines = view.logsWith(NO_HEALTHY_UPSTREAM).filter(isProxyLine);
  if (lines.length === 0) return { drafts: [], detail: 'no "no healthy upstream" xDS errors in proxy logs' };
  const drafts: Draft[] = groupByWorkload(view, lines).map(({ ref, lines: group }) => {
    const pod = group[0]?.pod ? view.get<Pod>('Pod', group[0].namespace, group[0].pod) : undefined;
    const notReady = group[0]?.pod
      ? view.logsOfPod(group[0].namespace, group[0].pod).find((l) => l.signatures.includes(SIDECAR_NOT_READY))
      : undefined;
    const evidence = [
      fromLog(newestFirst(group)[0]!),
      ...(notReady ? [fromLog(notReady)] : []),
      fromObject(ref, `xDS stream failures ${occurrenceText(group, nowMs)}`),
    ];
    const check = discoveryCheck(view, pod);
    return {
      resources: [ref],
      evidence,
      confidence: 0.7 + (group.length >= 3 ? 0.1 : 0) + (notReady ? 0.1 : 0),
      facts: check ? [check] : [],
    };
  });
  return { drafts, detail: `${lines.length} xDS "no healthy upstream" line(s)` };
};
