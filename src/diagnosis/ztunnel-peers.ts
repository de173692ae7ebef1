import { groupBy } from '../util/group-by';
import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import { refText } from './evidence-items';
import type { Pod } from './kube-types';
import { occurrenceText } from './log-groups';
import { podOfIp } from './services';
import type { ZtunnelAccess } from './ztunnel';
import { ipOfAddr, loggedByZtunnel, nodeOf, parseZtunnelLine, ztunnelAccess } from './ztunnel';

/**
 * The two ends of the connections ztunnel logged: its access records read from log lines (text, JSON in the
 * line, or a Cloud Logging JSON payload), and the pods, workloads and identities their addresses stand for.
 */

/** One access record of ztunnel and the line it came from. */
export interface ZtunnelAccessLine {
  line: LogLine;
  access: ZtunnelAccess;
  /** `src.identity` (a SPIFFE id), or null when the source had none (plaintext). */
  srcIdentity: string | null;
}

/** One end of a connection, as far as the evidence names it. */
export interface Peer {
  /** The workload (Deployment, ...) or pod; null when the address matches nothing captured. */
  workload: ObjectRef | null;
  /** The pod, when it was captured. */
  pod: Pod | null;
  /** The address ztunnel logged (`ip:port`), or null. */
  addr: string | null;
  /** Display text: the workload, else the pod name ztunnel logged, else the address. */
  label: string;
}

function textOf(line: LogLine): string {
  const f = line.fields;
  return f && (typeof f.message === 'string' || typeof f.msg === 'string') ? JSON.stringify(f) : line.text;
}

/**
 * ztunnel's access records among the lines of a signature: lines in ztunnel's access-log form, written by a
 * ztunnel pod (or by an unknown pod), oldest first. Envoy lines never parse as such a record.
 */
export function ztunnelAccessLines(view: ClusterView, signatureId: string): ZtunnelAccessLine[] {
  const out: ZtunnelAccessLine[] = [];
  for (const line of view.logsWith(signatureId)) {
    if (line.pod && !loggedByZtunnel(view, line)) continue;
    const text = textOf(line);
    const access = ztunnelAccess(text);
    if (!access) continue;
    const identity = parseZtunnelLine(text)?.fields['src.identity'];
    out.push({ line, access, srcIdentity: identity ? identity : null });
  }
  return out.sort((a, b) => (a.line.ms ?? 0) - (b.line.ms ?? 0));
}

/** The workload of a workload name ztunnel logged: a captured pod's owner, a Deployment of that name, or the pod. */
function workloadNamed(view: ClusterView, namespace: string, name: string): ObjectRef {
  if (!view.get('Pod', namespace, name) && view.get('Deployment', namespace, name)) {
    return { kind: 'Deployment', namespace, name };
  }
  return view.workloadOfPodName(namespace, name);
}

/** A peer from a workload name and namespace ztunnel logged, else from the pod behind an address. */
function peerOf(
  view: ClusterView,
  name: string | null,
  namespace: string | null,
  addrs: (string | null)[],
  atMs: number | null,
): Peer {
  const addr = addrs.find((a) => a !== null) ?? null;
  if (name && namespace) {
    const workload = workloadNamed(view, namespace, name);
    return { workload, pod: view.get<Pod>('Pod', namespace, name) ?? null, addr, label: refText(workload) };
  }
  for (const a of addrs) {
    const ip = ipOfAddr(a);
    const pod = ip ? podOfIp(view, ip, atMs) : undefined;
    if (pod) {
      const workload = view.workloadOfPod(pod);
      return { workload, pod, addr: a, label: refText(workload) };
    }
  }
  return { workload: null, pod: null, addr, label: name ?? addr ?? 'an unknown address' };
}

/** The source of a connection: `src.workload`/`src.namespace`, else the pod at `src.addr`. */
export function sourceOf(view: ClusterView, a: ZtunnelAccessLine): Peer {
  return peerOf(view, a.access.srcWorkload, a.access.srcNamespace, [a.access.srcAddr], a.line.ms);
}

/** The destination pod's end: `dst.workload`/`dst.namespace`, else the pod at the HBONE or the plain address. */
export function destinationOf(view: ClusterView, a: ZtunnelAccessLine): Peer {
  return peerOf(view, a.access.dstWorkload, a.access.dstNamespace, [a.access.hboneAddr, a.access.dstAddr], a.line.ms);
}

/** `ns/NS/sa/SA` of a SPIFFE id (`spiffe://TRUST-DOMAIN/ns/NS/sa/SA`), or null. */
export function identityOf(spiffe: string | null): { namespace: string; serviceAccount: string } | null {
  const m = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(spiffe ?? '');
  return m?.[1] && m[2] ? { namespace: m[1], serviceAccount: m[2] } : null;
}

/**
 * "Deployment shop/checkout (identity ns/shop/sa/checkout) 12 times, ..." for the sources of some records,
 * most frequent first; a source without identity is said to have none.
 */
export function sourcesText(view: ClusterView, lines: ZtunnelAccessLine[], withIdentity: boolean): string {
  const groups = groupBy(lines, (a) => `${sourceOf(view, a).label}|${a.srcIdentity ?? ''}`);
  return [...groups.values()]
    .sort((x, y) => y.length - x.length)
    .map((group) => {
      const head = group[0]!;
      const peer = sourceOf(view, head);
      const id = identityOf(head.srcIdentity);
      const identity = !withIdentity
        ? ''
        : id
          ? ` (identity ns/${id.namespace}/sa/${id.serviceAccount})`
          : head.srcIdentity
            ? ` (identity ${head.srcIdentity})`
            : ' (no mesh identity)';
      const from = peer.workload ? '' : peer.addr && peer.addr !== peer.label ? ` at ${peer.addr}` : '';
      return `${peer.label}${from}${identity} ${group.length} time(s)`;
    })
    .join(', ');
}

/** The ztunnel pods that logged some records, with their nodes when known. */
export function loggedByText(view: ClusterView, lines: ZtunnelAccessLine[]): string {
  const pods = [...new Set(lines.map((a) => `${a.line.namespace ?? '?'}/${a.line.pod ?? '?'}`))];
  return pods
    .map((p) => {
      const [ns, name] = p.split('/');
      const node = nodeOf(view.get<Pod>('Pod', ns ?? null, name ?? ''));
      return node ? `${p} (node ${node})` : p;
    })
    .join(', ');
}

/** "seen 14 time(s) from ... to ..." for some records. */
export function recordsSeen(lines: ZtunnelAccessLine[], nowMs: number | null): string {
  return occurrenceText(
    lines.map((a) => a.line),
    nowMs,
  );
}
