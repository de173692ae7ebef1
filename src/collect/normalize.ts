import { X509Certificate } from 'node:crypto';
import type { MeshEvent } from '../diagnosis/evidence';
import type { KubeObject, ObjectMeta } from '../diagnosis/kube-types';
import { toMs } from '../util/time';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** True for a core/v1 or events.k8s.io/v1 Event object. */
export function isEvent(value: KubeObject): boolean {
  return value.kind === 'Event' && (value.apiVersion === 'v1' || String(value.apiVersion).startsWith('events.k8s.io/'));
}

/** Normalizes a core/v1 or events.k8s.io/v1 Event. */
export function normalizeEvent(raw: Json): MeshEvent {
  const meta = obj(raw.metadata) ?? {};
  const series = obj(raw.series);
  const involved = obj(raw.involvedObject) ?? obj(raw.regarding) ?? {};
  const time =
    str(series?.lastObservedTime) ??
    str(raw.lastTimestamp) ??
    str(raw.deprecatedLastTimestamp) ??
    str(raw.eventTime) ??
    str(raw.firstTimestamp) ??
    str(raw.deprecatedFirstTimestamp) ??
    str(meta.creationTimestamp);
  const firstTime =
    str(raw.firstTimestamp) ??
    str(raw.deprecatedFirstTimestamp) ??
    str(raw.eventTime) ??
    str(meta.creationTimestamp) ??
    time;
  const count = Number(series?.count ?? raw.count ?? raw.deprecatedCount ?? 1);
  return {
    time,
    firstTime,
    ms: toMs(time),
    type: str(raw.type) ?? 'Normal',
    reason: str(raw.reason) ?? '',
    message: str(raw.message) ?? str(raw.note) ?? '',
    count: Number.isFinite(count) && count > 0 ? count : 1,
    object: {
      kind: str(involved.kind) ?? '',
      namespace: str(involved.namespace) ?? str(meta.namespace),
      name: str(involved.name) ?? '',
      fieldPath: str(involved.fieldPath),
    },
  };
}

/** A Cloud Logging LogEntry reduced to what the evidence model keeps. */
export interface EntryLine {
  time: string | null;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  severity: string | null;
  text: string;
  fields: Json | null;
}

/** True when a JSON value looks like a Cloud Logging LogEntry. */
export function isLogEntry(value: Json): boolean {
  return (
    'textPayload' in value ||
    'jsonPayload' in value ||
    'protoPayload' in value ||
    'httpRequest' in value ||
    (typeof value.logName === 'string' && ('timestamp' in value || 'resource' in value))
  );
}

/** A Kubernetes event exported to Cloud Logging (`logs/events`), if this entry is one. */
export function entryEvent(entry: Json): MeshEvent | null {
  const payload = obj(entry.jsonPayload);
  const logName = str(entry.logName) ?? '';
  if (!payload || !(logName.endsWith('/logs/events') || logName.endsWith('%2Fevents'))) return null;
  if (!obj(payload.involvedObject) && !obj(payload.regarding)) return null;
  const event = normalizeEvent(payload);
  if (event.time === null) {
    const time = str(entry.timestamp);
    return { ...event, time, firstTime: event.firstTime ?? time, ms: toMs(time) };
  }
  return event;
}

const MESSAGE_KEYS = ['message', 'log', 'msg', 'textPayload'] as const;

/** Fields of structured application logs that carry the error itself rather than a summary. */
export const ERROR_KEYS = ['error', 'err', 'exception'] as const;

/**
 * The text of a structured (JSON) payload: its message, followed by its error field when there is one
 * (`{"msg":"sync failed","error":"dial tcp ...: connection refused"}`); a payload without a message
 * (an Envoy JSON access log) is shown whole.
 */
function payloadText(payload: Json): string {
  const key = MESSAGE_KEYS.find((k) => typeof payload[k] === 'string');
  if (!key) return JSON.stringify(payload);
  const errors = ERROR_KEYS.filter((k) => typeof payload[k] === 'string' && payload[k] !== payload[key]).map(
    (k) => `${k}=${String(payload[k])}`,
  );
  return [String(payload[key]), ...errors].join(' ');
}

/**
 * Cloud Service Mesh traffic logs (`server-accesslog-stackdriver`, `client-accesslog-stackdriver`) carry
 * the request in `httpRequest` and Envoy's fields in `labels`; they become an access-log record.
 */
function trafficLogFields(entry: Json): Json | null {
  const request = obj(entry.httpRequest);
  if (!request) return null;
  const labels = obj(entry.labels) ?? {};
  return {
    response_code: request.status,
    response_flags: labels.response_flag ?? labels.response_flags ?? '-',
    response_code_details: labels.response_details ?? null,
    upstream_cluster: labels.upstream_cluster ?? null,
    route_name: labels.route_name ?? null,
    upstream_host: labels.upstream_host ?? null,
    authority: labels.destination_service_host ?? labels.destination_service_name ?? null,
    method: request.requestMethod ?? '-',
    path: request.requestUrl ?? '-',
    protocol: request.protocol ?? 'HTTP/1.1',
    destination_workload: labels.destination_workload ?? null,
    destination_namespace: labels.destination_namespace ?? null,
  };
}

/** Converts a LogEntry to a log line. */
export function entryLine(entry: Json): EntryLine {
  const labels = obj(obj(entry.resource)?.labels) ?? {};
  const traffic = !entry.textPayload && !entry.jsonPayload ? trafficLogFields(entry) : null;
  if (traffic) {
    const f = traffic as Record<string, string | number | null>;
    return {
      time: str(entry.timestamp) ?? str(entry.receiveTimestamp),
      namespace: str(labels.namespace_name) ?? str(f.destination_namespace),
      pod: str(labels.pod_name),
      container: str(labels.container_name),
      severity: str(entry.severity),
      text: `"${f.method} ${f.path} ${f.protocol}" ${f.response_code} ${f.response_flags} ${f.response_code_details ?? '-'} ${f.upstream_cluster ?? '-'}`,
      fields: traffic,
    };
  }
  const payload = obj(entry.jsonPayload);
  let text = str(entry.textPayload) ?? '';
  if (!text && payload) text = payloadText(payload);
  if (!text && obj(entry.protoPayload)) text = JSON.stringify(entry.protoPayload);
  return {
    time: str(entry.timestamp) ?? str(entry.receiveTimestamp),
    namespace: str(labels.namespace_name),
    pod: str(labels.pod_name),
    container: str(labels.container_name),
    severity: str(entry.severity),
    text: text.replace(/\n+$/, ''),
    fields: payload,
  };
}

const TIMESTAMP_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** Splits a `kubectl logs --timestamps` line into its time and message. */
export function splitTimestamp(line: string): { time: string | null; text: string } {
  const m = TIMESTAMP_PREFIX.exec(line);
  if (!m) return { time: null, text: line };
  return { time: m[1] ?? null, text: line.slice(m[0].length) };
}

/** Reads `NAMESPACE_POD_CONTAINER.log`; names that do not fit leave the parts null. */
export function parseLogFileName(fileName: string): {
  namespace: string | null;
  pod: string | null;
  container: string | null;
} {
  const base = fileName.replace(/\.log$/, '');
  const parts = base.split('_');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return { namespace: null, pod: null, container: null };
  const [namespace, pod, container] = parts as [string, string, string];
  return { namespace, pod, container };
}

/** Annotations that may repeat a Secret's values (`kubectl apply` keeps the applied object here). */
const SECRET_ANNOTATIONS_DROPPED = ['kubectl.kubernetes.io/last-applied-configuration'];

/** Keys a TLS certificate is read from, in order: a `kubernetes.io/tls` Secret's, then Istio's generic form. */
const CERTIFICATE_KEYS = ['tls.crt', 'cert'];

/** The public facts of a certificate, as evidence keeps them. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses of the subject alternative names, as written in the certificate. */
  sans: string[];
  /** RFC 3339. */
  notBefore: string;
  notAfter: string;
}

/** Subject alternative names without their type prefix (`DNS:`, `IP Address:`), in certificate order. */
function splitSans(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/,\s*/)
    .map((part) => /^(?:DNS|IP Address|IP):(.*)$/.exec(part.trim())?.[1]?.trim())
    .filter((v): v is string => !!v);
}

/** The first certificate of a PEM bundle (the leaf), or null when there is none that parses. */
export function certificateFacts(pem: string): CertificateFacts | null {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!first) return null;
  try {
    const cert = new X509Certificate(first);
    return {
      subject: cert.subject.replace(/\n/g, ', '),
      issuer: cert.issuer.replace(/\n/g, ', '),
      sans: splitSans(cert.subjectAltName),
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
    };
  } catch {
    return null;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function decodeBase64(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
}

/**
 * A Secret reduced to what checks need, with no value left: `{kind: 'Secret', metadata, type, keys,
 * certificate?}`; `certificate` holds the public facts of the TLS certificate (`tls.crt`, else `cert`),
 * `certificateError` says why it could not be read. Accepts `kubectl get secret -o json` output (values
 * under `data` / `stringData`) and the reduced shape itself, which it returns unchanged but for dropped fields.
 */
export function reduceSecret(secret: KubeObject): KubeObject {
  const data = obj(secret.data) ?? {};
  const stringData = obj(secret.stringData) ?? {};
  const valued = Object.keys(data).length + Object.keys(stringData).length > 0;
  const keys = valued
    ? [...new Set([...Object.keys(data), ...Object.keys(stringData)])].sort()
    : stringList(secret.keys).sort();
  const type = str(secret.type) ?? 'Opaque';
  const { managedFields: _managed, annotations, ...meta } = (secret.metadata ?? {}) as Json;
  const kept = Object.entries(obj(annotations) ?? {})
    .filter(([k]) => !SECRET_ANNOTATIONS_DROPPED.includes(k))
    .map(([k, v]) => [k, String(v)]);
  const reduced: KubeObject = {
    apiVersion: secret.apiVersion ?? 'v1',
    kind: 'Secret',
    metadata: { ...(meta as ObjectMeta), ...(kept.length > 0 ? { annotations: Object.fromEntries(kept) } : {}) },
    type,
    keys,
  };
  const certKey = CERTIFICATE_KEYS.find((k) => keys.includes(k));
  if (!valued) {
    const facts = obj(secret.certificate);
    if (facts) reduced.certificate = facts;
    if (typeof secret.certificateError === 'string') reduced.certificateError = secret.certificateError;
    return reduced;
  }
  if (!certKey) return reduced;
  const pem = certKey in stringData ? String(stringData[certKey]) : decodeBase64(data[certKey]);
  const facts = certificateFacts(pem);
  if (facts) reduced.certificate = facts;
  else reduced.certificateError = `${certKey} holds no PEM certificate that can be read`;
  return reduced;
}

/** Annotations of a CRD that say which release of its API it comes from (Gateway API's bundle). */
const CRD_ANNOTATIONS_KEPT = ['gateway.networking.k8s.io/bundle-version', 'gateway.networking.k8s.io/channel'];

/** A CustomResourceDefinition without its schema: name, group, kind, plural, scope and served versions. */
export function reduceCrd(crd: KubeObject): KubeObject {
  const spec = obj(crd.spec) ?? {};
  const names = obj(spec.names) ?? {};
  const versions = Array.isArray(spec.versions) ? spec.versions.map(obj).filter((v): v is Json => v !== null) : [];
  const annotations = obj(crd.metadata?.annotations) ?? {};
  const kept = CRD_ANNOTATIONS_KEPT.filter((k) => typeof annotations[k] === 'string');
  const meta = crd.metadata ?? {};
  return {
    apiVersion: crd.apiVersion ?? 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      ...(meta.name ? { name: meta.name } : {}),
      ...(meta.uid ? { uid: meta.uid } : {}),
      ...(meta.creationTimestamp ? { creationTimestamp: meta.creationTimestamp } : {}),
      ...(kept.length > 0 ? { annotations: Object.fromEntries(kept.map((k) => [k, String(annotations[k])])) } : {}),
    },
    spec: {
      group: spec.group,
      names: { kind: names.kind, plural: names.plural },
      scope: spec.scope,
      versions: versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage })),
    },
  };
}

/** A Node reduced to its name, labels, kubelet and runtime versions, addresses and conditions. */
export function reduceNode(node: KubeObject): KubeObject {
  const status = obj(node.status) ?? {};
  const info = obj(status.nodeInfo) ?? {};
  const { managedFields: _managed, ...meta } = (node.metadata ?? {}) as Json;
  return {
    apiVersion: node.apiVersion ?? 'v1',
    kind: 'Node',
    metadata: meta as ObjectMeta,
    status: {
      nodeInfo: { kubeletVersion: info.kubeletVersion, containerRuntimeVersion: info.containerRuntimeVersion },
      ...(Array.isArray(status.addresses) ? { addresses: status.addresses } : {}),
      ...(Array.isArray(status.conditions) ? { conditions: status.conditions } : {}),
    },
  };
}

/** Reducers by `group/kind` ('' for the core group). */
const REDUCERS: Record<string, (object: KubeObject) => KubeObject> = {
  '/Secret': reduceSecret,
  'apiextensions.k8s.io/CustomResourceDefinition': reduceCrd,
  '/Node': reduceNode,
};

/**
 * What evidence keeps of an object: Secrets without their values, CRDs without their schema, Nodes
 * without their image lists; other objects as they are.
 */
export function reduceObject(object: KubeObject): KubeObject {
  const apiVersion = object.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const reduce = REDUCERS[`${group}/${object.kind ?? ''}`];
  return reduce ? reduce(object) : object;
}
