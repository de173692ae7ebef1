import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import type { Workload } from './kube-types';

/** True for a log line written by istiod (container `discovery`, or an istiod pod). */
export function isIstiodLine(line: LogLine): boolean {
  if (line.container === 'discovery') return true;
  if (line.container && line.container !== 'istiod') return false;
  return !!line.pod && /^istiod/.test(line.pod);
}

/** The istiod Deployment that wrote a line (from the pod name), defaulting to istio-system/istiod. */
export function istiodOf(view: ClusterView, line: LogLine): ObjectRef {
  if (line.pod) return view.workloadOfPodName(line.namespace ?? 'istio-system', line.pod);
  return { kind: 'Deployment', namespace: line.namespace ?? 'istio-system', name: 'istiod' };
}

/** istiod Deployments present in the evidence. */
export function istiodDeployments(view: ClusterView): Workload[] {
  return view.list<Workload>('Deployment').filter((d) => /^istiod(-|$)/.test(d.metadata?.name ?? ''));
}
