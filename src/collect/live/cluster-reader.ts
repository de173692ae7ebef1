import { DEFAULT_CONTROL_PLANE_NAMESPACES } from '../../diagnosis/control-plane';
import type { Check } from '../../diagnosis/evidence';
import { notInstalledDetail } from '../../diagnosis/evidence';
import type { KubeObject } from '../../diagnosis/kube-types';
import type { EvidenceBuilder } from '../evidence-builder';
import { judgeKubeError, reasonOf, statusOf } from './api-errors';
import type { KubeApis } from './kube-apis';
import type { KindSpec, PageArgs, Scope } from './kind-specs';
import { CRD_SPEC, KIND_SPECS } from './kind-specs';
import { NODE_AGENT_SELECTORS } from './node-agents';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY, limiter, withRetry } from './retry';

export type { KindSpec, Scope } from './kind-specs';
export { KIND_SPECS, SECRETS_PERMISSION } from './kind-specs';

/** What to read and how. */
export interface ClusterReadOptions {
  /** Target namespace, or null for every namespace. */
  namespace: string | null;
  /** Where Istio's control plane is installed: each is read besides the target, and its ConfigMaps. */
  controlPlaneNamespaces: readonly string[];
  pageSize: number;
  concurrency: number;
  retry: RetryPolicy;
  /** Called once a kind's objects are all in the builder (Cloud Logging's query waits for the pods). */
  onKindRead?: (kind: string) => void;
}

export const DEFAULT_CLUSTER_READ: ClusterReadOptions = {
  namespace: null,
  controlPlaneNamespaces: DEFAULT_CONTROL_PLANE_NAMESPACES,
  pageSize: 500,
  concurrency: 6,
  retry: DEFAULT_RETRY,
};

/** The field selector of the extra event read a control-plane diagnosis makes across all namespaces. */
export const FAILED_CREATE_SELECTOR = 'reason=FailedCreate';

/** Served versions of each custom resource (`plural.group`), from the CRD list; null when it could not be read. */
type Served = ReadonlyMap<string, readonly string[]> | null;

/** Namespaces a kind is listed in (null = one call across all namespaces or cluster-wide). */
function namespacesFor(scope: Scope, options: ClusterReadOptions): (string | null)[] {
  if (scope === 'cluster' || scope === 'all') return [null];
  if (scope === 'control-plane') return [...options.controlPlaneNamespaces];
  if (!options.namespace) return [null];
  return [...new Set([options.namespace, ...options.controlPlaneNamespaces])];
}

/** Narrows a list call: by fields (`reason=FailedCreate`) or labels (`app=ztunnel`). */
interface Selectors {
  fieldSelector?: string;
  labelSelector?: string;
}

async function listAll(
  apis: KubeApis,
  spec: KindSpec,
  namespace: string | null,
  options: ClusterReadOptions,
  selectors: Selectors,
): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  let token: string | undefined;
  do {
    const args: PageArgs = {
      limit: options.pageSize,
      ...(namespace ? { namespace } : {}),
      ...selectors,
      ...(token ? { _continue: token } : {}),
    };
    const page = await withRetry(`list ${spec.resource}`, () => spec.list(apis, args), judgeKubeError, options.retry);
    for (const item of page.items) {
      const plain = { ...(item as KubeObject), apiVersion: spec.apiVersion, kind: spec.kind };
      if (!spec.keep || spec.keep(plain)) objects.push(plain);
    }
    token = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
  } while (token);
  return objects;
}

/** The namespaces messages about a kind name: the control plane's for its kinds, the target for scoped ones. */
function named(scope: Scope, options: ClusterReadOptions): readonly string[] {
  if (scope === 'control-plane') return options.controlPlaneNamespaces;
  return scope === 'scoped' && options.namespace ? [options.namespace] : [];
}

function where(namespaces: readonly string[], scope: Scope): string {
  if (scope === 'cluster') return 'cluster-wide';
  if (namespaces.length === 0) return 'in all namespaces';
  return `in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}`;
}

function forbidden(spec: KindSpec, namespaces: readonly string[]): string {
  const group = spec.group ? ` in API group "${spec.group}"` : '';
  const binding =
    namespaces.length === 0
      ? 'a ClusterRoleBinding'
      : `a RoleBinding in ${namespaces.length > 1 ? 'each of namespaces' : 'namespace'} ${namespaces.join(', ')}`;
  return `access denied: mesh-doctor may not list ${spec.resource} ${where(namespaces, spec.scope)}; grant verb "list" on "${spec.resource}"${group} through ${binding}`;
}

/**
 * Lists a kind in each namespace. Waits for every call to end before a failure is thrown, so that no call
 * (or its retries) is still running once the kind is reported.
 */
async function listEach(
  apis: KubeApis,
  spec: KindSpec,
  namespaces: (string | null)[],
  options: ClusterReadOptions,
  selectors: Selectors = {},
): Promise<KubeObject[]> {
  const settled = await Promise.allSettled(namespaces.map((ns) => listAll(apis, spec, ns, options, selectors)));
  return settled.flatMap((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/**
 * The alternatives worth a call: for a custom resource, when the CRDs were read, only the versions its
 * CRD serves (none when it is not installed); otherwise every alternative, tried in turn.
 */
function candidates(alternatives: KindSpec[], served: Served): KindSpec[] {
  const first = alternatives[0] as KindSpec;
  if (first.typed || served === null) return alternatives;
  const versions = served.get(`${first.resource}.${first.group}`) ?? [];
  return alternatives.filter((spec) => versions.includes(spec.apiVersion.slice(spec.group.length + 1)));
}

function notInstalled(id: string, spec: KindSpec, served: Served): Check {
  const versions = served?.get(`${spec.resource}.${spec.group}`);
  const detail = versions?.length
    ? `${spec.kind} (${spec.resource}.${spec.group}) is served only at ${versions.join(', ')}, which mesh-doctor does not read`
    : notInstalledDetail(spec.kind, `${spec.resource}.${spec.group}`);
  return { id, status: 'skipped', detail };
}

/** Reads one kind (trying API versions in order); returns the check that reports it. */
async function readKind(
  apis: KubeApis,
  alternatives: KindSpec[],
  builder: EvidenceBuilder,
  options: ClusterReadOptions,
  served: Served,
): Promise<Check> {
  const first = alternatives[0] as KindSpec;
  const id = `read:${first.resource}${first.typed || first.group.endsWith('istio.io') ? '' : `.${first.group}`}`;
  const tried = candidates(alternatives, served);
  if (tried.length === 0) return notInstalled(id, first, served);
  for (const [i, spec] of tried.entries()) {
    const last = i === tried.length - 1;
    try {
      const objects = await listEach(apis, spec, namespacesFor(spec.scope, options), options);
      builder.markCaptured(spec.kind, spec.apiVersion);
      for (const object of objects) builder.addObject(object);
      options.onKindRead?.(spec.kind);
      return {
        id,
        status: 'ok',
        detail: `${objects.length} ${spec.resource} (${spec.apiVersion}) ${where(named(spec.scope, options), spec.scope)}`,
      };
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 && !last) continue;
      if (status === 404 && !spec.typed) return notInstalled(id, spec, null);
      if (status === 403 && spec.optional) return { id, status: 'skipped', detail: spec.optional };
      if (status === 403) return { id, status: 'error', detail: forbidden(spec, named(spec.scope, options)) };
      return { id, status: 'error', detail: `could not list ${spec.resource}: ${reasonOf(err)}` };
    }
  }
  return { id, status: 'error', detail: `no served API version for ${first.resource}` };
}

/** Served versions by `plural.group`, from the CRDs the builder holds. */
function servedVersions(crds: readonly KubeObject[]): Map<string, string[]> {
  const served = new Map<string, string[]>();
  for (const crd of crds) {
    const spec = (crd.spec ?? {}) as {
      group?: string;
      names?: { plural?: string };
      versions?: { name?: string; served?: boolean }[];
    };
    if (!spec.group || !spec.names?.plural) continue;
    const versions = (spec.versions ?? []).filter((v) => v.served !== false && v.name).map((v) => v.name as string);
    served.set(`${spec.names.plural}.${spec.group}`, versions);
  }
  return served;
}

/**
 * When the target is a control-plane namespace, FailedCreate events in every namespace: pods refused
 * elsewhere name the control plane's webhooks. One call (paged), with the API version events are read at.
 */
async function readFailedCreate(apis: KubeApis, builder: EvidenceBuilder, options: ClusterReadOptions): Promise<Check> {
  const id = 'read:events-failedcreate';
  const alternatives = KIND_SPECS.find((a) => a[0]?.kind === 'Event') ?? [];
  for (const [i, spec] of alternatives.entries()) {
    try {
      const events = await listEach(apis, spec, [null], options, { fieldSelector: FAILED_CREATE_SELECTOR });
      for (const event of events) builder.addObject(event);
      return {
        id,
        status: 'ok',
        detail: `${events.length} FailedCreate events (${spec.apiVersion}) in all namespaces`,
      };
    } catch (err) {
      if (statusOf(err) === 404 && i < alternatives.length - 1) continue;
      return { id, status: 'error', detail: `could not list FailedCreate events in all namespaces: ${reasonOf(err)}` };
    }
  }
  return { id, status: 'error', detail: 'no served API version for events' };
}

/**
 * When the read is aimed at a namespace, the ztunnel and istio-cni pods of every namespace (by their labels,
 * one call each): they run where the cluster puts them (istio-system, kube-system on GKE), and a namespace's
 * ambient traffic and enrollment show in their logs. Pods already read (the control plane's) are not
 * added twice.
 */
async function readNodeAgentPods(
  apis: KubeApis,
  builder: EvidenceBuilder,
  options: ClusterReadOptions,
): Promise<Check> {
  const id = 'read:pods-node-agents';
  const spec = KIND_SPECS.find((a) => a[0]?.kind === 'Pod')?.[0] as KindSpec;
  const known = new Set(builder.objectsOf('Pod').map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
  try {
    const lists = await Promise.all(
      NODE_AGENT_SELECTORS.map((labelSelector) => listEach(apis, spec, [null], options, { labelSelector })),
    );
    const found = lists.flat();
    const added = found.filter((p) => !known.has(`${p.metadata?.namespace}/${p.metadata?.name}`));
    for (const pod of added) builder.addObject(pod);
    return { id, status: 'ok', detail: `${found.length} ztunnel and istio-cni pods in all namespaces` };
  } catch (err) {
    const status = statusOf(err);
    const detail =
      status === 403
        ? `access denied: mesh-doctor may not list pods in all namespaces, so ztunnel and istio-cni outside ${options.controlPlaneNamespaces.join(', ')} are not read; grant verb "list" on "pods" through a ClusterRoleBinding`
        : `could not list ztunnel and istio-cni pods: ${reasonOf(err)}`;
    return { id, status: status === 403 ? 'skipped' : 'error', detail };
  }
}

/**
 * Lists everything the detectors look at, in parallel under a concurrency cap, page by page, with
 * retries. Custom kinds wait for the CRDs, so that each is listed only at a version its CRD serves (and
 * not at all when it is not installed). Each kind is added to the evidence only when its whole list was read, so
 * a failed read never looks like "none exist". Returns one check per kind.
 */
export async function readCluster(
  apis: KubeApis,
  builder: EvidenceBuilder,
  options: Partial<ClusterReadOptions> = {},
): Promise<Check[]> {
  const opts: ClusterReadOptions = { ...DEFAULT_CLUSTER_READ, ...options };
  const run = limiter(opts.concurrency);
  // Aimed at a namespace, the pods are "read" once the node agents of every namespace are in too.
  const agentsWanted = opts.namespace !== null;
  let agentChecks: Promise<Check>[] = [];
  const onKindRead = (kind: string) => {
    if (kind !== 'Pod' || !agentsWanted) return opts.onKindRead?.(kind);
    const agents = run(() => readNodeAgentPods(apis, builder, opts));
    agentChecks = [agents];
    void agents.then(() => opts.onKindRead?.(kind));
  };
  const reading = { ...opts, onKindRead };
  const crdCheck = run(() => readKind(apis, [CRD_SPEC], builder, reading, null));
  const served = crdCheck.then((c) => (c.status === 'ok' ? servedVersions(builder.objectsOf(CRD_SPEC.kind)) : null));
  const rest = KIND_SPECS.filter((alternatives) => alternatives[0] !== CRD_SPEC);
  const failedCreate =
    opts.namespace !== null && opts.controlPlaneNamespaces.includes(opts.namespace)
      ? [run(() => readFailedCreate(apis, builder, reading))]
      : [];
  // Built-in kinds do not wait for the CRDs; custom kinds start once the CRDs say what is served.
  const results = await Promise.all([
    crdCheck,
    ...rest.map((alternatives) =>
      alternatives[0]?.typed
        ? run(() => readKind(apis, alternatives, builder, reading, null))
        : served.then((versions) => run(() => readKind(apis, alternatives, builder, reading, versions))),
    ),
    ...failedCreate,
  ]);
  return [...results, ...(await Promise.all(agentChecks))];
}
