import type { KubeObject } from '../../diagnosis/kube-types';
import type { KubeApis } from './kube-apis';

/** One page of a list call. */
export interface Page {
  items: unknown[];
  metadata?: { _continue?: string; continue?: string };
}

export type PageArgs = {
  namespace?: string;
  limit: number;
  _continue?: string;
  fieldSelector?: string;
  labelSelector?: string;
};

/** Where a kind is listed: the target and control-plane namespaces, every namespace, or cluster-wide. */
export type Scope = 'scoped' | 'all' | 'control-plane' | 'cluster';

/** How to list one kind. */
export interface KindSpec {
  kind: string;
  /** RBAC resource and API group, for the message when access is denied. */
  resource: string;
  group: string;
  scope: Scope;
  /** False for custom objects, whose absence (no CRD) is not an error. */
  typed: boolean;
  apiVersion: string;
  list: (apis: KubeApis, args: PageArgs) => Promise<Page>;
  /** Which listed objects are kept (default all). */
  keep?: (object: KubeObject) => boolean;
  /** Set when the permission is optional: a denied list is a skipped check saying this, not an error. */
  optional?: string;
}

type NamespacedList = (apis: KubeApis, args: PageArgs & { namespace: string }) => Promise<Page>;
type List = (apis: KubeApis, args: PageArgs) => Promise<Page>;

/** A list call that goes to one namespace when the page names one, else across all namespaces. */
function namespacedOrAll(inNamespace: NamespacedList, everywhere: List): List {
  return (apis, args) =>
    args.namespace ? inNamespace(apis, { ...args, namespace: args.namespace }) : everywhere(apis, args);
}

function typed(
  kind: string,
  resource: string,
  apiVersion: string,
  scope: Scope,
  list: List,
  extra: Partial<KindSpec> = {},
): KindSpec {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return { kind, resource, group, scope, typed: true, apiVersion, list, ...extra };
}

/** A namespaced kind: listed per namespace when the read is scoped, else in one call across all of them. */
function namespaced(
  kind: string,
  resource: string,
  apiVersion: string,
  scope: Scope,
  inNamespace: NamespacedList,
  everywhere: List,
  extra: Partial<KindSpec> = {},
): KindSpec {
  return typed(kind, resource, apiVersion, scope, namespacedOrAll(inNamespace, everywhere), extra);
}

/** A custom resource read at the first of `versions` the cluster serves. */
function custom(group: string, kind: string, plural: string, versions: string[], scope: Scope): KindSpec[] {
  return versions.map((version) => ({
    kind,
    resource: plural,
    group,
    scope,
    typed: false,
    apiVersion: `${group}/${version}`,
    list: namespacedOrAll(
      (a, p) => a.custom.listNamespacedCustomObject({ group, version, plural, ...p }) as Promise<Page>,
      (a, p) => a.custom.listCustomObjectForAllNamespaces({ group, version, plural, ...p }) as Promise<Page>,
    ),
  }));
}

const ISTIO_NETWORKING = 'networking.istio.io';
const ISTIO_SECURITY = 'security.istio.io';
const GATEWAY_API = 'gateway.networking.k8s.io';
const NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const SECURITY_VERSIONS = ['v1', 'v1beta1'];

/** The kustomize component that grants the optional Secret permission. */
export const SECRETS_PERMISSION = 'the deploy/components/secrets-metadata component';

/**
 * The control-plane ConfigMaps checks read: the mesh config (`istio`, `istio-<rev>`), the injector's
 * template (`istio-sidecar-injector*`) and the root certificate (`istio-ca-root-cert`); leader-election
 * ConfigMaps (`istio-leader`, `istio-namespace-controller-election`, …) are not.
 */
export function isMeshConfigMap(object: KubeObject): boolean {
  const name = object.metadata?.name ?? '';
  if (name === 'istio' || name === 'istio-ca-root-cert' || name.startsWith('istio-sidecar-injector')) return true;
  return /^istio-[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && !/(^|-)(leader|election)(-|$)/.test(name);
}

/** The CustomResourceDefinitions, read first: they say which custom kinds exist and at which versions. */
export const CRD_SPEC: KindSpec = typed(
  'CustomResourceDefinition',
  'customresourcedefinitions',
  'apiextensions.k8s.io/v1',
  'cluster',
  (a, p) => a.apiextensions.listCustomResourceDefinition(p),
);

/**
 * What the detectors need, in the order it is read. Alternatives for one kind (newer API first) are
 * tried in turn when a version is not served.
 */
export const KIND_SPECS: KindSpec[][] = [
  [CRD_SPEC],
  [typed('Namespace', 'namespaces', 'v1', 'cluster', (a, p) => a.core.listNamespace(p))],
  [typed('Node', 'nodes', 'v1', 'cluster', (a, p) => a.core.listNode(p))],
  [
    namespaced(
      'Pod',
      'pods',
      'v1',
      'scoped',
      (a, p) => a.core.listNamespacedPod(p),
      (a, p) => a.core.listPodForAllNamespaces(p),
    ),
  ],
  [typed('Service', 'services', 'v1', 'all', (a, p) => a.core.listServiceForAllNamespaces(p))],
  [
    namespaced(
      'Endpoints',
      'endpoints',
      'v1',
      'scoped',
      (a, p) => a.core.listNamespacedEndpoints(p),
      (a, p) => a.core.listEndpointsForAllNamespaces(p),
    ),
  ],
  [
    namespaced(
      'ConfigMap',
      'configmaps',
      'v1',
      'control-plane',
      (a, p) => a.core.listNamespacedConfigMap(p),
      (a, p) => a.core.listConfigMapForAllNamespaces(p),
      { keep: isMeshConfigMap },
    ),
  ],
  [typed('ResourceQuota', 'resourcequotas', 'v1', 'all', (a, p) => a.core.listResourceQuotaForAllNamespaces(p))],
  [
    typed('Secret', 'secrets', 'v1', 'all', (a, p) => a.core.listSecretForAllNamespaces(p), {
      optional: `secrets not readable (optional permission: ${SECRETS_PERMISSION} grants list on secrets; only their type, key names and TLS certificate facts are kept)`,
    }),
  ],
  [
    namespaced(
      'Deployment',
      'deployments',
      'apps/v1',
      'scoped',
      (a, p) => a.apps.listNamespacedDeployment(p),
      (a, p) => a.apps.listDeploymentForAllNamespaces(p),
    ),
  ],
  [
    namespaced(
      'ReplicaSet',
      'replicasets',
      'apps/v1',
      'scoped',
      (a, p) => a.apps.listNamespacedReplicaSet(p),
      (a, p) => a.apps.listReplicaSetForAllNamespaces(p),
    ),
  ],
  [
    namespaced(
      'StatefulSet',
      'statefulsets',
      'apps/v1',
      'scoped',
      (a, p) => a.apps.listNamespacedStatefulSet(p),
      (a, p) => a.apps.listStatefulSetForAllNamespaces(p),
    ),
  ],
  [typed('DaemonSet', 'daemonsets', 'apps/v1', 'all', (a, p) => a.apps.listDaemonSetForAllNamespaces(p))],
  [
    namespaced(
      'Event',
      'events',
      'events.k8s.io/v1',
      'scoped',
      (a, p) => a.events.listNamespacedEvent(p),
      (a, p) => a.events.listEventForAllNamespaces(p),
    ),
    namespaced(
      'Event',
      'events',
      'v1',
      'scoped',
      (a, p) => a.core.listNamespacedEvent(p),
      (a, p) => a.core.listEventForAllNamespaces(p),
    ),
  ],
  [
    typed(
      'MutatingWebhookConfiguration',
      'mutatingwebhookconfigurations',
      'admissionregistration.k8s.io/v1',
      'cluster',
      (a, p) => a.admission.listMutatingWebhookConfiguration(p),
    ),
  ],
  [
    typed(
      'ValidatingWebhookConfiguration',
      'validatingwebhookconfigurations',
      'admissionregistration.k8s.io/v1',
      'cluster',
      (a, p) => a.admission.listValidatingWebhookConfiguration(p),
    ),
  ],
  [
    typed('NetworkPolicy', 'networkpolicies', 'networking.k8s.io/v1', 'all', (a, p) =>
      a.networking.listNetworkPolicyForAllNamespaces(p),
    ),
  ],
  custom(ISTIO_NETWORKING, 'EnvoyFilter', 'envoyfilters', ['v1alpha3'], 'scoped'),
  custom(ISTIO_NETWORKING, 'VirtualService', 'virtualservices', NETWORKING_VERSIONS, 'scoped'),
  custom(ISTIO_NETWORKING, 'DestinationRule', 'destinationrules', NETWORKING_VERSIONS, 'scoped'),
  custom(ISTIO_NETWORKING, 'Gateway', 'gateways', NETWORKING_VERSIONS, 'all'),
  custom(ISTIO_NETWORKING, 'Sidecar', 'sidecars', NETWORKING_VERSIONS, 'scoped'),
  custom(ISTIO_NETWORKING, 'ServiceEntry', 'serviceentries', NETWORKING_VERSIONS, 'all'),
  custom(ISTIO_NETWORKING, 'WorkloadEntry', 'workloadentries', NETWORKING_VERSIONS, 'scoped'),
  custom(ISTIO_NETWORKING, 'ProxyConfig', 'proxyconfigs', ['v1beta1'], 'scoped'),
  custom(ISTIO_SECURITY, 'PeerAuthentication', 'peerauthentications', SECURITY_VERSIONS, 'scoped'),
  custom(ISTIO_SECURITY, 'AuthorizationPolicy', 'authorizationpolicies', SECURITY_VERSIONS, 'scoped'),
  custom(ISTIO_SECURITY, 'RequestAuthentication', 'requestauthentications', SECURITY_VERSIONS, 'scoped'),
  custom('telemetry.istio.io', 'Telemetry', 'telemetries', ['v1', 'v1alpha1'], 'scoped'),
  custom('extensions.istio.io', 'WasmPlugin', 'wasmplugins', ['v1alpha1'], 'scoped'),
  custom(GATEWAY_API, 'Gateway', 'gateways', ['v1', 'v1beta1'], 'all'),
  custom(GATEWAY_API, 'HTTPRoute', 'httproutes', ['v1', 'v1beta1'], 'scoped'),
  custom(GATEWAY_API, 'GRPCRoute', 'grpcroutes', ['v1', 'v1alpha2'], 'scoped'),
  custom(GATEWAY_API, 'TCPRoute', 'tcproutes', ['v1alpha2'], 'scoped'),
  custom(GATEWAY_API, 'TLSRoute', 'tlsroutes', ['v1alpha2'], 'scoped'),
  custom(GATEWAY_API, 'ReferenceGrant', 'referencegrants', ['v1beta1', 'v1alpha2'], 'all'),
  custom('mesh.cloud.google.com', 'ControlPlaneRevision', 'controlplanerevisions', ['v1beta1'], 'all'),
];
