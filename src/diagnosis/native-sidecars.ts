import type { ClusterView } from './cluster-view';
import { istiodDeployments } from './control-plane';
import type { ContainerSpec, KubeObject, PodSpec, Workload } from './kube-types';
import { SIDECAR } from './pod-facts';

/** Kubelet minor version from which Istio's `auto` mode injects native sidecars (istio pkg/kube/inject DetectNativeSidecar). */
export const NATIVE_SIDECAR_MIN_KUBELET_MINOR = 33;
/** Istio release from which `ENABLE_NATIVE_SIDECARS` defaults to auto-detection. */
const NATIVE_BY_DEFAULT_SINCE_MINOR = 27;
export const NATIVE_SIDECAR_ANNOTATION = 'sidecar.istio.io/nativeSidecar';

/** The probe Kubernetes runs on a container, as far as the detectors read it. */
export interface Probe {
  httpGet?: { path?: string; port?: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

type ProbedContainer = ContainerSpec & { startupProbe?: Probe; readinessProbe?: Probe };

/**
 * istio-proxy as a native sidecar: an init container named istio-proxy with `restartPolicy: Always`
 * (Kubernetes sidecar containers). Undefined for a classic sidecar or a pod without one.
 */
export function nativeSidecar(spec: PodSpec | undefined): ProbedContainer | undefined {
  const init = spec?.initContainers?.find((c) => c.name === SIDECAR);
  return init?.restartPolicy === 'Always' ? (init as ProbedContainer) : undefined;
}

/** How a pod or pod template runs istio-proxy. */
export function sidecarMode(spec: PodSpec | undefined): 'native' | 'classic' | 'none' {
  if (nativeSidecar(spec)) return 'native';
  return spec?.containers?.some((c) => c.name === SIDECAR) ? 'classic' : 'none';
}

/** The longest a startup probe lets a container try before the kubelet restarts it, in seconds. */
export function startupBudgetSeconds(probe: Probe | undefined): number | null {
  if (!probe) return null;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

/** `GET :15021/healthz/ready every 1s, failureThreshold 600 (up to 10m)` for a probe. */
export function probeText(probe: Probe | undefined): string {
  if (!probe) return 'no startupProbe';
  const target = probe.httpGet ? `GET :${probe.httpGet.port ?? '?'}${probe.httpGet.path ?? ''}` : 'probe';
  const budget = startupBudgetSeconds(probe);
  const minutes = budget !== null && budget >= 120 ? ` (up to ${Math.round(budget / 60)}m)` : ` (up to ${budget}s)`;
  return `${target} every ${probe.periodSeconds ?? 10}s, failureThreshold ${probe.failureThreshold ?? 3}${minutes}`;
}

/** A node whose kubelet is too old for Istio to inject native sidecars. */
export interface OldKubelet {
  node: string;
  version: string;
}

function kubeletMinor(version: string): number | null {
  const m = /^v?1\.([0-9]+)/.exec(version);
  return m?.[1] ? Number(m[1]) : null;
}

/** Nodes whose kubelet is older than 1.33, oldest first. Empty when Nodes were not read. */
export function oldKubelets(view: ClusterView): OldKubelet[] {
  return view
    .list<KubeObject & { status?: { nodeInfo?: { kubeletVersion?: string } } }>('Node')
    .map((n) => ({ node: n.metadata?.name ?? '', version: n.status?.nodeInfo?.kubeletVersion ?? '' }))
    .filter((n) => {
      const minor = kubeletMinor(n.version);
      return minor !== null && minor < NATIVE_SIDECAR_MIN_KUBELET_MINOR;
    })
    .sort((a, b) => (kubeletMinor(a.version) ?? 0) - (kubeletMinor(b.version) ?? 0) || a.node.localeCompare(b.node));
}

/** How the istiod Deployments decide on native sidecars: `auto` (by kubelet versions), on, off or unknown. */
export function nativeSidecarMode(view: ClusterView): 'auto' | 'on' | 'off' | 'unknown' {
  const modes = istiodDeployments(view).map((d: Workload) => {
    const discovery = d.spec?.template?.spec?.containers?.find((c) => c.name === 'discovery');
    const env = discovery?.env?.find((e) => e.name === 'ENABLE_NATIVE_SIDECARS')?.value?.toLowerCase();
    if (env === 'true') return 'on';
    if (env === 'false') return 'off';
    if (env === 'auto') return 'auto';
    const minor = /:1\.([0-9]+)\./.exec(discovery?.image ?? '')?.[1];
    return minor && Number(minor) >= NATIVE_BY_DEFAULT_SINCE_MINOR ? 'auto' : 'unknown';
  });
  if (modes.length === 0) return 'unknown';
  return modes.every((m) => m === modes[0]) ? (modes[0] as 'auto' | 'on' | 'off' | 'unknown') : 'unknown';
}

/**
 * Why a pod got a classic sidecar where Istio would inject a native one: istiod auto-detects native
 * sidecars and a node runs a kubelet older than 1.33 (every node counts when the pod had no node yet at
 * admission). Null when that is not the reason (or cannot be told).
 */
export function nativeSidecarsOffFact(
  view: ClusterView,
  pod: { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec },
): string | null {
  if (sidecarMode(pod.spec) !== 'classic') return null;
  if (pod.metadata?.annotations?.[NATIVE_SIDECAR_ANNOTATION] !== undefined) return null;
  if (nativeSidecarMode(view) !== 'auto') return null;
  const old = oldKubelets(view);
  const first = old[0];
  if (!first) return null;
  const more =
    old.length > 1 ? ` (and ${old.length - 1} more node(s) older than 1.${NATIVE_SIDECAR_MIN_KUBELET_MINOR})` : '';
  // Kubernetes runs sidecar containers (restartPolicy Always on an init container) by default from 1.29.
  const annotation =
    (kubeletMinor(first.version) ?? 0) >= 29 ? `, or the pod annotation ${NATIVE_SIDECAR_ANNOTATION}: "true",` : '';
  return `Native sidecars are off because node ${first.node} runs kubelet ${first.version}${more}: in auto mode istiod injects native sidecars only when every node runs kubelet 1.${NATIVE_SIDECAR_MIN_KUBELET_MINOR} or newer. Upgrading that node pool${annotation} would let Kubernetes start istio-proxy before the application.`;
}
