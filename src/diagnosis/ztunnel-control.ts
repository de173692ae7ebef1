import type { ClusterView } from './cluster-view';
import { homeNamespace, istiodDeployments } from './control-plane';
import { podDataplane } from './dataplane';
import type { EvidenceItem, LogLine, ObjectRef } from './evidence';
import { fromObject, refText, uniqueRefs } from './evidence-items';
import type { ContainerSpec, KubeObject, LabelSelector, Pod, Service, Workload } from './kube-types';
import { imageTag } from './proxies';
import { backingDeployment, endpointCounts } from './webhook-chain';
import { portsAllow, type PolicyPort } from './network-policies';
import { selectorMatches } from './webhooks';
import { isZtunnelPod, loggedByZtunnel, nodeOf } from './ztunnel';

/**
 * ztunnel's link to its control plane: the xDS stream and the CA, both served by istiod on port 15012.
 * Which ztunnel pods log a signature, on which nodes, what istiod looks like from the objects, and the
 * ambient workloads a ztunnel serves.
 */

/** `XDS client connection error: ...`: ztunnel could not open its xDS stream to istiod. */
export const XDS_CONNECTION_ERROR = 'ztunnel-xds-connection-error';
/** `Stream established`: ztunnel (re)opened its xDS stream. */
export const XDS_STREAM_ESTABLISHED = 'ztunnel-xds-stream-established';
/** `timed out waiting for workload '<sa>.<ns> (<pod>)' from xds`. */
export const WORKLOAD_WAIT_TIMEOUT = 'ztunnel-workload-wait-timeout';
/** `certificate fetch failed (<err>) and no valid existing certificate; will retry in ...`. */
export const CERT_FETCH_FAILED = 'ztunnel-certificate-fetch-failed';
/** `sending response type_url=... type=Nack error=...`: ztunnel rejected configuration istiod pushed. */
export const XDS_NACK = 'ztunnel-xds-nack';

/** istiod's port for xDS and certificate signing over mTLS. */
export const XDS_PORT = 15012;

/** Lines of a signature written by ztunnel pods, oldest first. */
export function ztunnelLinesWith(view: ClusterView, signature: string): LogLine[] {
  return view
    .logsWith(signature)
    .filter((l) => !!l.pod && loggedByZtunnel(view, l))
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
}

/** The ztunnel DaemonSet that runs a pod (by the pod, else its name: ztunnel-xxxxx). */
export function ztunnelDaemonSetOf(view: ClusterView, namespace: string | null, podName: string): ObjectRef {
  const ref = view.workloadOfPodName(namespace, podName);
  if (ref.kind !== 'Pod') return ref;
  const m = /^(.*)-[a-z0-9]{5}$/.exec(podName);
  return m?.[1] ? { kind: 'DaemonSet', namespace, name: m[1] } : ref;
}

/** The node a (ztunnel) pod runs on, or null when the pod was not captured. */
export function nodeOfPod(view: ClusterView, namespace: string | null, podName: string): string | null {
  return nodeOf(view.get<Pod>('Pod', namespace, podName));
}

/** "ztunnel-7xk2p (node gke-a-1)" */
export function podOnNode(view: ClusterView, namespace: string | null, podName: string): string {
  const node = nodeOfPod(view, namespace, podName);
  return node ? `${podName} (node ${node})` : podName;
}

/** Pods in ambient mode (with or without a waypoint) running on these nodes, ztunnel itself excluded. */
export function ambientPodsOn(view: ClusterView, nodes: ReadonlySet<string>): Pod[] {
  return view.pods().filter((p) => {
    const node = nodeOf(p);
    if (!node || !nodes.has(node) || isZtunnelPod(p) || p.status?.phase !== 'Running') return false;
    const mode = podDataplane(view, p).mode;
    return mode === 'ambient' || mode === 'ambient-waypoint';
  });
}

/** "a, b, c and 4 more" */
export function listed(names: readonly string[], max = 5): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** The workloads of ambient pods on these nodes, for resources and a sentence. */
export function ambientWorkloadsOn(view: ClusterView, nodes: ReadonlySet<string>): ObjectRef[] {
  return uniqueRefs(ambientPodsOn(view, nodes).map((p) => view.workloadOfPod(p)));
}

function ztunnelContainer(object: { spec?: { containers?: ContainerSpec[] } } | undefined): ContainerSpec | undefined {
  const containers = object?.spec?.containers ?? [];
  return containers.find((c) => c.name === 'istio-proxy') ?? containers[0];
}

/** The ztunnel container of a DaemonSet's template, or of a pod. */
export function ztunnelSpec(view: ClusterView, ds: ObjectRef, podName?: string): ContainerSpec | undefined {
  const template = view.object<Workload>(ds)?.spec?.template;
  return (
    ztunnelContainer(template) ?? (podName ? ztunnelContainer(view.get<Pod>('Pod', ds.namespace, podName)) : undefined)
  );
}

/** An Istio version from an image tag: `1.27.2-distroless` -> 1.27.2; null for `latest`, digests, ... */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export function versionOfImage(image: string | undefined): Version | null {
  const tag = image ? imageTag(image) : null;
  const m = tag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag) : null;
  if (!m) return null;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

/** Minor versions b is ahead of a (negative when behind). */
export function minorsAhead(a: Version, b: Version): number {
  return (b.major - a.major) * 100 + (b.minor - a.minor);
}

/** The istiod Deployment(s) of the control plane, with their version (container discovery). */
export function istiodVersions(
  view: ClusterView,
  controlPlane: readonly string[],
): { ref: ObjectRef; version: Version; image: string }[] {
  return istiodDeployments(view)
    .filter((d) => controlPlane.includes(d.metadata?.namespace ?? ''))
    .flatMap((d) => {
      const containers = d.spec?.template?.spec?.containers ?? [];
      const image = (containers.find((c) => c.name === 'discovery') ?? containers[0])?.image;
      const version = versionOfImage(image);
      const ref: ObjectRef = {
        kind: 'Deployment',
        namespace: d.metadata?.namespace ?? null,
        name: d.metadata?.name ?? '',
      };
      return version && image ? [{ ref, version, image }] : [];
    });
}

/** `host:port` of istiod for ztunnel: from a line (`connecting to https://H:P`), else the container's env. */
export function istiodAddress(line: LogLine | undefined, spec: ContainerSpec | undefined, env: string): string | null {
  const fromLine = line ? /connecting to (?:https?:\/\/)?([A-Za-z0-9.-]+:\d+)/.exec(line.text)?.[1] : undefined;
  if (fromLine) return fromLine;
  const value = spec?.env?.find((e) => e.name === env)?.value;
  return value ? value.replace(/^https?:\/\//, '') : null;
}

interface NetworkPolicy extends KubeObject {
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: { ports?: PolicyPort[] }[];
    egress?: { ports?: PolicyPort[] }[];
  };
}

/** A port list allowing TCP `port`, known by the name `name` in the pods it reaches. */
function portAllowed(ports: PolicyPort[] | undefined, port: number, name: string | null): boolean {
  return portsAllow(ports, port, (ref) =>
    ref === name || ref === String(port) ? port : typeof ref === 'number' ? ref : null,
  );
}

/**
 * NetworkPolicies of a direction that select pods with these labels and together allow no TCP traffic to
 * the port (a policy of that type with no matching rule isolates the pod). Empty when any policy allows it.
 */
export function policiesBlocking(
  view: ClusterView,
  namespace: string,
  labels: Record<string, string>,
  direction: 'Ingress' | 'Egress',
  port: number,
  portName: string | null,
): ObjectRef[] {
  const selecting = view.list<NetworkPolicy>('NetworkPolicy').filter((np) => {
    if (np.metadata?.namespace !== namespace) return false;
    const types = np.spec?.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : np.spec?.egress ? ['Egress'] : []);
    return types.includes(direction) && selectorMatches(np.spec?.podSelector ?? {}, labels);
  });
  const rules = (np: NetworkPolicy) => (direction === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? [];
  if (selecting.some((np) => rules(np).some((r) => portAllowed(r.ports, port, portName)))) return [];
  return selecting.map((np) => ({ kind: 'NetworkPolicy', namespace, name: np.metadata?.name ?? '' }));
}

/** What the objects say about the istiod a ztunnel talks to: facts, evidence and the objects at fault. */
export interface IstiodState {
  service: ObjectRef | null;
  facts: string[];
  evidence: EvidenceItem[];
  atFault: ObjectRef[];
  /** True when the objects show istiod unreachable (no ready endpoint, no replica, or blocked by policy). */
  down: boolean;
}

/**
 * istiod as seen from the objects: its Service (from the address ztunnel uses, else istiod in the control
 * plane), that Service's ready endpoints, the Deployment behind it, and NetworkPolicies that keep port
 * 15012 closed to istiod's pods (ingress) or ztunnel's pods (egress).
 */
export function istiodState(
  view: ClusterView,
  controlPlane: readonly string[],
  address: string | null,
  ztunnelPod: Pod | undefined,
): IstiodState {
  const state: IstiodState = { service: null, facts: [], evidence: [], atFault: [], down: false };
  const [host, portText] = (address ?? '').split(':');
  const labels = (host ?? '').split('.');
  const inCluster = !address || labels.length === 2 || /\.svc(\.|$)/.test(host ?? '');
  if (!inCluster) {
    state.facts.push(
      `ztunnel is configured to reach ${address}, which is not an in-cluster Service: check that address and the network path to it.`,
    );
    return state;
  }
  const name = address && labels[0] ? labels[0] : 'istiod';
  const namespace = address && labels[1] ? labels[1] : homeNamespace(controlPlane);
  const port = Number(portText) || XDS_PORT;
  const ref: ObjectRef = { kind: 'Service', namespace, name };
  const service = view.get<Service>('Service', namespace, name);
  if (!service) {
    if (view.captured('Service')) {
      state.service = ref;
      state.down = true;
      state.atFault.push(ref);
      const others = view
        .list<Service>('Service')
        .filter((s) => s.metadata?.namespace === namespace && /^istiod(-|$)/.test(s.metadata?.name ?? ''))
        .map((s) => s.metadata?.name ?? '');
      state.facts.push(
        `${refText(ref)}, which ztunnel uses for istiod, does not exist${others.length > 0 ? ` (istiod Services in ${namespace}: ${others.join(', ')})` : ''}.`,
      );
    }
    return state;
  }
  state.service = ref;
  const endpoints = endpointCounts(view, ref);
  if (endpoints) {
    const text = `${endpoints.ready} ready address(es)${endpoints.notReady > 0 ? `, ${endpoints.notReady} not ready` : ''}`;
    state.evidence.push(fromObject({ kind: 'Endpoints', namespace, name }, text));
    if (endpoints.ready === 0) {
      state.down = true;
      state.atFault.push(ref);
      state.facts.push(`${refText(ref)} has no ready endpoint: nothing answers on port ${port}.`);
    }
  }
  const deployment = backingDeployment(view, service, namespace, null);
  if (deployment) {
    state.evidence.push(fromObject(deployment.ref, deployment.text.slice(refText(deployment.ref).length + 2)));
    if (deployment.available === 0) {
      state.down = true;
      state.atFault.push(deployment.ref);
      state.facts.push(
        `${refText(deployment.ref)} has no available replica (${deployment.available}/${deployment.replicas}): find out why its pods are not ready (kubectl -n ${namespace} describe pods -l ${Object.entries(
          service.spec?.selector ?? {},
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}).`,
      );
      const podStates = view.podsOfWorkload(deployment.ref).flatMap((p) => {
        const c =
          p.status?.containerStatuses?.find((cs) => cs.name === 'discovery') ?? p.status?.containerStatuses?.[0];
        const now =
          c?.state?.waiting?.reason ?? (c?.state?.running ? 'Running, not ready' : c?.state?.terminated?.reason);
        if (!c || !now) return [];
        const last = c.lastState?.terminated?.reason;
        return [`${p.metadata?.name}: ${now}${last ? `, last exit ${last}` : ''}, ${c.restartCount ?? 0} restart(s)`];
      });
      if (podStates.length > 0) state.facts.push(`istiod pods: ${listed(podStates, 3)}.`);
    }
  }
  const istiodLabels =
    (deployment ? view.object<Workload>(deployment.ref)?.spec?.template?.metadata?.labels : undefined) ??
    service.spec?.selector ??
    {};
  const targetPort = service.spec?.ports?.find((p) => p.port === port)?.targetPort;
  const podPort = typeof targetPort === 'number' ? targetPort : port;
  const portName = typeof targetPort === 'string' ? targetPort : 'tls-xds';
  const ingress = policiesBlocking(view, namespace, istiodLabels, 'Ingress', podPort, portName);
  if (ingress.length > 0) {
    state.down = true;
    state.atFault.push(...ingress);
    state.facts.push(
      `NetworkPolicy ${ingress.map((r) => r.name).join(', ')} in ${namespace} select${ingress.length === 1 ? 's' : ''} istiod's pods and allow${ingress.length === 1 ? 's' : ''} no ingress on TCP ${podPort}: add a rule that admits port ${podPort} from the ztunnel pods (and every proxy).`,
    );
  }
  const zNamespace = ztunnelPod?.metadata?.namespace;
  if (ztunnelPod && zNamespace) {
    const egress = policiesBlocking(view, zNamespace, ztunnelPod.metadata?.labels ?? {}, 'Egress', podPort, portName);
    if (egress.length > 0) {
      state.down = true;
      state.atFault.push(...egress);
      state.facts.push(
        `NetworkPolicy ${egress.map((r) => r.name).join(', ')} in ${zNamespace} limit${egress.length === 1 ? 's' : ''} the egress of the ztunnel pods and allow${egress.length === 1 ? 's' : ''} no TCP ${podPort}: add an egress rule to istiod on port ${podPort}.`,
      );
    }
  }
  return state;
}

/** Pods of a namespace that run as a service account (for a SPIFFE identity). */
export function podsOfIdentity(
  view: ClusterView,
  identity: string,
): { namespace: string; sa: string; pods: Pod[] } | null {
  const m = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/\s]+)$/.exec(identity);
  if (!m?.[1] || !m[2]) return null;
  const [namespace, sa] = [m[1], m[2]];
  const pods = view
    .pods()
    .filter(
      (p) =>
        p.metadata?.namespace === namespace &&
        ((p.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default') === sa,
    );
  return { namespace, sa, pods };
}
