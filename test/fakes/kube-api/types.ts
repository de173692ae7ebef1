import type { KubeObject } from '../../../src/diagnosis/kube-types';

export type { KubeObject };

/** A plain JSON object. */
export type Json = Record<string, unknown>;

/** One request the fake received, in arrival order (faulted requests included). */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, percent-decoded. */
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  /** Parsed JSON when the body is JSON, else the raw text; `undefined` when there is no body. */
  body: unknown;
}

/** A container log line held by the fake. */
export interface LogLineInput {
  /** RFC 3339 timestamp (any precision); `null` when unknown. */
  time: string | null;
  text: string;
}

/** Log lines of one container, for `options.logs`. */
export interface PodLogInput {
  namespace: string;
  pod: string;
  container: string;
  /** `kubectl logs --timestamps` lines (`RFC3339 text`) or explicit lines. */
  lines: (string | LogLineInput)[];
}

export interface FakeKubeApiOptions {
  /** Objects to serve (Events of either API version, any kind, any API group). */
  objects?: KubeObject[];
  /** A snapshot directory (docs/snapshot-format.md) whose objects, events and container logs are served. */
  snapshotDir?: string;
  /** Extra custom resources, as `group/version/plural`, that exist even with no objects. */
  crds?: string[];
  /** Page size applied to lists requested without `limit` (the real server has none). */
  defaultPageLimit?: number;
  /** "Now" for `sinceSeconds` (RFC 3339); default the latest timestamp in the store. */
  now?: string;
  /** Extra container logs. */
  logs?: PodLogInput[];
}

/** A fault injected before normal handling. */
export interface FaultRule {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** A path prefix (matched against the path without query), or a RegExp tested against `path?query`. */
  path?: string | RegExp;
  /** Answer with this status and a Kubernetes Status body. */
  status?: number;
  /** For 429 (and any status): the `Retry-After` header and `details.retryAfterSeconds`. */
  retryAfterSeconds?: number;
  /** A body to send instead of the generated Status (JSON-encoded unless a string). */
  body?: unknown;
  /** Wait this long first; without `status`/`drop` the request is then handled normally. */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** How many requests this rule applies to; default Infinity. */
  times?: number;
}

export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  /** Rules still active (with their remaining `times`). */
  readonly active: readonly FaultRule[];
}

export interface FakeKubeApi {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** A kubeconfig whose current context points at the fake (token user, TLS verification off). */
  readonly kubeconfigYaml: string;
  /** Writes `kubeconfig` into `dir` and returns its path. */
  writeKubeconfig(dir: string): string;
  readonly requests: RecordedRequest[];
  readonly faults: FaultController;
  /** A copy of one stored object (`kind` such as `Pod`, plural such as `pods`, or `plural.group`). */
  get(kindOrPlural: string, namespace: string | null | undefined, name: string): KubeObject | undefined;
  /** Copies of all stored objects of a kind (or plural, or `plural.group`), in key order. */
  list(kindOrPlural: string): KubeObject[];
  /** Adds or replaces an object (bumps the resource version). */
  put(object: KubeObject): KubeObject;
  /** Adds container log lines. */
  addLogs(input: PodLogInput): void;
  /** The current global resource version. */
  readonly resourceVersion: string;
  /** Makes every continue token issued so far stale (410 Gone), like an etcd compaction. */
  expireContinueTokens(): void;
  close(): Promise<void>;
}
