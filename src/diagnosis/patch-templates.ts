import { parse as parseYaml } from 'yaml';
import type { ObjectRef, PatchProposal } from './evidence';
import type { PatchTemplate } from '../runbooks/schema';
import { MeshError } from '../util/errors';

/** API versions of the kinds patch templates may target. */
const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Namespace: 'v1',
  Service: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  VirtualService: 'networking.istio.io/v1beta1',
};

/** Kinds whose pod template can be patched. */
export const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** A patch, or the reason none can be proposed (shown to the user instead). */
export type PatchResult = { patch: PatchProposal } | { reason: string };

function targetOf(ref: ObjectRef, apiVersion?: string): PatchProposal['target'] {
  return {
    apiVersion: apiVersion ?? API_VERSIONS[ref.kind] ?? 'v1',
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
  };
}

function param<T>(template: PatchTemplate, name: string, fallback: T): T {
  const value = template.params[name];
  return value === undefined ? fallback : (value as T);
}

function expectTemplate(template: PatchTemplate, name: PatchTemplate['template']): void {
  if (template.template !== name)
    throw new MeshError('PROGRAMMING', `patch template ${template.template} used as ${name}`);
}

function podTemplateAnnotations(annotations: Record<string, string | null>): unknown {
  return { spec: { template: { metadata: { annotations } } } };
}

/**
 * Sets keys inside a JSON/YAML-valued pod-template annotation (e.g. `proxy.istio.io/config`), keeping
 * every other setting already in it.
 */
export function annotationJsonMerge(template: PatchTemplate, ref: ObjectRef, current: string | undefined): PatchResult {
  expectTemplate(template, 'pod-template-annotation-json-merge');
  if (!POD_TEMPLATE_KINDS.has(ref.kind)) return { reason: `${ref.kind} ${ref.name} has no pod template to annotate` };
  const annotation = param(template, 'annotation', '');
  const set = param<Record<string, unknown>>(template, 'set', {});
  let existing: unknown = {};
  if (current !== undefined && current.trim() !== '') {
    try {
      existing = parseYaml(current) as unknown;
    } catch {
      return { reason: `the existing ${annotation} annotation is not valid YAML/JSON; fix it by hand` };
    }
  }
  if (existing === null || typeof existing !== 'object' || Array.isArray(existing)) {
    return { reason: `the existing ${annotation} annotation is not an object; fix it by hand` };
  }
  const merged: Record<string, unknown> = { ...(existing as Record<string, unknown>) };
  const changed = Object.entries(set).filter(([k, v]) => merged[k] !== v);
  if (changed.length === 0) return { reason: `${annotation} already sets ${Object.keys(set).join(', ')}` };
  for (const [k, v] of changed) merged[k] = v;
  return {
    patch: {
      target: targetOf(ref),
      type: 'merge',
      patch: podTemplateAnnotations({ [annotation]: JSON.stringify(merged) }),
    },
  };
}

/** Appends an item to a comma-separated pod-template annotation (e.g. excluded IP ranges). */
export function annotationListAppend(
  template: PatchTemplate,
  ref: ObjectRef,
  current: string | undefined,
  item: string,
): PatchResult {
  expectTemplate(template, 'pod-template-annotation-list-append');
  if (!POD_TEMPLATE_KINDS.has(ref.kind)) return { reason: `${ref.kind} ${ref.name} has no pod template to annotate` };
  const annotation = param(template, 'annotation', '');
  const separator = param(template, 'separator', ',');
  const value = `${item}${param(template, 'suffix', '')}`;
  const items = (current ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.includes(value) || items.includes('*')) return { reason: `${annotation} already contains ${value}` };
  return {
    patch: {
      target: targetOf(ref),
      type: 'merge',
      patch: podTemplateAnnotations({ [annotation]: [...items, value].join(separator) }),
    },
  };
}

/**
 * Moves Istio annotations from a workload's own metadata, where Istio never reads them, into its pod
 * template: each key is removed from the metadata and set in the template in one merge patch.
 */
export function annotationMove(
  template: PatchTemplate,
  ref: ObjectRef,
  annotations: Record<string, string>,
): PatchResult {
  expectTemplate(template, 'pod-template-annotation-move');
  if (!POD_TEMPLATE_KINDS.has(ref.kind))
    return { reason: `${ref.kind} ${ref.name} has no pod template to move annotations into` };
  const keys = Object.keys(annotations);
  if (keys.length === 0) return { reason: `${ref.kind} ${ref.name} has no misplaced annotation to move` };
  return {
    patch: {
      target: targetOf(ref),
      type: 'merge',
      patch: {
        metadata: { annotations: Object.fromEntries(keys.map((k) => [k, null])) },
        ...(podTemplateAnnotations(annotations) as Record<string, unknown>),
      },
    },
  };
}

/** One Service port, by its place in `spec.ports`. */
export interface IndexedPort {
  index: number;
  name?: string;
  port?: number;
}

/**
 * Declares the protocol of one Service port with `appProtocol`. A JSON patch: a `test` of the port's name
 * (or number, for an unnamed port) first, so the patch fails instead of landing on another port when the
 * list changed since the diagnosis.
 */
export function serviceAppProtocol(
  template: PatchTemplate,
  ref: ObjectRef,
  port: IndexedPort,
  value: string,
): PatchResult {
  expectTemplate(template, 'service-port-app-protocol');
  if (ref.kind !== 'Service') return { reason: `${ref.kind} ${ref.name} is not a Service` };
  if (!port.name && port.port === undefined)
    return { reason: `port ${port.index} of Service ${ref.name} has no name or number to check` };
  const at = `/spec/ports/${port.index}`;
  const guard = port.name
    ? { op: 'test', path: `${at}/name`, value: port.name }
    : { op: 'test', path: `${at}/port`, value: port.port };
  return {
    patch: {
      target: targetOf(ref),
      type: 'json',
      patch: [guard, { op: 'add', path: `${at}/appProtocol`, value }],
    },
  };
}

/** HBONE, the port ztunnel sends mesh traffic to on the destination pod. */
export const HBONE_PORT = 15008;

/** One ingress rule of a NetworkPolicy, by its place in `spec.ingress`, with its ports as read. */
export interface IndexedIngressRule {
  index: number;
  ports: unknown[];
}

/**
 * Adds TCP 15008 (HBONE) to ingress rules of one NetworkPolicy. A JSON patch: per rule, a `test` that its
 * port list is still the one read, then an `add` of the port at its end, so the patch fails instead of
 * opening the port on another rule when the policy changed since the diagnosis.
 */
export function networkPolicyHbonePort(
  template: PatchTemplate,
  ref: ObjectRef,
  rules: IndexedIngressRule[],
): PatchResult {
  expectTemplate(template, 'networkpolicy-hbone-port');
  if (ref.kind !== 'NetworkPolicy') return { reason: `${ref.kind} ${ref.name} is not a NetworkPolicy` };
  if (rules.length === 0) return { reason: `NetworkPolicy ${ref.name} has no ingress rule to open HBONE on` };
  const open = rules.find((r) => r.ports.length === 0);
  if (open)
    return { reason: `ingress rule ${open.index} of NetworkPolicy ${ref.name} lists no ports: it allows them all` };
  return {
    patch: {
      target: targetOf(ref),
      type: 'json',
      patch: rules.flatMap((r) => [
        { op: 'test', path: `/spec/ingress/${r.index}/ports`, value: r.ports },
        { op: 'add', path: `/spec/ingress/${r.index}/ports/-`, value: { protocol: 'TCP', port: HBONE_PORT } },
      ]),
    },
  };
}

/** The patch `kubectl rollout restart` makes: a new restartedAt annotation on the pod template. */
export function rolloutRestart(template: PatchTemplate, ref: ObjectRef, at: string): PatchResult {
  if (!POD_TEMPLATE_KINDS.has(ref.kind)) return { reason: `${ref.kind} ${ref.name} cannot be restarted by a rollout` };
  const annotation = param(template, 'annotation', 'kubectl.kubernetes.io/restartedAt');
  return { patch: { target: targetOf(ref), type: 'merge', patch: podTemplateAnnotations({ [annotation]: at }) } };
}

/**
 * Labels a namespace for injection: the default label, or the revision label when only revisioned
 * injectors are installed. A wrong-valued default label is removed when switching to a revision.
 */
export function namespaceInjectionLabel(
  template: PatchTemplate,
  namespace: string,
  labels: Record<string, string>,
  revision: string | null,
): PatchResult {
  expectTemplate(template, 'namespace-injection-label');
  const label = param(template, 'label', 'istio-injection');
  const value = param(template, 'value', 'enabled');
  const revisionLabel = param(template, 'revisionLabel', 'istio.io/rev');
  const wanted: Record<string, string | null> = revision ? { [revisionLabel]: revision } : { [label]: value };
  if (revision && label in labels) wanted[label] = null;
  if (!revision && revisionLabel in labels) wanted[revisionLabel] = null;
  const changes = Object.entries(wanted).filter(([k, v]) => (labels[k] ?? null) !== v);
  if (changes.length === 0) return { reason: `namespace ${namespace} already has the injection label` };
  return {
    patch: {
      target: targetOf({ kind: 'Namespace', namespace: null, name: namespace }),
      type: 'merge',
      patch: { metadata: { labels: Object.fromEntries(changes) } },
    },
  };
}

/** Existing VirtualService routes the retry policy is added to. */
export interface VirtualServiceInfo {
  ref: ObjectRef;
  apiVersion: string | undefined;
  httpRoutes: number;
}

/**
 * A retry policy for a host: added to every HTTP route of an existing VirtualService (JSON patch), or a
 * new VirtualService for the host (merge patch that creates it, as `kubectl apply` would).
 */
export function virtualServiceRetries(
  template: PatchTemplate,
  host: string,
  namespace: string,
  existing: VirtualServiceInfo | null,
): PatchResult {
  expectTemplate(template, 'virtualservice-retries');
  const retries = param<Record<string, unknown>>(template, 'retries', {});
  if (existing && existing.httpRoutes > 0) {
    const ops = Array.from({ length: existing.httpRoutes }, (_, i) => ({
      op: 'add',
      path: `/spec/http/${i}/retries`,
      value: retries,
    }));
    return { patch: { target: targetOf(existing.ref, existing.apiVersion), type: 'json', patch: ops } };
  }
  const name = host.split('.')[0] ?? host;
  const ref: ObjectRef = { kind: 'VirtualService', namespace, name };
  return {
    patch: {
      target: targetOf(ref),
      type: 'merge',
      patch: {
        apiVersion: API_VERSIONS.VirtualService,
        kind: 'VirtualService',
        metadata: { name, namespace },
        spec: { hosts: [host], http: [{ route: [{ destination: { host } }], retries }] },
      },
    },
  };
}
