import type { KubeObject } from './kube-types';
import type { Language } from '../i18n/languages';

/** Reference to a Kubernetes object in findings and evidence. */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/** A Kubernetes event, normalized from core/v1, events.k8s.io/v1 or a Cloud Logging export. */
export interface MeshEvent {
  /** Most recent occurrence, RFC 3339, or null when the event carries no time. */
  time: string | null;
  /** First occurrence when known. */
  firstTime: string | null;
  ms: number | null;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: { kind: string; namespace: string | null; name: string; fieldPath: string | null };
}

/** One log line from any source, kept because it matched at least one catalog signature. */
export interface LogLine {
  time: string | null;
  ms: number | null;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  severity: string | null;
  text: string;
  /** JSON payload of a structured entry (Envoy JSON access log), when there was one. */
  fields: Record<string, unknown> | null;
  /** Ids of the catalog signatures the line matched. */
  signatures: readonly string[];
}

/** Everything a diagnosis looks at. Built by the snapshot loader or the live collectors. */
export interface Evidence {
  /** Objects by kind (`Pod`, `Deployment`, ...), in input order. */
  objects: ReadonlyMap<string, readonly KubeObject[]>;
  events: readonly MeshEvent[];
  logs: readonly LogLine[];
  /** Lines matched per signature id (counted even past the per-source retention cap). */
  signatureCounts: ReadonlyMap<string, number>;
  /** Kinds whose objects were captured (listed), even when the list was empty. */
  capturedKinds: ReadonlySet<string>;
  /** Total log lines read (matched or not). */
  logLinesRead: number;
  /** Latest timestamp found in the evidence, or null. */
  now: string | null;
}

/** The part of a cluster a diagnosis is about. */
export interface Target {
  namespace: string | null;
  workload: string | null;
  /** The cluster read, when it has a name (a live read, a served cluster); reports name it. */
  cluster?: string | null;
}

export type Severity = 'critical' | 'warning' | 'info';

export interface EvidenceItem {
  source: 'log' | 'event' | 'object';
  timestamp: string | null;
  text: string;
}

export interface PatchProposal {
  target: { apiVersion: string; kind: string; namespace: string | null; name: string };
  type: 'merge' | 'strategic' | 'json';
  patch: unknown;
}

/** One problem found, as the JSON report shows it (docs/json-report.md). */
export interface Finding {
  runbook: string;
  title: string;
  severity: Severity;
  confidence: number;
  resources: ObjectRef[];
  evidence: EvidenceItem[];
  remediation: { steps: string[]; patches: PatchProposal[] };
}

export type CheckStatus = 'ok' | 'finding' | 'skipped' | 'error';

export interface Check {
  id: string;
  status: CheckStatus;
  detail: string;
}

/** The mesh a diagnosis saw and the data planes of the pods in its scope. */
export interface MeshSummary {
  /** `istiod` (in the cluster), `managed` (Cloud Service Mesh), `gke-ambient` (GKE's own product) or `none`. */
  kind: 'istiod' | 'managed' | 'gke-ambient' | 'none';
  /** Running pods in scope per data plane. */
  dataplane: { sidecar: number; ambient: number; ambientWaypoint: number; none: number };
  /** Waypoints (`namespace/name`) serving pods in scope. */
  waypoints: string[];
  /** The same in one sentence, as the text and Slack reports show it. */
  summary: string;
}

export interface Report {
  target: Target;
  /** The language the report's text is in (runbook text, facts, headline); absent in older reports: English. */
  language?: Language;
  /** Set when the language asked for was matched approximately (Traditional Chinese served in Simplified). */
  languageNote?: 'zh-Hant';
  /** Absent in reports made before it existed; always set by the engine now. */
  mesh?: MeshSummary;
  findings: Finding[];
  checks: Check[];
}

/** The detail of a read check for a custom kind whose CRD is absent (the reports fold these into one line). */
export function notInstalledDetail(kind: string, crd: string): string {
  return `${kind} is not installed (no ${crd} CRD)`;
}

/** The kind and CRD of a notInstalledDetail text, or null for any other detail. */
export function parseNotInstalled(detail: string): { kind: string; crd: string } | null {
  const m = /^(\S+) is not installed \(no (\S+) CRD\)$/.exec(detail);
  return m?.[1] && m[2] ? { kind: m[1], crd: m[2] } : null;
}
