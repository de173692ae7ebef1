/**
 * Label names that can hold the cluster, best first: Prometheus' external label (`cluster`, added to every
 * alert it sends), Cloud Monitoring's `resource.labels.cluster_name`, OpenTelemetry's `k8s_cluster_name`.
 */
export const CLUSTER_LABELS = [
  'cluster',
  'cluster_name',
  'k8s_cluster',
  'k8s_cluster_name',
  'kubernetes_cluster',
] as const;

/** Label names that can hold the namespace, best first. */
export const NAMESPACE_LABELS = [
  'namespace',
  'kubernetes_namespace',
  'exported_namespace',
  'destination_workload_namespace',
  'destination_service_namespace',
  'namespace_name',
  'source_workload_namespace',
  'k8s_namespace_name',
] as const;

/** How a workload label's value is read: as is, or as a pod name to strip. */
export type WorkloadLabelKind = 'name' | 'pod';

/**
 * Label names that can hold the workload, best first, with the namespace label that belongs to the same
 * side of an Istio metric (so `destination_workload` pairs with `destination_workload_namespace`).
 */
export const WORKLOAD_LABELS: readonly { label: string; kind: WorkloadLabelKind; namespaceLabel?: string }[] = [
  { label: 'deployment', kind: 'name' },
  { label: 'workload', kind: 'name' },
  { label: 'destination_workload', kind: 'name', namespaceLabel: 'destination_workload_namespace' },
  { label: 'destination_workload_name', kind: 'name', namespaceLabel: 'destination_workload_namespace' },
  { label: 'destination_canonical_service', kind: 'name', namespaceLabel: 'destination_workload_namespace' },
  { label: 'app', kind: 'name' },
  { label: 'app_kubernetes_io_name', kind: 'name' },
  { label: 'source_workload', kind: 'name', namespaceLabel: 'source_workload_namespace' },
  { label: 'k8s_deployment_name', kind: 'name' },
  { label: 'statefulset', kind: 'name' },
  { label: 'daemonset', kind: 'name' },
  { label: 'top_level_controller_name', kind: 'name' },
  { label: 'pod', kind: 'pod' },
  { label: 'pod_name', kind: 'pod' },
  { label: 'service', kind: 'name' },
  { label: 'destination_service_name', kind: 'name', namespaceLabel: 'destination_service_namespace' },
];

/** Short human lists of where we looked, for a report's "lacking" line. */
export const LOOKED_FOR = {
  namespace: 'namespace (namespace, kubernetes_namespace, destination_workload_namespace, namespace_name, …)',
  workload: 'workload (deployment, workload, destination_workload, app, pod, …)',
} as const;
