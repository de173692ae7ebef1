import type { ClusterView } from './cluster-view';
import { istiodDeployments } from './control-plane';
import type { KubeObject, Pod, Service } from './kube-types';
import { managedMesh } from './mesh-kind';
import { hasSidecar } from './pod-facts';
import { labelsCarry } from './routing';
import { isAmbientInfrastructurePod } from './ztunnel';
import { EN } from '../i18n/translate';
import type { Translate } from '../i18n/translate';

/** The label that puts a namespace or pod in ambient mode (`ambient`), or keeps a pod out of it (`none`). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** The annotation istio-cni writes on a pod it handed to ztunnel: `enabled`, or `pending` when that failed. */
export const REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';
/** The label naming the waypoint that serves a namespace, Service or pod (`none` opts out). */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The label naming the namespace of that waypoint, when it is not the object's own. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
/** The GatewayClass of waypoint proxies. */
export const WAYPOINT_CLASS = 'istio-waypoint';
/** Namespace of GKE's own ambient networking, a different product from Istio's ambient mode. */
export const GKE_AMBIENT_NAMESPACE = 'gke-managed-ambient';

export type DataplaneMode = 'sidecar' | 'ambient' | 'ambient-waypoint' | 'none';

/** Which data plane carries a pod's traffic, and why mesh-doctor thinks so. */
export interface PodDataplane {
  mode: DataplaneMode;
  /** `namespace/name` of the waypoint that serves the pod or one of its Services. */
  waypoint: string | null;
  /** The redirection annotation istio-cni wrote (`enabled`, `pending`), or null when there is none. */
  redirection: string | null;
  /** Whether the pod asks for ambient (its own or its namespace's label). */
  enrolled: boolean;
}

function labelOf(object: KubeObject | undefined, key: string): string | undefined {
  return object?.metadata?.labels?.[key];
}

/** The waypoint a label names, as `namespace/name`, or null for none or `none`. */
function waypointOf(object: KubeObject | undefined, defaultNamespace: string): string | null {
  const name = labelOf(object, USE_WAYPOINT_LABEL);
  if (!name || name === 'none') return null;
  return `${labelOf(object, USE_WAYPOINT_NAMESPACE_LABEL) ?? defaultNamespace}/${name}`;
}

/** Whether a namespace or pod opts out of a waypoint named higher up (`istio.io/use-waypoint: none`). */
function optsOut(object: KubeObject | undefined): boolean {
  return labelOf(object, USE_WAYPOINT_LABEL) === 'none';
}

/** Services of the pod's namespace whose selector matches it. */
function servicesOfPod(view: ClusterView, pod: Pod): Service[] {
  const namespace = pod.metadata?.namespace ?? null;
  return view.list<Service>('Service').filter((s) => {
    const selector = s.spec?.selector;
    return (
      s.metadata?.namespace === namespace &&
      selector !== undefined &&
      Object.keys(selector).length > 0 &&
      labelsCarry(selector, pod.metadata?.labels)
    );
  });
}

/**
 * The data plane of one pod: sidecar when it runs istio-proxy (a sidecar-injected pod is never captured by
 * ztunnel), ambient when it or its namespace carries `istio.io/dataplane-mode=ambient` (a pod's `none`
 * wins) or istio-cni marked it, with a waypoint when the pod, one of its Services or its namespace names
 * one; none otherwise.
 */
export function podDataplane(view: ClusterView, pod: Pod): PodDataplane {
  const namespaceName = pod.metadata?.namespace ?? '';
  const namespace = view.get('Namespace', null, namespaceName);
  const redirection = pod.metadata?.annotations?.[REDIRECTION_ANNOTATION] ?? null;
  if (hasSidecar(pod)) return { mode: 'sidecar', waypoint: null, redirection, enrolled: false };
  const own = labelOf(pod, DATAPLANE_MODE_LABEL);
  const enrolled = own === 'ambient' || (own !== 'none' && labelOf(namespace, DATAPLANE_MODE_LABEL) === 'ambient');
  if (!enrolled && redirection !== 'enabled') return { mode: 'none', waypoint: null, redirection, enrolled };
  const waypoint = optsOut(pod)
    ? null
    : (waypointOf(pod, namespaceName) ??
      servicesOfPod(view, pod)
        .filter((s) => !optsOut(s))
        .map((s) => waypointOf(s, namespaceName))
        .find((w) => w !== null) ??
      waypointOf(namespace, namespaceName));
  return { mode: waypoint ? 'ambient-waypoint' : 'ambient', waypoint, redirection, enrolled };
}

/** Which mesh runs the cluster, as far as the evidence shows. */
export type MeshKind = 'istiod' | 'managed' | 'gke-ambient' | 'none';

/** The mesh of a cluster and the data planes of the pods in scope. */
export interface DataplaneSummary {
  mesh: MeshKind;
  /** Running pods per data plane, in scope. */
  pods: Record<DataplaneMode, number>;
  /** Waypoints (`namespace/name`) serving pods in scope. */
  waypoints: string[];
  /** One sentence for the reports. */
  text: string;
}

/** Whether GKE's own ambient networking runs in the cluster (its components' namespace or pods). */
export function gkeAmbient(view: ClusterView): boolean {
  return (
    view.get('Namespace', null, GKE_AMBIENT_NAMESPACE) !== undefined ||
    view.pods().some((p) => p.metadata?.namespace === GKE_AMBIENT_NAMESPACE)
  );
}

function meshKindOf(view: ClusterView): MeshKind {
  if (gkeAmbient(view)) return 'gke-ambient';
  if (istiodDeployments(view).length > 0) return 'istiod';
  if (managedMesh(view)) return 'managed';
  return 'none';
}

/** Namespaces of the mesh's and the platform's own pods, left out of an all-namespaces count. */
function platform(namespace: string, controlPlane: readonly string[]): boolean {
  return (
    controlPlane.includes(namespace) ||
    /^kube-(system|public|node-lease)$/.test(namespace) ||
    namespace === GKE_AMBIENT_NAMESPACE
  );
}

/**
 * The mesh and the data planes of the running pods in scope (a namespace, or all but the control plane's and
 * the platform's when null), in one sentence: "Mesh: Istio with istiod in the cluster. Data plane: 3 pods ambient with waypoint shop/waypoint,
 * 1 pod with a sidecar."
 */
export function dataplaneSummary(
  view: ClusterView,
  namespace: string | null,
  platformNamespaces: readonly string[] = [],
  t: Translate = EN,
): DataplaneSummary {
  const pods: Record<DataplaneMode, number> = { sidecar: 0, ambient: 0, 'ambient-waypoint': 0, none: 0 };
  const waypoints = new Set<string>();
  for (const pod of view.pods()) {
    const at = pod.metadata?.namespace ?? '';
    if (namespace !== null ? at !== namespace : platform(at, platformNamespaces)) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    // ztunnel's and a waypoint's istio-proxy are the data plane itself, not a sidecar of a workload
    if (isAmbientInfrastructurePod(view, pod)) continue;
    const plane = podDataplane(view, pod);
    pods[plane.mode]++;
    if (plane.waypoint) waypoints.add(plane.waypoint);
  }
  const mesh = meshKindOf(view);
  const listed = [...waypoints].sort().join(', ');
  const parts = [
    pods['ambient-waypoint'] > 0
      ? t('mesh.pods.waypoint', { count: pods['ambient-waypoint'], waypoints: listed })
      : null,
    pods.ambient > 0 ? t('mesh.pods.ambient', { count: pods.ambient }) : null,
    pods.sidecar > 0 ? t('mesh.pods.sidecar', { count: pods.sidecar }) : null,
    pods.none > 0 ? t('mesh.pods.none', { count: pods.none }) : null,
  ].filter((p): p is string => p !== null);
  const plane = view.captured('Pod')
    ? parts.length > 0
      ? parts.join(', ')
      : t('mesh.plane.empty')
    : t('mesh.plane.unknown');
  const meshText = t(`mesh.kind.${mesh}`);
  return {
    mesh,
    pods,
    waypoints: [...waypoints].sort(),
    text: namespace
      ? t('mesh.summary.namespace', { mesh: meshText, namespace, plane })
      : t('mesh.summary.all', { mesh: meshText, plane }),
  };
}
