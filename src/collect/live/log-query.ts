import type { MatchSignature } from '../log-matcher';
import { ERROR_KEYS } from '../normalize';

/** Cloud Logging rejects filters longer than this. */
export const MAX_FILTER_LENGTH = 20_000;

/** Payload fields a container log line (or its error) can arrive in; see payloadText in normalize.ts. */
const TEXT_FIELDS = ['textPayload', ...['message', 'log', 'msg', ...ERROR_KEYS].map((k) => `jsonPayload.${k}`)];

/** What one diagnosis asks Cloud Logging for. */
export interface LogQuery {
  /** Namespaces to read, or null for all. */
  namespaces: string[] | null;
  sinceIso: string;
  untilIso?: string;
}

/** A double-quoted filter string with `"` and `\` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function anyOf(parts: string[]): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/**
 * Builds the filters for one diagnosis: container lines that match any catalog signature (or are Envoy
 * JSON access logs with a 503), Kubernetes events, and Cloud Service Mesh traffic logs with a 503 — in as
 * few filters as the length limit allows (one, for the catalog as it is), so that one paged query serves
 * every detector.
 */
export function buildLogFilters(signatures: readonly MatchSignature[], query: LogQuery): string[] {
  const time = [
    `timestamp>=${quote(query.sinceIso)}`,
    ...(query.untilIso ? [`timestamp<=${quote(query.untilIso)}`] : []),
  ];
  const inNamespaces = (field: string) =>
    query.namespaces ? [anyOf(query.namespaces.map((ns) => `${field}=${quote(ns)}`))] : [];
  const events = ['log_id("events")', ...inNamespaces('jsonPayload.involvedObject.namespace')].join(' AND ');
  const traffic = [
    '(log_id("server-accesslog-stackdriver") OR log_id("client-accesslog-stackdriver"))',
    'httpRequest.status=503',
    ...inNamespaces('resource.labels.namespace_name'),
  ].join(' AND ');
  const build = (patterns: string[], withExtras: boolean): string => {
    const regex = quote(patterns.map((p) => `(${p})`).join('|'));
    const matches = [
      ...TEXT_FIELDS.map((f) => `${f}=~${regex}`),
      ...(withExtras ? ['jsonPayload.response_code=503', 'jsonPayload.response_code="503"'] : []),
    ];
    const containers = [
      'resource.type="k8s_container"',
      ...inNamespaces('resource.labels.namespace_name'),
      anyOf(matches),
    ].join(' AND ');
    const branches = withExtras ? [`(${containers})`, `(${events})`, `(${traffic})`] : [`(${containers})`];
    return [...time, anyOf(branches)].join(' AND ');
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
