import type { ClusterView } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { KubeObject, LabelSelector, Pod } from './kube-types';
import { selectorMatches } from './webhooks';

/**
 * Ingress NetworkPolicies as the CNI enforces them: which policies select a pod, and whether any of them lets
 * a given source address reach a given port. Kubernetes NetworkPolicies, and Cilium's own
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy when a snapshot holds them.
 */

/** A NetworkPolicy rule's port: a number or a container port's name, optionally up to endPort. */
export interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

interface PolicyPeer {
  ipBlock?: { cidr?: string; except?: string[] };
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
}

export interface NetworkPolicy extends KubeObject {
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: PolicyPeer[]; ports?: PolicyPort[] }[];
    egress?: unknown[];
  };
}

interface CiliumRule {
  fromCIDR?: string[];
  fromCIDRSet?: { cidr?: string; except?: string[] }[];
  fromEntities?: string[];
  fromEndpoints?: unknown[];
  toPorts?: { ports?: { port?: string | number; endPort?: number; protocol?: string }[] }[];
}

interface CiliumPolicySpec {
  endpointSelector?: LabelSelector;
  ingress?: CiliumRule[];
  ingressDeny?: unknown[];
  enableDefaultDeny?: { ingress?: boolean };
}

export interface CiliumPolicy extends KubeObject {
  spec?: CiliumPolicySpec;
  specs?: CiliumPolicySpec[];
}

export const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;

/** A port of a pod as a probe or a peer reaches it: a number, or a container port name. */
export type PortRef = number | string;

/** One policy that makes a pod default-deny for ingress. */
export interface IngressPolicy {
  ref: ObjectRef;
  object: KubeObject;
  /** Kubernetes NetworkPolicy with no ingress rule at all (deny everything). */
  denyAll: boolean;
  allows: (ip: string, port: number | null) => boolean;
}

function ipv4(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const v = Number(part);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Whether an IPv4 address lies in a CIDR (IPv6 CIDRs never hold an IPv4 address). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const b = ipv4(base ?? '');
  const a = ipv4(ip);
  if (b === null || a === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function inBlock(cidr: string | undefined, except: string[] | undefined, ip: string): boolean {
  return !!cidr && cidrContains(cidr, ip) && !(except ?? []).some((e) => cidrContains(e, ip));
}

/** The number a port reference means in a pod: a number, or the container port of that name. */
export function resolvePort(pod: Pod, port: PortRef | undefined): number | null {
  if (port === undefined) return null;
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  for (const c of pod.spec?.containers ?? []) {
    const ports = (c as { ports?: { name?: string; containerPort?: number }[] }).ports ?? [];
    const hit = ports.find((p) => p.name === port);
    if (hit?.containerPort !== undefined) return hit.containerPort;
  }
  return null;
}

/**
 * Whether a rule's port list lets TCP reach `port` (no list: every port). A named port is turned into its
 * number by `resolve` (the pod's container ports, or the name the caller knows the port by).
 */
export function portsAllow(
  ports: PolicyPort[] | undefined,
  port: number | null,
  resolve: (ref: PortRef) => number | null,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP').toUpperCase() !== 'TCP') return false;
    if (p.port === undefined) return true;
    const from = resolve(p.port);
    if (from === null || port === null) return false;
    return p.endPort !== undefined ? port >= from && port <= p.endPort : port === from;
  });
}

function portListAllows(pod: Pod, ports: PolicyPort[] | undefined, port: number | null): boolean {
  return portsAllow(ports, port, (ref) => resolvePort(pod, ref));
}

/** Whether an ingress rule's port list lets TCP reach this port of the pod, whatever its peers (no list: every port). */
export const ruleAdmitsPort = (pod: Pod, rule: { ports?: PolicyPort[] }, port: number): boolean =>
  portListAllows(pod, rule.ports, port);

function kubeIngress(np: NetworkPolicy): boolean {
  const types = np.spec?.policyTypes;
  return types && types.length > 0 ? types.includes('Ingress') : true;
}

function kubePolicy(np: NetworkPolicy, pod: Pod): IngressPolicy {
  const rules = np.spec?.ingress ?? [];
  return {
    ref: { kind: 'NetworkPolicy', namespace: np.metadata?.namespace ?? null, name: np.metadata?.name ?? '' },
    object: np,
    denyAll: rules.length === 0,
    allows: (ip, port) =>
      rules.some(
        (r) =>
          portListAllows(pod, r.ports, port) &&
          (!r.from ||
            r.from.length === 0 ||
            r.from.some((peer) => inBlock(peer.ipBlock?.cidr, peer.ipBlock?.except, ip))),
      ),
  };
}

/** Cilium labels may carry a source prefix (`k8s:app`); the pod's namespace is a label too. */
function ciliumLabels(pod: Pod): Record<string, string> {
  const out: Record<string, string> = { 'io.kubernetes.pod.namespace': pod.metadata?.namespace ?? '' };
  for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) out[k] = v;
  return out;
}

function stripPrefix(selector: LabelSelector | undefined): LabelSelector | undefined {
  if (!selector) return selector;
  const strip = (k: string) => k.replace(/^(k8s|any):/, '');
  return {
    matchLabels: Object.fromEntries(Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [strip(k), v])),
    matchExpressions: (selector.matchExpressions ?? []).map((e) => ({ ...e, key: strip(e.key ?? '') })),
  };
}

function ciliumRuleAllows(pod: Pod, rule: CiliumRule, ip: string, port: number | null): boolean {
  const ports = (rule.toPorts ?? []).flatMap((t) => t.ports ?? []);
  if (!portListAllows(pod, ports, port)) return false;
  // An entity "world" is everything outside the cluster, which the link-local probe address is to Cilium.
  if ((rule.fromEntities ?? []).some((e) => e === 'all' || e === 'world')) return true;
  if ((rule.fromCIDR ?? []).some((c) => cidrContains(c, ip))) return true;
  return (rule.fromCIDRSet ?? []).some((s) => inBlock(s.cidr, s.except, ip));
}

function ciliumPolicies(view: ClusterView, pod: Pod): IngressPolicy[] {
  const out: IngressPolicy[] = [];
  const labels = ciliumLabels(pod);
  for (const kind of CILIUM_KINDS) {
    for (const policy of view.list<CiliumPolicy>(kind)) {
      if (kind === 'CiliumNetworkPolicy' && policy.metadata?.namespace !== pod.metadata?.namespace) continue;
      const specs = [...(policy.spec ? [policy.spec] : []), ...(policy.specs ?? [])].filter(
        (s) => s.endpointSelector !== undefined && selectorMatches(stripPrefix(s.endpointSelector), labels),
      );
      // Only a rule with an ingress section puts the endpoint in default deny, unless that is switched off.
      const denying = specs.filter(
        (s) => (s.ingress !== undefined || s.ingressDeny !== undefined) && s.enableDefaultDeny?.ingress !== false,
      );
      if (denying.length === 0) continue;
      const rules = specs.flatMap((s) => s.ingress ?? []);
      out.push({
        ref: {
          kind,
          namespace: kind === 'CiliumNetworkPolicy' ? (policy.metadata?.namespace ?? null) : null,
          name: policy.metadata?.name ?? '',
        },
        object: policy,
        denyAll: false,
        allows: (ip, port) => rules.some((r) => ciliumRuleAllows(pod, r, ip, port)),
      });
    }
  }
  return out;
}

/** The policies (Kubernetes, and Cilium's when read) that select the pod for ingress, so make it default-deny. */
export function ingressPoliciesOf(view: ClusterView, pod: Pod): IngressPolicy[] {
  const kube = view
    .list<NetworkPolicy>('NetworkPolicy')
    .filter((np) => np.metadata?.namespace === pod.metadata?.namespace)
    .filter(kubeIngress)
    .filter((np) => selectorMatches(np.spec?.podSelector, pod.metadata?.labels))
    .map((np) => kubePolicy(np, pod));
  return [...kube, ...ciliumPolicies(view, pod)];
}

/** Whether the ingress policies of a pod, taken together, let a source address reach a port (true with none). */
export function ingressAllowed(policies: IngressPolicy[], ip: string, port: number | null): boolean {
  return policies.length === 0 || policies.some((p) => p.allows(ip, port));
}

/** Whether any of these kinds was captured at all (Kubernetes NetworkPolicies, or Cilium's). */
export function policiesRead(view: ClusterView): boolean {
  return view.captured('NetworkPolicy') || CILIUM_KINDS.some((k) => view.captured(k));
}
