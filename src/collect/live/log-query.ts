import { toIso } from '../../util/time';
import type { MatchSignature } from '../log-matcher';
import { ERROR_KEYS } from '../normalize';
import type { StartWindowGroup } from './log-window';
import { NODE_AGENT_CONTAINERS, NODE_AGENT_POD_PATTERN } from './node-agents';

/** Cloud Logging rejects filters longer than this. */
export const MAX_FILTER_LENGTH = 20_000;

/** Payload fields a container log line can arrive in; see payloadText in normalize.ts. */
const LINE_FIELDS = ['textPayload', ...['message', 'log', 'msg'].map((k) => `jsonPayload.${k}`)];
/** The line fields and those a structured line's error can arrive in. */
const TEXT_FIELDS = [...LINE_FIELDS, ...ERROR_KEYS.map((k) => `jsonPayload.${k}`)];

/** Most filters (calls, when each fits in a page) one diagnosis makes when start windows need their own. */
export const MAX_FILTERS = 3;

/** What one diagnosis asks Cloud Logging for. */
export interface LogQuery {
  /** Namespaces to read, or null for all. */
  namespaces: string[] | null;
  sinceIso: string;
  untilIso?: string;
  /** Pods' first minutes after a start, read besides `sinceIso` onwards (see log-window.ts); most wanted first. */
  startWindows?: readonly StartWindowGroup[];
  /**
   * Node agents (ztunnel, istio-cni) read besides `namespaces`, by namespace: those of the nodes a
   * namespace's pods run on (node-agents.ts). Agents in `namespaces` are read with them.
   */
  agents?: readonly NodeAgentPods[];
}

/** The ztunnel and istio-cni pods of one namespace a query reads. */
export interface NodeAgentPods {
  namespace: string;
  pods: readonly string[];
}

/** Above this many characters, node-agent pods are named by their name's prefix instead of one by one. */
const MAX_AGENT_CLAUSE = 2000;

/** The filters of one diagnosis and how many pod start windows they read. */
export interface LogFilters {
  filters: string[];
  /** Pod start windows in the filters (a group of n pods counts n). */
  startWindowsRead: number;
  /** Pod start windows left out: over the cap, or no room left under the length limit. */
  startWindowsLeftOut: number;
}

/** A double-quoted filter string with `"` and `\` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function anyOf(parts: string[]): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/** One group of start windows: its pods of one namespace between two times. */
function windowClause(group: StartWindowGroup): string {
  const pods = group.pods.length === 1 ? quote(group.pods[0] as string) : `(${group.pods.map(quote).join(' OR ')})`;
  return `(resource.labels.namespace_name=${quote(group.namespace)} AND resource.labels.pod_name=${pods} AND timestamp>=${quote(toIso(group.fromMs))} AND timestamp<${quote(toIso(group.toMs))})`;
}

/** The time part of a filter: since the recent window's start, or in one of the start windows. */
function timeClause(query: LogQuery, windows: readonly StartWindowGroup[]): string {
  const recent = `timestamp>=${quote(query.sinceIso)}`;
  const since = windows.length > 0 ? `(${[recent, ...windows.map(windowClause)].join(' OR ')})` : recent;
  return untilClause(query, since);
}

function untilClause(query: LogQuery, time: string): string {
  return [time, ...(query.untilIso ? [`timestamp<=${quote(query.untilIso)}`] : [])].join(' AND ');
}

/**
 * Takes start windows, first groups first, while their clauses (each after " OR ") fit in `room`
 * characters and at most `max` pods are taken; a group that does not fit whole gives as many of its pods
 * as fit. Returns the groups taken and those (or the part of them) left.
 */
function fitWindows(
  groups: readonly StartWindowGroup[],
  room: number,
  max: number,
): { taken: StartWindowGroup[]; left: StartWindowGroup[]; count: number } {
  const taken: StartWindowGroup[] = [];
  const left: StartWindowGroup[] = [];
  let used = 0;
  let count = 0;
  for (const group of groups) {
    let pods = group.pods.slice(0, Math.max(0, max - count));
    const cost = (p: string[]) => ' OR '.length + windowClause({ ...group, pods: p }).length;
    while (pods.length > 0 && used + cost(pods) > room) pods = pods.slice(0, -1);
    if (pods.length > 0) {
      taken.push({ ...group, pods });
      used += cost(pods);
      count += pods.length;
    }
    if (pods.length < group.pods.length) left.push({ ...group, pods: group.pods.slice(pods.length) });
  }
  return { taken, left, count };
}

const longest = (filters: string[]) => Math.max(...filters.map((f) => f.length));

/**
 * Builds the filters for one diagnosis: container lines that match any catalog signature (or are Envoy
 * JSON access logs with a 503), Kubernetes events, and Cloud Service Mesh traffic logs with a 503 — in as
 * few filters as the length limit allows, so that one paged query serves every detector.
 *
 * Start windows (at most `maxStartWindows` pods, the first groups first) go into the same filters as far
 * as the room the signatures leave allows. Those left over get filters of their own — signature matches
 * on the line fields and events, only in those pods and times — when the whole stays within MAX_FILTERS;
 * what still does not fit is counted as left out.
 */
export function buildLogQuery(
  signatures: readonly MatchSignature[],
  query: LogQuery,
  maxStartWindows = Number.POSITIVE_INFINITY,
): LogFilters {
  const plain = batchFilters(signatures, query, timeClause(query, []), MAIN);
  const groups = query.startWindows ?? [];
  const wanted = groups.reduce((n, g) => n + g.pods.length, 0);
  if (wanted === 0) return { filters: plain, startWindowsRead: 0, startWindowsLeftOut: 0 };
  // The recent window is wrapped in parentheses with each group after " OR ".
  const inMain = fitWindows(groups, MAX_FILTER_LENGTH - longest(plain) - 2, maxStartWindows);
  const filters = inMain.count > 0 ? batchFilters(signatures, query, timeClause(query, inMain.taken), MAIN) : plain;
  let read = inMain.count;
  if (inMain.left.length > 0 && filters.length < MAX_FILTERS) {
    const scope = { ...query, namespaces: null };
    const room = MAX_FILTER_LENGTH - longest(batchFilters(signatures, scope, untilClause(query, '()'), STARTS));
    const own = fitWindows(inMain.left, room + ' OR '.length, maxStartWindows - read);
    const time = untilClause(query, `(${own.taken.map(windowClause).join(' OR ')})`);
    const extra = own.count > 0 ? batchFilters(signatures, scope, time, STARTS) : [];
    if (extra.length > 0 && filters.length + extra.length <= MAX_FILTERS) {
      filters.push(...extra);
      read += own.count;
    }
  }
  return { filters, startWindowsRead: read, startWindowsLeftOut: wanted - read };
}

/** The filters of buildLogQuery. */
export function buildLogFilters(signatures: readonly MatchSignature[], query: LogQuery): string[] {
  return buildLogQuery(signatures, query).filters;
}

/** What a filter matches besides its time: the main query's branches, or a start window query's. */
interface Branches {
  fields: readonly string[];
  /** Envoy JSON access logs with a 503 or a response flag, and Cloud Service Mesh traffic logs. */
  traffic: boolean;
}

/**
 * Access-log entries carrying an Envoy response flag (NR, NC, UH, UF, UAEX, ...; "-" means none): the 404s,
 * 403s and refused connections that configuration mistakes cause, besides the 503s.
 */
const FLAGGED = (field: string) => `(${field}:* AND NOT ${field}="-")`;

const MAIN: Branches = { fields: TEXT_FIELDS, traffic: true };
const STARTS: Branches = { fields: LINE_FIELDS, traffic: false };

/**
 * The node agents of other namespaces than the query's: their containers (ztunnel's istio-proxy, the
 * istio-cni agent's install-cni) in the pods named, or, when the names would take too much room, every pod
 * named like a node agent there (the reader keeps only those of the nodes in scope).
 */
function agentClauses(query: Pick<LogQuery, 'namespaces' | 'agents'>): string[] {
  const outside = (query.agents ?? []).filter((a) => a.pods.length > 0 && !query.namespaces?.includes(a.namespace));
  const containers = `resource.labels.container_name=(${NODE_AGENT_CONTAINERS.map(quote).join(' OR ')})`;
  const clause = (a: NodeAgentPods, pods: string) =>
    `(resource.labels.namespace_name=${quote(a.namespace)} AND ${containers} AND ${pods})`;
  const named = outside.map((a) => clause(a, `resource.labels.pod_name=${anyOf(a.pods.map(quote))}`));
  if (named.join(' OR ').length <= MAX_AGENT_CLAUSE) return named;
  return outside.map((a) => clause(a, `resource.labels.pod_name=~${quote(NODE_AGENT_POD_PATTERN)}`));
}

function batchFilters(
  signatures: readonly MatchSignature[],
  query: Pick<LogQuery, 'namespaces' | 'agents'>,
  time: string,
  what: Branches,
): string[] {
  const inNamespaces = (field: string) =>
    query.namespaces ? [anyOf(query.namespaces.map((ns) => `${field}=${quote(ns)}`))] : [];
  const agents = query.namespaces ? agentClauses(query) : [];
  const containerScope = inNamespaces('resource.labels.namespace_name').map((ns) => anyOf([ns, ...agents]));
  const events = ['log_id("events")', ...inNamespaces('jsonPayload.involvedObject.namespace')].join(' AND ');
  const traffic = [
    '(log_id("server-accesslog-stackdriver") OR log_id("client-accesslog-stackdriver"))',
    `(httpRequest.status=503 OR ${FLAGGED('labels.response_flag')})`,
    ...inNamespaces('resource.labels.namespace_name'),
  ].join(' AND ');
  const build = (patterns: string[], withExtras: boolean): string => {
    const regex = quote(patterns.map((p) => `(${p})`).join('|'));
    const matches = [
      ...what.fields.map((f) => `${f}=~${regex}`),
      ...(withExtras && what.traffic
        ? ['jsonPayload.response_code=503', 'jsonPayload.response_code="503"', FLAGGED('jsonPayload.response_flags')]
        : []),
    ];
    const containers = ['resource.type="k8s_container"', ...containerScope, anyOf(matches)].join(' AND ');
    const extras = withExtras ? [`(${events})`, ...(what.traffic ? [`(${traffic})`] : [])] : [];
    const branches = [`(${containers})`, ...extras];
    return [time, anyOf(branches)].join(' AND ');
  };
  const filters: string[] = [];
  let batch: string[] = [];
  for (const signature of signatures) {
    const candidate = [...batch, signature.pattern];
    if (batch.length > 0 && build(candidate, filters.length === 0).length > MAX_FILTER_LENGTH) {
      filters.push(build(batch, filters.length === 0));
      batch = [signature.pattern];
    } else batch = candidate;
  }
  if (batch.length > 0 || filters.length === 0)
    filters.push(build(batch.length ? batch : ['a^'], filters.length === 0));
  return filters;
}
