import type { ClusterView } from './cluster-view';
import type { LogLine } from './evidence';
import type { KubeObject, Pod } from './kube-types';

/**
 * ztunnel and istio-cni, ambient mode's node proxy and node agent: which pods they are, and ztunnel's log
 * lines split into their fields. ztunnel logs `TIME<TAB>LEVEL<TAB>TARGET<TAB>MESSAGE<TAB>key=value ...`
 * (values with spaces quoted), or one JSON object per line with the same keys when LOG_FORMAT=json.
 */

/** The fields of one ztunnel log line that diagnosis reads. */
export interface ZtunnelRecord {
  /** `info`, `warn`, `error`, ... (lower case). */
  level: string | null;
  /** The log target: `access` for the access log, `xds::client`, `proxy::...`, ... */
  target: string | null;
  /** The message: `connection complete`, `connection failed`, `XDS client connection error: ...`. */
  message: string;
  /** Every key=value field, unquoted. */
  fields: Record<string, string>;
}

/** An access-log record of ztunnel: a connection it completed or refused. */
export interface ZtunnelAccess {
  level: string | null;
  /** `outbound` (logged by the source's ztunnel) or `inbound` (by the destination's). */
  direction: string | null;
  /** `ip:port` of the source and of the destination (15008 when HBONE), and the HBONE inner address. */
  srcAddr: string | null;
  dstAddr: string | null;
  hboneAddr: string | null;
  srcWorkload: string | null;
  srcNamespace: string | null;
  dstWorkload: string | null;
  dstNamespace: string | null;
  dstService: string | null;
  /** The `error="..."` text; null for a connection that completed cleanly. */
  error: string | null;
  bytesSent: number | null;
  bytesRecv: number | null;
}

const FIELD = /([A-Za-z_][\w.]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error']);

function fieldsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(FIELD)) {
    const key = m[1] ?? '';
    out[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return out;
}

function parseJson(text: string): ZtunnelRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  const message = typeof o.message === 'string' ? o.message : typeof o.msg === 'string' ? o.msg : null;
  if (message === null) return null;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = String(v);
  }
  const level = typeof o.level === 'string' ? o.level.toLowerCase() : null;
  const target = typeof o.scope === 'string' ? o.scope : typeof o.target === 'string' ? o.target : null;
  return { level, target, message, fields };
}

/**
 * Splits a ztunnel log line (text or JSON); null when it is neither. The text form is tolerant of spaces
 * instead of tabs (copied from a terminal) and of a missing timestamp.
 */
export function parseZtunnelLine(text: string): ZtunnelRecord | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  const parts = trimmed.split(/\t+|\s{2,}|\s(?=(?:trace|debug|info|warn|error)\s)/i);
  let i = 0;
  if (/^\d{4}-\d\d-\d\dT/.test(parts[i] ?? '')) i++;
  const levelWord = (parts[i] ?? '').trim().toLowerCase();
  if (!LEVELS.has(levelWord)) return null;
  i++;
  const rest = parts.slice(i).join('\t');
  const tab = /^(\S+)\s+(.*)$/s.exec(rest);
  if (!tab) return null;
  const target = tab[1] ?? null;
  const after = tab[2] ?? '';
  const firstField = after.search(/\s[A-Za-z_][\w.]*=/);
  const message = (firstField < 0 ? after : after.slice(0, firstField)).trim();
  return { level: levelWord, target, message, fields: fieldsOf(firstField < 0 ? '' : after.slice(firstField)) };
}

function numberOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The access-log record of a ztunnel line (`connection complete` / `connection failed`), or null. */
export function ztunnelAccess(text: string): ZtunnelAccess | null {
  const record = parseZtunnelLine(text);
  if (!record || record.target !== 'access' || !/^connection (complete|failed)/.test(record.message)) return null;
  const f = record.fields;
  const get = (key: string) => (f[key] === undefined || f[key] === '' ? null : f[key]);
  return {
    level: record.level,
    direction: get('direction'),
    srcAddr: get('src.addr'),
    dstAddr: get('dst.addr'),
    hboneAddr: get('dst.hbone_addr'),
    srcWorkload: get('src.workload'),
    srcNamespace: get('src.namespace'),
    dstWorkload: get('dst.workload'),
    dstNamespace: get('dst.namespace'),
    dstService: get('dst.service'),
    error: get('error'),
    bytesSent: numberOf(f.bytes_sent),
    bytesRecv: numberOf(f.bytes_recv),
  };
}

/** The IP of an `ip:port` (IPv6 in brackets or bare), or null. */
export function ipOfAddr(addr: string | null): string | null {
  if (!addr) return null;
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(addr);
  if (bracketed) return bracketed[1] ?? null;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(addr);
  return v4 ? (v4[1] ?? null) : null;
}

/** The port of an `ip:port`, or null. */
export function portOfAddr(addr: string | null): number | null {
  const m = /:(\d+)$/.exec(addr ?? '');
  return m ? Number(m[1]) : null;
}

function ownedByDaemonSet(pod: Pod, name: RegExp): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && name.test(o.name ?? ''));
}

/** ztunnel pods: owned by a DaemonSet named ztunnel (any namespace), or labelled app=ztunnel. */
export function isZtunnelPod(pod: Pod): boolean {
  return ownedByDaemonSet(pod, /^ztunnel$/) || pod.metadata?.labels?.app === 'ztunnel';
}

/** istio-cni node agent pods: owned by the istio-cni-node DaemonSet, or labelled k8s-app=istio-cni-node. */
export function isIstioCniPod(pod: Pod): boolean {
  return ownedByDaemonSet(pod, /^istio-cni-node$/) || pod.metadata?.labels?.['k8s-app'] === 'istio-cni-node';
}

/** The ztunnel pods in the evidence. */
export function ztunnelPods(view: ClusterView): Pod[] {
  return view.pods().filter(isZtunnelPod);
}

/** The istio-cni node agent pods in the evidence. */
export function istioCniPods(view: ClusterView): Pod[] {
  return view.pods().filter(isIstioCniPod);
}

/** The node a pod runs on, or null. */
export function nodeOf(pod: Pod | undefined): string | null {
  return (pod?.spec as { nodeName?: string } | undefined)?.nodeName ?? null;
}

/** The pod that logged a line, when it is a ztunnel pod (by the pod object, else by the pod name). */
export function loggedByZtunnel(view: ClusterView, line: LogLine): boolean {
  const pod = view.get<Pod>('Pod', line.namespace, line.pod ?? '');
  return pod ? isZtunnelPod(pod) : /^ztunnel-[a-z0-9]{5}$/.test(line.pod ?? '');
}

/** The pod that logged a line, when it is an istio-cni node agent (by the pod object, else by its name). */
export function loggedByIstioCni(view: ClusterView, line: LogLine): boolean {
  const pod = view.get<Pod>('Pod', line.namespace, line.pod ?? '');
  return pod ? isIstioCniPod(pod) : /^istio-cni-node-[a-z0-9]{5}$/.test(line.pod ?? '');
}

/** Whether a Kubernetes object is a Gateway API Gateway of class istio-waypoint. */
export function isWaypointGateway(o: KubeObject): boolean {
  return (o.spec as { gatewayClassName?: string } | undefined)?.gatewayClassName === 'istio-waypoint';
}

/** The label Istio puts on the pods it deploys for a Gateway API Gateway (a waypoint or a gateway), naming it. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The label naming that Gateway's class on the same pods. */
const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';

/**
 * Waypoint pods (or pod templates): deployed for a Gateway of class istio-waypoint (their gateway-class-name
 * label says so, or their gateway-name label names such a Gateway), or running `pilot-agent proxy waypoint`.
 * Their istio-proxy container is the waypoint itself, not a sidecar.
 */
export function isWaypointPod(view: ClusterView, pod: Pick<Pod, 'metadata' | 'spec'> | undefined): boolean {
  const labels = pod?.metadata?.labels ?? {};
  if (labels[GATEWAY_CLASS_LABEL] === 'istio-waypoint') return true;
  const gateway = labels[GATEWAY_NAME_LABEL];
  const named = gateway
    ? view.get(`Gateway.gateway.networking.k8s.io`, pod?.metadata?.namespace ?? null, gateway)
    : undefined;
  if (named && isWaypointGateway(named)) return true;
  return (pod?.spec?.containers ?? []).some((c) => c.name === 'istio-proxy' && c.args?.[1] === 'waypoint');
}

/** ztunnel, istio-cni node agent and waypoint pods: the ambient data plane's own proxies and agents, not workloads. */
export function isAmbientInfrastructurePod(view: ClusterView, pod: Pod): boolean {
  return isZtunnelPod(pod) || isIstioCniPod(pod) || isWaypointPod(view, pod);
}
