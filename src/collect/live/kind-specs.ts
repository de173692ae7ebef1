import type { KubeObject } from '../../diagnosis/kube-types';
import type { KubeApis } from './kube-apis';
import type { Page, PageArgs } from './wire-list';
import { listPath } from './wire-list';

export type { Page, PageArgs } from './wire-list';

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

/** A kind listed at its API path: in one namespace when the page names one, else across all (or cluster-wide). */
function kindSpec(
  kind: string,
  resource: string,
  apiVersion: string,
  scope: Scope,
  extra: Partial<KindSpec> = {},
): KindSpec {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return {
    kind,
    resource,
    group,
    scope,
    typed: true,
    apiVersion,
    list: (apis, args) => apis.list(listPath(apiVersion, resource, args.namespace), args),
    ...extra,
  };
}

/** A custom resource read at the first of `versions` the cluster serves. */
function custom(group: string, kind: string, plural: string, versions: string[], scope: Scope): KindSpec[] {
  return versions.map((version) => kindSpec(kind, plural, `${group}/${version}`, scope, { typed: false }));
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
export const CRD_SPEC: KindSpec = kindSpec(
  'CustomResourceDefinition',
  'customresourcedefinitions',
  'apiextensions.k8s.io/v1',
  'cluster',
);

/**
 * What the detectors need, in the order it is read. Alternatives for one kind (newer API first) are
 * tried in turn when a version is not served.
 */
export const KIND_SPECS: KindSpec[][] = [
  [CRD_SPEC],
  [kindSpec('Namespace', 'namespaces', 'v1', 'cluster')],
  [kindSpec('Node', 'nodes', 'v1', 'cluster')],
  [kindSpec('Pod', 'pods', 'v1', 'scoped')],
  [kindSpec('Service', 'services', 'v1', 'all')],
  [kindSpec('Endpoints', 'endpoints', 'v1', 'scoped')],
  [kindSpec('ConfigMap', 'configmaps', 'v1', 'control-plane', { keep: isMeshConfigMap })],
  [kindSpec('ResourceQuota', 'resourcequotas', 'v1', 'all')],
  [
    kindSpec('Secret', 'secrets', 'v1', 'all', {
      optional: `secrets not readable (optional permission: ${SECRETS_PERMISSION} grants list on secrets; only their type, key names and TLS certificate facts are kept)`,
    }),
  ],
  [kindSpec('Deployment', 'deployments', 'apps/v1', 'scoped')],
  [kindSpec('ReplicaSet', 'replicasets', 'apps/v1', 'scoped')],
  [kindSpec('StatefulSet', 'statefulsets', 'apps/v1', 'scoped')],
  [kindSpec('DaemonSet', 'daemonsets', 'apps/v1', 'all')],
  [kindSpec('Event', 'events', 'events.k8s.io/v1', 'scoped'), kindSpec('Event', 'events', 'v1', 'scoped')],
  [
    kindSpec(
      'MutatingWebhookConfiguration',
      'mutatingwebhookconfigurations',
      'admissionregistration.k8s.io/v1',
      'cluster',
    ),
  ],
  [
    kindSpec(
      'ValidatingWebhookConfiguration',
      'validatingwebhookconfigurations',
      'admissionregistration.k8s.io/v1',
      'cluster',
    ),
  ],
  [kindSpec('NetworkPolicy', 'networkpolicies', 'networking.k8s.io/v1', 'all')],
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
