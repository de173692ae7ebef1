/**
 * The subset of Kubernetes object fields the detectors read. Every field is optional:
 * snapshots come from many cluster versions and tools, and a missing field must never crash.
 */

/** Metadata shared by every Kubernetes object. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  resourceVersion?: string;
  generation?: number;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
}

/** Any Kubernetes object as printed by `kubectl get -o json`. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

export interface ContainerSpec {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: { name?: string; value?: string }[];
  restartPolicy?: string;
  securityContext?: { capabilities?: { add?: string[]; drop?: string[] }; runAsUser?: number; privileged?: boolean };
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  hostNetwork?: boolean;
  nodeName?: string;
}

/** A status condition, as Kubernetes, Istio and Gateway API objects write them. */
export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number | string;
}

export interface PodStatus {
  phase?: string;
  startTime?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  podIP?: string;
}

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface Workload extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
    numberReady?: number;
    desiredNumberScheduled?: number;
    conditions?: Condition[];
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

export interface Service extends KubeObject {
  spec?: {
    clusterIP?: string;
    type?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port?: number; targetPort?: number | string; appProtocol?: string }[];
  };
}

export interface Endpoints extends KubeObject {
  subsets?: { addresses?: { ip?: string }[]; notReadyAddresses?: { ip?: string }[] }[];
}

export interface EndpointSlice extends KubeObject {
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
}

export interface WebhookClientConfig {
  caBundle?: string;
  url?: string;
  service?: { name?: string; namespace?: string; path?: string; port?: number };
}

export interface Webhook {
  name?: string;
  clientConfig?: WebhookClientConfig;
  failurePolicy?: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

export interface WebhookConfiguration extends KubeObject {
  webhooks?: Webhook[];
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** API group of Kubernetes Gateway API kinds. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * The key evidence files an object under. It is the object's kind, except where two API groups use the
 * same kind: Istio's `Gateway` (networking.istio.io) keeps `Gateway`, and Gateway API's is
 * `Gateway.gateway.networking.k8s.io`, so detectors never mix them up.
 */
export function evidenceKind(apiVersion: string | undefined, kind: string | undefined): string {
  const k = kind ?? 'Unknown';
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group === GATEWAY_API_GROUP && k === 'Gateway' ? `${k}.${GATEWAY_API_GROUP}` : k;
}
