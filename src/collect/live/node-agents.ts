import type { Pod } from '../../diagnosis/kube-types';
import { ipOfAddr, isIstioCniPod, isZtunnelPod, nodeOf, parseZtunnelLine } from '../../diagnosis/ztunnel';
import { splitTimestamp } from '../normalize';

/**
 * ztunnel and istio-cni run one pod per node and log for every pod of their node. A live read aimed at a
 * namespace (or one workload) reads only the node agents of the nodes its pods run on, and keeps only
 * their lines about those pods, plus ztunnel's lines about itself (xDS, certificates, the CNI agent).
 */

/** Labels that select the node agents across namespaces (istio-system, or kube-system on GKE). */
export const NODE_AGENT_SELECTORS = ['app=ztunnel', 'k8s-app=istio-cni-node'] as const;

/** The node-agent containers whose lines are scoped: ztunnel's and the istio-cni node agent's. */
export const NODE_AGENT_CONTAINERS = ['istio-proxy', 'install-cni'] as const;

/** Names of node-agent pods (DaemonSet pods: the DaemonSet's name and a suffix), as a Cloud Logging regex. */
export const NODE_AGENT_POD_PATTERN = '^(ztunnel|istio-cni-node)-[a-z0-9]+$';

/** What a diagnosis aims at. */
export interface ReadTarget {
  namespace: string | null;
  workload?: string | null;
}

/** Which node agents are read, and which of their lines are kept. */
export interface NodeAgentScope {
  /** The node-agent pods read, by `namespace/name`. */
  agents: ReadonlySet<string>;
  /** The nodes the pods in scope run on. */
  nodes: ReadonlySet<string>;
  /** Whether a pod's log is read at all: any pod but a node agent of another node. */
  reads(pod: Pod): boolean;
  /** Whether a line of a node agent (by its pod) is kept. Lines of other pods are always kept. */
  keeps(namespace: string | null, pod: string | null, text: string): boolean;
}

function isNodeAgent(pod: Pod): boolean {
  return isZtunnelPod(pod) || isIstioCniPod(pod);
}

function keyOf(namespace: string | null | undefined, name: string | null | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** The workload name of a pod as its owners give it (a ReplicaSet's Deployment), else the pod's name. */
function workloadNameOf(pod: Pod): string {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const name = owner?.name ?? pod.metadata?.name ?? '';
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner?.kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`)) return name.slice(0, -hash.length - 1);
  return name;
}

function ipsOf(pod: Pod): string[] {
  const status = pod.status as { podIP?: string; podIPs?: { ip?: string }[] } | undefined;
  return [status?.podIP, ...(status?.podIPs ?? []).map((a) => a.ip)].filter((ip): ip is string => !!ip);
}

/** The pods a target covers: those of its namespace (and workload), node agents left out. */
export function podsInScope(pods: readonly Pod[], target: ReadTarget): Pod[] {
  return pods.filter(
    (p) =>
      p.metadata?.namespace === target.namespace &&
      !isNodeAgent(p) &&
      (!target.workload || workloadNameOf(p) === target.workload || p.metadata?.name === target.workload),
  );
}

const ACCESS_FIELDS = ['src.addr', 'dst.addr', 'dst.hbone_addr', 'src.workload', 'dst.workload'];

/**
 * The node-agent scope of a target; null without a target namespace (every node agent is read whole).
 * Node agents in scope: those on the nodes of the target's pods.
 */
export function nodeAgentScope(pods: readonly Pod[], target: ReadTarget): NodeAgentScope | null {
  if (!target.namespace) return null;
  const inScope = podsInScope(pods, target);
  const nodes = new Set(inScope.map(nodeOf).filter((n): n is string => n !== null));
  const ips = new Set(inScope.flatMap(ipsOf));
  const names = new Set(inScope.map((p) => p.metadata?.name ?? ''));
  const namespace = target.namespace;
  const wholeNamespace = !target.workload;
  const agentPods = pods.filter(isNodeAgent);
  const agents = new Set(
    agentPods.filter((p) => nodes.has(nodeOf(p) ?? '')).map((p) => keyOf(p.metadata?.namespace, p.metadata?.name)),
  );
  const ztunnels = new Set(agentPods.filter(isZtunnelPod).map((p) => keyOf(p.metadata?.namespace, p.metadata?.name)));
  const allAgents = new Set(agentPods.map((p) => keyOf(p.metadata?.namespace, p.metadata?.name)));

  /** A pod named by workload and namespace fields (ztunnel's src.workload is the pod's name). */
  const namesPod = (workload: string | undefined, ns: string | undefined) =>
    (workload !== undefined && names.has(workload) && (ns === undefined || ns === namespace)) ||
    (wholeNamespace && ns === namespace);

  const ztunnelKeeps = (text: string): boolean => {
    const record = parseZtunnelLine(text);
    if (!record) return mentions(text);
    const f = record.fields;
    const aboutConnection = record.target === 'access' || ACCESS_FIELDS.some((k) => f[k] !== undefined);
    if (!aboutConnection) return true;
    if ([f['src.addr'], f['dst.addr'], f['dst.hbone_addr']].some((a) => ips.has(ipOfAddr(a ?? null) ?? '')))
      return true;
    return namesPod(f['src.workload'], f['src.namespace']) || namesPod(f['dst.workload'], f['dst.namespace']);
  };

  /** istio-cni names a pod by `ns=... name=...` or `pod=ns/name`; a line naming none is the agent's own. */
  const cniKeeps = (text: string): boolean => {
    const record = parseZtunnelLine(text);
    const f = record?.fields ?? {};
    const [podNs, podName] = f.pod?.includes('/') ? f.pod.split('/', 2) : [f.ns ?? f.namespace, f.name ?? f.pod];
    if (podName !== undefined) return namesPod(podName, podNs);
    if (podNs !== undefined) return podNs === namespace;
    return !/\bpod\b/i.test(record?.message ?? text) || mentions(text);
  };

  function mentions(text: string): boolean {
    return [...names].some((n) => n !== '' && text.includes(n)) || [...ips].some((ip) => containsIp(text, ip));
  }

  return {
    agents,
    nodes,
    reads: (pod) => !isNodeAgent(pod) || agents.has(keyOf(pod.metadata?.namespace, pod.metadata?.name)),
    keeps(ns, pod, text) {
      const key = keyOf(ns, pod);
      if (!allAgents.has(key)) return true;
      if (!agents.has(key)) return false;
      return ztunnels.has(key) ? ztunnelKeeps(text) : cniKeeps(text);
    },
  };
}

function containsIp(text: string, ip: string): boolean {
  const at = text.indexOf(ip);
  if (at < 0) return false;
  const after = text.charAt(at + ip.length);
  return (
    !/[0-9]/.test(text.charAt(at - 1)) &&
    !/[0-9]/.test(after) &&
    !(after === '.' && /\d/.test(text.charAt(at + ip.length + 1)))
  );
}

/** The lines of a `kubectl logs --timestamps` block a scope keeps (the block itself when none is dropped). */
export function scopeBlock(
  scope: NodeAgentScope | null,
  source: { namespace: string | null; pod: string | null },
  block: string,
): string {
  if (!scope) return block;
  const lines = block.split('\n');
  const kept = lines.filter((line, i) => {
    if (line === '' && i === lines.length - 1) return true;
    return scope.keeps(source.namespace, source.pod, splitTimestamp(line).text);
  });
  return kept.length === lines.length ? block : kept.join('\n');
}
