import { DEFAULT_CONTROL_PLANE_NAMESPACES } from '../../diagnosis/control-plane';
import type { Check } from '../../diagnosis/evidence';
import type { KubeObject } from '../../diagnosis/kube-types';
import type { EvidenceBuilder } from '../evidence-builder';
import { judgeKubeError, reasonOf, statusOf } from './api-errors';
import type { KubeApis } from './kube-apis';
import { toPlain } from './plain-object';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY, limiter, withRetry } from './retry';

/** One page of a list call. */
interface Page {
  items: unknown[];
  metadata?: { _continue?: string; continue?: string };
}

type PageArgs = { namespace?: string; limit: number; _continue?: string };

/** Where a kind is listed: the target and control-plane namespaces, every namespace, or cluster-wide. */
type Scope = 'scoped' | 'all' | 'control-plane' | 'cluster';

/** How to list one kind. */
interface KindSpec {
  kind: string;
  /** RBAC resource and API group, for the message when access is denied. */
  resource: string;
  group: string;
  scope: Scope;
  /** False for custom objects, whose absence (no CRD) is not an error. */
  typed: boolean;
  apiVersion: string;
  list: (apis: KubeApis, args: PageArgs) => Promise<Page>;
}

/** A list call that goes to one namespace when the page names one, else across all namespaces. */
function namespacedOrAll(
  inNamespace: (apis: KubeApis, args: PageArgs & { namespace: string }) => Promise<Page>,
  everywhere: (apis: KubeApis, args: PageArgs) => Promise<Page>,
): KindSpec['list'] {
  return (apis, args) =>
    args.namespace ? inNamespace(apis, { ...args, namespace: args.namespace }) : everywhere(apis, args);
}

function custom(kind: string, plural: string, versions: string[]): KindSpec[] {
  const group = 'networking.istio.io';
  return versions.map((version) => ({
    kind,
    resource: plural,
    group,
    scope: 'scoped' as const,
    typed: false,
    apiVersion: `${group}/${version}`,
    list: namespacedOrAll(
      (a, p) => a.custom.listNamespacedCustomObject({ group, version, plural, ...p }) as Promise<Page>,
      (a, p) => a.custom.listCustomObjectForAllNamespaces({ group, version, plural, ...p }) as Promise<Page>,
    ),
  }));
}

/**
 * What the detectors need, in the order it is read. Alternatives for one kind (newer API first) are
 * tried in turn when a version is not served.
 */
export const KIND_SPECS: KindSpec[][] = [
  [
    {
      kind: 'Namespace',
      resource: 'namespaces',
      group: '',
      scope: 'cluster',
      typed: true,
      apiVersion: 'v1',
      list: (a, p) => a.core.listNamespace(p),
    },
  ],
  [
    {
      kind: 'Pod',
      resource: 'pods',
      group: '',
      scope: 'scoped',
      typed: true,
      apiVersion: 'v1',
      list: namespacedOrAll(
        (a, p) => a.core.listNamespacedPod(p),
        (a, p) => a.core.listPodForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'Service',
      resource: 'services',
      group: '',
      scope: 'all',
      typed: true,
      apiVersion: 'v1',
      list: (a, p) => a.core.listServiceForAllNamespaces(p),
    },
  ],
  [
    {
      kind: 'Endpoints',
      resource: 'endpoints',
      group: '',
      scope: 'scoped',
      typed: true,
      apiVersion: 'v1',
      list: namespacedOrAll(
        (a, p) => a.core.listNamespacedEndpoints(p),
        (a, p) => a.core.listEndpointsForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'ConfigMap',
      resource: 'configmaps',
      group: '',
      scope: 'control-plane',
      typed: true,
      apiVersion: 'v1',
      list: namespacedOrAll(
        (a, p) => a.core.listNamespacedConfigMap(p),
        (a, p) => a.core.listConfigMapForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'Deployment',
      resource: 'deployments',
      group: 'apps',
      scope: 'scoped',
      typed: true,
      apiVersion: 'apps/v1',
      list: namespacedOrAll(
        (a, p) => a.apps.listNamespacedDeployment(p),
        (a, p) => a.apps.listDeploymentForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'ReplicaSet',
      resource: 'replicasets',
      group: 'apps',
      scope: 'scoped',
      typed: true,
      apiVersion: 'apps/v1',
      list: namespacedOrAll(
        (a, p) => a.apps.listNamespacedReplicaSet(p),
        (a, p) => a.apps.listReplicaSetForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'StatefulSet',
      resource: 'statefulsets',
      group: 'apps',
      scope: 'scoped',
      typed: true,
      apiVersion: 'apps/v1',
      list: namespacedOrAll(
        (a, p) => a.apps.listNamespacedStatefulSet(p),
        (a, p) => a.apps.listStatefulSetForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'DaemonSet',
      resource: 'daemonsets',
      group: 'apps',
      scope: 'all',
      typed: true,
      apiVersion: 'apps/v1',
      list: (a, p) => a.apps.listDaemonSetForAllNamespaces(p),
    },
  ],
  [
    {
      kind: 'Event',
      resource: 'events',
      group: 'events.k8s.io',
      scope: 'scoped',
      typed: true,
      apiVersion: 'events.k8s.io/v1',
      list: namespacedOrAll(
        (a, p) => a.events.listNamespacedEvent(p),
        (a, p) => a.events.listEventForAllNamespaces(p),
      ),
    },
    {
      kind: 'Event',
      resource: 'events',
      group: '',
      scope: 'scoped',
      typed: true,
      apiVersion: 'v1',
      list: namespacedOrAll(
        (a, p) => a.core.listNamespacedEvent(p),
        (a, p) => a.core.listEventForAllNamespaces(p),
      ),
    },
  ],
  [
    {
      kind: 'MutatingWebhookConfiguration',
      resource: 'mutatingwebhookconfigurations',
      group: 'admissionregistration.k8s.io',
      scope: 'cluster',
      typed: true,
      apiVersion: 'admissionregistration.k8s.io/v1',
      list: (a, p) => a.admission.listMutatingWebhookConfiguration(p),
    },
  ],
  [
    {
      kind: 'ValidatingWebhookConfiguration',
      resource: 'validatingwebhookconfigurations',
      group: 'admissionregistration.k8s.io',
      scope: 'cluster',
      typed: true,
      apiVersion: 'admissionregistration.k8s.io/v1',
      list: (a, p) => a.admission.listValidatingWebhookConfiguration(p),
    },
  ],
  custom('EnvoyFilter', 'envoyfilters', ['v1alpha3']),
  custom('VirtualService', 'virtualservices', ['v1', 'v1beta1', 'v1alpha3']),
  custom('DestinationRule', 'destinationrules', ['v1', 'v1beta1', 'v1alpha3']),
];

/** What to read and how. */
export interface ClusterReadOptions {
  /** Target namespace, or null for every namespace. */
  namespace: string | null;
  /** Where Istio's control plane is installed: each is read besides the target, and its ConfigMaps. */
  controlPlaneNamespaces: readonly string[];
  pageSize: number;
  concurrency: number;
  retry: RetryPolicy;
}

export const DEFAULT_CLUSTER_READ: ClusterReadOptions = {
  namespace: null,
  controlPlaneNamespaces: DEFAULT_CONTROL_PLANE_NAMESPACES,
  pageSize: 500,
  concurrency: 6,
  retry: DEFAULT_RETRY,
};

/** Namespaces a kind is listed in (null = one call across all namespaces or cluster-wide). */
function namespacesFor(scope: Scope, options: ClusterReadOptions): (string | null)[] {
  if (scope === 'cluster' || scope === 'all') return [null];
  if (scope === 'control-plane') return [...options.controlPlaneNamespaces];
  if (!options.namespace) return [null];
  return [...new Set([options.namespace, ...options.controlPlaneNamespaces])];
}

async function listAll(
  apis: KubeApis,
  spec: KindSpec,
  namespace: string | null,
  options: ClusterReadOptions,
): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  let token: string | undefined;
  do {
    const args: PageArgs = {
      limit: options.pageSize,
      ...(namespace ? { namespace } : {}),
      ...(token ? { _continue: token } : {}),
    };
    const page = await withRetry(`list ${spec.resource}`, () => spec.list(apis, args), judgeKubeError, options.retry);
    for (const item of page.items) {
      const plain = toPlain(item) as KubeObject;
      objects.push({ ...plain, apiVersion: spec.apiVersion, kind: spec.kind });
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
): Promise<KubeObject[][]> {
  const settled = await Promise.allSettled(namespaces.map((ns) => listAll(apis, spec, ns, options)));
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/** Reads one kind (trying API versions in order); returns the check that reports it. */
async function readKind(
  apis: KubeApis,
  alternatives: KindSpec[],
  builder: EvidenceBuilder,
  options: ClusterReadOptions,
): Promise<Check> {
  const first = alternatives[0] as KindSpec;
  const id = `read:${first.resource}`;
  for (const [i, spec] of alternatives.entries()) {
    const last = i === alternatives.length - 1;
    try {
      const lists = await listEach(apis, spec, namespacesFor(spec.scope, options), options);
      builder.markCaptured(spec.kind);
      for (const list of lists) for (const object of list) builder.addObject(object);
      const count = lists.reduce((n, l) => n + l.length, 0);
      return {
        id,
        status: 'ok',
        detail: `${count} ${spec.resource} (${spec.apiVersion}) ${where(named(spec.scope, options), spec.scope)}`,
      };
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 && !last) continue;
      if (status === 404 && !spec.typed)
        return {
          id,
          status: 'skipped',
          detail: `${spec.kind} is not installed (no ${spec.resource}.${spec.group} CRD)`,
        };
      if (status === 403) return { id, status: 'error', detail: forbidden(spec, named(spec.scope, options)) };
      return { id, status: 'error', detail: `could not list ${spec.resource}: ${reasonOf(err)}` };
    }
  }
  return { id, status: 'error', detail: `no served API version for ${first.resource}` };
}

/**
 * Lists everything the detectors look at, in parallel under a concurrency cap, page by page, with
 * retries. Each kind is added to the evidence only when its whole list was read, so a failed read never
 * looks like "none exist". Returns one check per kind.
 */
export async function readCluster(
  apis: KubeApis,
  builder: EvidenceBuilder,
  options: Partial<ClusterReadOptions> = {},
): Promise<Check[]> {
  const opts: ClusterReadOptions = { ...DEFAULT_CLUSTER_READ, ...options };
  const run = limiter(opts.concurrency);
  const results = await Promise.all(
    KIND_SPECS.map((alternatives) => run(() => readKind(apis, alternatives, builder, opts))),
  );
  return results;
}
