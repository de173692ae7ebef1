import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import type { Workload } from './kube-types';

/** Where Istio's control plane is looked for when no namespace is configured. */
export const DEFAULT_CONTROL_PLANE_NAMESPACES: readonly [string, ...string[]] = ['istio-system'];

/** True for a log line written by istiod (container `discovery`, or an istiod pod). */
export function isIstiodLine(line: LogLine): boolean {
  if (line.container === 'discovery') return true;
  if (line.container && line.container !== 'istiod') return false;
  return !!line.pod && /^istiod/.test(line.pod);
}

/** istiod Deployments present in the evidence. */
export function istiodDeployments(view: ClusterView): Workload[] {
  return view.list<Workload>('Deployment').filter((d) => /^istiod(-|$)/.test(d.metadata?.name ?? ''));
}

/**
 * The control-plane namespaces of one diagnosis: the configured ones in their order (the default when none
 * are), then any other namespace that visibly holds an istiod Deployment. Never empty.
 */
export function controlPlaneNamespaces(view: ClusterView, configured: readonly string[] = []): readonly string[] {
  const istiod = istiodDeployments(view).flatMap((d) => d.metadata?.namespace ?? []);
  return [...new Set([...(configured.length > 0 ? configured : DEFAULT_CONTROL_PLANE_NAMESPACES), ...istiod])];
}

/** The namespace assumed where an object names none (a webhook's Service, an istiod log line): the first one. */
export function homeNamespace(controlPlane: readonly string[]): string {
  return controlPlane[0] ?? DEFAULT_CONTROL_PLANE_NAMESPACES[0];
}

/** The istiod Deployment that wrote a line (from the pod name), defaulting to istiod in the home namespace. */
export function istiodOf(view: ClusterView, line: LogLine, controlPlane: readonly string[]): ObjectRef {
  const namespace = line.namespace ?? homeNamespace(controlPlane);
  if (line.pod) return view.workloadOfPodName(namespace, line.pod);
  return { kind: 'Deployment', namespace, name: 'istiod' };
}
