import type { LogLine } from './evidence';

/** Clusters Istio programs that stand for no service: blocked, passed through, or the inbound passthrough. */
export const SPECIAL_CLUSTERS = [
  'BlackHoleCluster',
  'PassthroughCluster',
  'InboundPassthroughCluster',
  'InboundPassthroughClusterIpv4',
  'InboundPassthroughClusterIpv6',
] as const;

/** An Istio cluster name split into its parts: `outbound|9080|v2|reviews.default.svc.cluster.local`. */
export interface ClusterName {
  name: string;
  /**
   * `outbound` or `inbound` for a service cluster, `inbound-vip` for a waypoint's cluster of a service it
   * serves (`inbound-vip|80|http|reviews.shop.svc.cluster.local`); null for the special clusters and others.
   */
  direction: 'outbound' | 'inbound' | 'inbound-vip' | null;
  port: number | null;
  /** The DestinationRule subset; null when the cluster is the whole service. */
  subset: string | null;
  /** The service host (FQDN as the proxy knows it); null for inbound clusters of Istio 1.10+ and special ones. */
  host: string | null;
  /** `BlackHoleCluster`, `PassthroughCluster`, ... when the cluster is one of those. */
  special: (typeof SPECIAL_CLUSTERS)[number] | null;
}

const DIRECTIONS = ['outbound', 'inbound', 'inbound-vip'] as const;

/** Splits an Istio cluster name; null for an empty value. */
export function parseClusterName(value: string | null): ClusterName | null {
  if (!value) return null;
  const special = SPECIAL_CLUSTERS.find((c) => c === value) ?? null;
  const parts = value.split('|');
  const direction = DIRECTIONS.find((d) => d === parts[0]) ?? null;
  if (!direction || parts.length < 4)
    return { name: value, direction: null, port: null, subset: null, host: null, special };
  const port = Number(parts[1]);
  // A waypoint's third part is the protocol, then `/subset` when the cluster is one subset: `http/v2`.
  const subset = direction === 'inbound-vip' ? (parts[2] ?? '').split('/')[1] : parts[2];
  return {
    name: value,
    direction,
    port: Number.isInteger(port) && port > 0 ? port : null,
    subset: subset || null,
    host: parts[3] || null,
    special: null,
  };
}

/** The fields of one Envoy access-log record that diagnosis needs. */
export interface AccessRecord {
  code: number | null;
  /**
   * Envoy's response flags; `RBAC` is added when the details say an Istio AuthorizationPolicy denied the
   * request (`rbac_access_denied_matched_policy[...]`), which Envoy logs with no flag.
   */
  flags: string[];
  details: string | null;
  upstreamCluster: string | null;
  /** The upstream cluster split into direction, port, subset and host. */
  cluster: ClusterName | null;
  method: string | null;
  path: string | null;
  /** The route that matched (`%ROUTE_NAME%`: Istio's `default`, or a VirtualService http route's name). */
  routeName: string | null;
  /** `[%START_TIME%]` of a text line, or `start_time` of a JSON one. */
  startTime: string | null;
  authority: string | null;
  /** The upstream pod's `ip:port`; for a request tunnelled over HBONE, the address inside the tunnel. */
  upstreamHost: string | null;
  /**
   * True when the upstream host was `envoy://connect_originate/IP:PORT`: a gateway or waypoint sent the
   * request through an HBONE tunnel (ambient mode) to the pod at IP:PORT, by way of its node's ztunnel.
   */
  hbone: boolean;
  /** The address the connection was accepted on (for an inbound record, the server pod's IP:port). */
  downstreamLocal: string | null;
  /** The address the connection came from (for an inbound record, the client). */
  downstreamRemote: string | null;
  /** The destination workload, when the log names it (Cloud Service Mesh traffic logs). */
  destination: { workload: string; namespace: string } | null;
}

/** The quotes an access-log line may carry: straight, or curly where a copy-paste or a viewer turned them. */
export const ACCESS_LOG_QUOTES = '"\u201c\u201d';
const Q = `[${ACCESS_LOG_QUOTES}]`;
/** `"METHOD PATH PROTOCOL" CODE FLAGS [DETAILS]`, tolerant of the pre-1.9 format (no details field). */
const REQUEST = new RegExp(`${Q}([A-Z]+|-) (\\S+) ([^${ACCESS_LOG_QUOTES}]+)${Q} (\\d{1,3}) (\\S+)(?: (\\S+))?`);
const QUOTED = new RegExp(`${Q}([^${ACCESS_LOG_QUOTES}]*)${Q}`, 'g');
const OPENS_QUOTED = new RegExp(`^${Q}`);
const START = /^\[([0-9T:.Z+-]+)\] /;
const CLUSTER = /\b((?:outbound|inbound(?:-vip)?)\|[^\s"]*)/;
/** The upstream host Envoy logs for a request it tunnels over HBONE: `envoy://connect_originate/IP:PORT`. */
const HBONE_UPSTREAM = /^envoy:\/\/connect_originate\/(.+)$/;

/** The address inside an HBONE upstream host (`envoy://connect_originate/10.8.2.14:80` → `10.8.2.14:80`), else null. */
export function hboneTarget(value: string): string | null {
  return HBONE_UPSTREAM.exec(value)?.[1] ?? null;
}

/** The upstream host and whether it was reached through an HBONE tunnel. */
function upstreamFields(value: string | null): Pick<AccessRecord, 'upstreamHost' | 'hbone'> {
  const inner = value ? hboneTarget(value) : null;
  return inner ? { upstreamHost: inner, hbone: true } : { upstreamHost: value, hbone: false };
}

function field(fields: Record<string, unknown>, key: string): string | null {
  const v = fields[key];
  if (v === undefined || v === null) return null;
  const s = String(v);
  return s === '-' || s === '' ? null : s;
}

function flagsOf(value: string | null, details: string | null): string[] {
  const flags = value ? value.split(',').filter((f) => f !== '-' && f !== '') : [];
  return details?.startsWith('rbac_access_denied') && !flags.includes('RBAC') ? [...flags, 'RBAC'] : flags;
}

function destinationOf(fields: Record<string, unknown>): AccessRecord['destination'] {
  const workload = field(fields, 'destination_workload');
  const namespace = field(fields, 'destination_namespace');
  return workload && namespace && workload !== 'unknown' ? { workload, namespace } : null;
}

/** Parses an access-log line in Istio's TEXT format (old or new) or JSON encoding; null if it is not one. */
export function parseAccessLog(line: LogLine): AccessRecord | null {
  const fields = line.fields;
  if (fields && ('response_code' in fields || 'responseCode' in fields)) {
    const code = Number(fields.response_code ?? fields.responseCode);
    const details = field(fields, 'response_code_details');
    const upstreamCluster = field(fields, 'upstream_cluster');
    return {
      code: Number.isFinite(code) ? code : null,
      flags: flagsOf(field(fields, 'response_flags'), details),
      details,
      upstreamCluster,
      cluster: parseClusterName(upstreamCluster),
      method: field(fields, 'method'),
      path: field(fields, 'path'),
      routeName: field(fields, 'route_name'),
      startTime: field(fields, 'start_time'),
      authority: field(fields, 'authority'),
      ...upstreamFields(field(fields, 'upstream_host')),
      downstreamLocal: field(fields, 'downstream_local_address') ?? field(fields, 'downstream_local'),
      downstreamRemote: field(fields, 'downstream_remote_address') ?? field(fields, 'downstream_remote'),
      destination: destinationOf(fields),
    };
  }
  const m = REQUEST.exec(line.text);
  if (!m) return null;
  const rest = line.text.slice(m.index + m[0].length);
  // Formats before 1.9 have no details field: the token after the flags is a quoted field or a byte count.
  const detailsToken = m[6] && !OPENS_QUOTED.test(m[6]) && m[6] !== '-' && !/^[0-9]+$/.test(m[6]) ? m[6] : null;
  const matches = [...rest.matchAll(QUOTED)];
  const quoted = matches.map((q) => q[1] ?? '');
  const host = (v: string | undefined): string | null => (v && v !== '-' ? v : null);
  const last = matches[matches.length - 1];
  // After the last quoted field: UPSTREAM_CLUSTER UPSTREAM_LOCAL DOWNSTREAM_LOCAL DOWNSTREAM_REMOTE [SNI [ROUTE]]
  // (Istio 1.1 and later); Envoy's own default format (Istio 1.0) ends at the quoted upstream host.
  const tail = last
    ? rest
        .slice((last.index ?? 0) + last[0].length)
        .trim()
        .split(/\s+/)
    : [];
  const addresses = tail.length >= 4 ? tail : [];
  const upstreamCluster = host(addresses[0]) ?? CLUSTER.exec(rest)?.[1] ?? null;
  return {
    code: Number(m[4]),
    flags: flagsOf(m[5] ?? null, detailsToken),
    details: detailsToken,
    upstreamCluster,
    cluster: parseClusterName(upstreamCluster),
    method: host(m[1]),
    path: host(m[2]),
    routeName: host(addresses[5]),
    startTime: START.exec(line.text)?.[1] ?? null,
    authority: host(quoted[quoted.length - 2]),
    ...upstreamFields(host(quoted[quoted.length - 1])),
    downstreamLocal: host(addresses[2]),
    downstreamRemote: host(addresses[3]),
    destination: null,
  };
}
