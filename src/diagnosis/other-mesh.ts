import type { ClusterView } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { KubeObject, Workload } from './kube-types';

/**
 * Marks by which another mesh injects its own init container (linkerd-init, kuma-init), which needs the same
 * NET_ADMIN capability; and those by which Istio's injector selects a namespace or pod.
 */
const OTHER_MESH = [
  (m: Meta) => /^(enabled|ingress)$/.test(m.annotations?.['linkerd.io/inject'] ?? ''),
  (m: Meta) =>
    m.labels?.['kuma.io/sidecar-injection'] === 'enabled' || m.annotations?.['kuma.io/sidecar-injection'] === 'enabled',
];
const ISTIO_MESH = [
  (m: Meta) => m.labels?.['istio-injection'] === 'enabled' || m.labels?.['istio.io/rev'] !== undefined,
  (m: Meta) =>
    m.labels?.['sidecar.istio.io/inject'] === 'true' || m.annotations?.['sidecar.istio.io/inject'] === 'true',
];
type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };

/**
 * True when a refusal that names no container (a pod security policy's "capability may not be added") is about
 * another mesh's init container: the namespace or the pod template is marked for that mesh and not for Istio.
 */
export function anotherMeshInjects(view: ClusterView, owner: ObjectRef, workload: ObjectRef): boolean {
  const metas: Meta[] = [
    view.get<KubeObject>('Namespace', null, workload.namespace ?? '')?.metadata ?? {},
    view.object<Workload>(workload)?.spec?.template?.metadata ?? {},
    view.object<Workload>(owner)?.spec?.template?.metadata ?? {},
  ];
  const marked = (tests: ((m: Meta) => boolean)[]) => metas.some((m) => tests.some((t) => t(m)));
  return marked(OTHER_MESH) && !marked(ISTIO_MESH);
}
