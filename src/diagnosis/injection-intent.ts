import { parseAccessLog } from './access-log';
import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import { refText } from './evidence-items';
import type { KubeObject, Pod } from './kube-types';
import { hasSidecar, SIDECAR } from './pod-facts';
import { ipOf, podOfIp } from './services';

/** The signature of inbound connections a sidecar closed because no filter chain matched them (NR). */
export const FILTER_CHAIN_NOT_FOUND = 'inbound-filter-chain-not-found';

type PeerAuthentication = KubeObject & {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    mtls?: { mode?: string };
    portLevelMtls?: Record<string, { mode?: string }>;
  };
};

/** Plaintext calls from pods without a sidecar that meshed servers refused, for one client namespace. */
export interface RefusedClients {
  namespace: string;
  /** The calling workloads, in the order first seen. */
  clients: ObjectRef[];
  /** The server workloads that refused them. */
  servers: ObjectRef[];
  /** The servers' access-log lines, oldest first. */
  lines: LogLine[];
  /** The STRICT PeerAuthentication that applies to the first server, when the evidence has one. */
  strict: ObjectRef | null;
}

/** The client address of an inbound connection the sidecar closed for want of a matching filter chain, else null. */
function refusedClientAddress(line: LogLine): string | null {
  if (line.container !== null && line.container !== SIDECAR) return null;
  const record = parseAccessLog(line);
  if (!record?.flags.includes('NR')) return null;
  const byDetails = line.text.includes('filter_chain_not_found') || record.details === 'filter_chain_not_found';
  const tcpRefusal = record.code === 0 && !record.upstreamCluster && !record.upstreamHost;
  return byDetails || tcpRefusal ? record.downstreamRemote : null;
}

function selects(pa: PeerAuthentication, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(pa.spec?.selector?.matchLabels ?? {});
  return wanted.every(([k, v]) => labels?.[k] === v);
}

function isStrict(pa: PeerAuthentication): boolean {
  return (
    pa.spec?.mtls?.mode === 'STRICT' || Object.values(pa.spec?.portLevelMtls ?? {}).some((p) => p.mode === 'STRICT')
  );
}

/**
 * The STRICT PeerAuthentication that applies to a server pod: a workload-specific one in its namespace, then
 * the namespace-wide one, then a mesh-wide one in a control-plane (root) namespace.
 */
function strictPolicyFor(view: ClusterView, server: Pod | undefined, roots: readonly string[]): ObjectRef | null {
  const namespace = server?.metadata?.namespace ?? null;
  const all = view.list<PeerAuthentication>('PeerAuthentication').filter(isStrict);
  const labels = server?.metadata?.labels;
  const specific = all.find(
    (p) => p.metadata?.namespace === namespace && p.spec?.selector?.matchLabels && selects(p, labels),
  );
  const namespaceWide = all.find((p) => p.metadata?.namespace === namespace && !p.spec?.selector?.matchLabels);
  const meshWide = all.find((p) => roots.includes(p.metadata?.namespace ?? '') && !p.spec?.selector?.matchLabels);
  const found = specific ?? namespaceWide ?? meshWide;
  return found
    ? { kind: 'PeerAuthentication', namespace: found.metadata?.namespace ?? null, name: found.metadata?.name ?? '' }
    : null;
}

/**
 * Pods without a sidecar whose calls meshed servers refuse: the servers' sidecars log inbound NR
 * (filter_chain_not_found) for connections whose client address is such a pod. Grouped by the client's namespace.
 */
export function refusedPlaintextClients(
  view: ClusterView,
  controlPlane: readonly string[],
): Map<string, RefusedClients> {
  const byNamespace = new Map<string, RefusedClients>();
  const lines = [...view.logsWith(FILTER_CHAIN_NOT_FOUND)].sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  for (const line of lines) {
    const remote = refusedClientAddress(line);
    const ip = remote ? ipOf(remote) : null;
    const client = ip ? podOfIp(view, ip, line.ms) : undefined;
    const namespace = client?.metadata?.namespace;
    if (!client || !namespace || hasSidecar(client) || !line.pod) continue;
    const serverPod = view.get<Pod>('Pod', line.namespace, line.pod);
    const server = view.workloadOfPodName(line.namespace, line.pod);
    const caller = view.workloadOfPod(client);
    let entry = byNamespace.get(namespace);
    if (!entry) {
      entry = {
        namespace,
        clients: [],
        servers: [],
        lines: [],
        strict: strictPolicyFor(view, serverPod, controlPlane),
      };
      byNamespace.set(namespace, entry);
    }
    if (!entry.clients.some((c) => refText(c) === refText(caller))) entry.clients.push(caller);
    if (!entry.servers.some((s) => refText(s) === refText(server))) entry.servers.push(server);
    entry.lines.push(line);
  }
  return byNamespace;
}

/** The sentence that says why a namespace without a label is meant for the mesh, from refused calls. */
export function refusedCallsReason(refused: RefusedClients): string {
  const policy = refused.strict ? ` (${refText(refused.strict)} requires mTLS)` : '';
  return `its pods call meshed services that accept only mTLS and are refused: ${refused.servers
    .slice(0, 3)
    .map(refText)
    .join(', ')} closed ${refused.lines.length} plaintext connection(s) from ${refused.clients
    .slice(0, 3)
    .map(refText)
    .join(', ')} (NR filter_chain_not_found)${policy}`;
}
