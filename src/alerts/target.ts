import { isResourceName, workloadFromPod } from './k8s-names';
import { mergeLabels } from './merge-labels';
import { CLUSTER_LABELS, LOOKED_FOR, NAMESPACE_LABELS, WORKLOAD_LABELS } from './target-labels';
import { isClusterName } from '../util/cluster-name';

/** What an alert points at, and how we know. */
export interface AlertTarget {
  /** The cluster the alert names (a cluster label), or null: the bot then uses the only cluster served. */
  cluster: string | null;
  /**
   * Other names the same cluster may be served under: for a Cloud Monitoring incident on a GKE resource
   * (`project_id`, `location`, `cluster_name`), the kubeconfig context gcloud writes for it
   * (`gke_PROJECT_LOCATION_CLUSTER`), the name a worker serving contexts announces.
   */
  clusterAliases?: string[];
  namespace: string | null;
  /** Only set together with a namespace. */
  workload: string | null;
  /** Short human texts of what was missing, e.g. `namespace (namespace, kubernetes_namespace, …)`. */
  lacking: string[];
  /** The label names the namespace and workload were read from. */
  from: string[];
}

interface Found {
  value: string;
  label: string;
  namespaceLabel?: string;
}

function findWorkload(labels: Record<string, string>): Found | null {
  const found = WORKLOAD_LABELS.flatMap(({ label, kind, namespaceLabel }) => {
    const value = kind === 'pod' ? (workloadFromPod(labels[label]) ?? undefined) : labels[label];
    return isResourceName(value) ? [{ value, label, namespaceLabel }] : [];
  });
  const first = found[0];
  if (first?.label.startsWith('source_')) return found.find((f) => f.label.startsWith('destination_')) ?? first;
  return first ?? null;
}

function findNamespace(labels: Record<string, string>, workload: Found | null): Found | null {
  const candidates = workload?.namespaceLabel ? [workload.namespaceLabel, ...NAMESPACE_LABELS] : NAMESPACE_LABELS;
  for (const label of candidates) {
    const value = labels[label];
    if (isResourceName(value)) return { value, label };
  }
  return null;
}

/** The first cluster label set, trimmed (a value with spaces, commas or semicolons is no cluster name). */
export function clusterOf(labels: Record<string, string>): string | null {
  for (const label of CLUSTER_LABELS) {
    const value = labels[label]?.trim();
    if (value && isClusterName(value)) return value;
  }
  return null;
}

/** The gcloud kubeconfig context of a GKE cluster named by its project, location and name, if the labels say. */
export function clusterAliasesOf(labels: Record<string, string>, cluster: string | null): string[] {
  const project = labels.project_id?.trim();
  const location = labels.location?.trim();
  if (!cluster || !project || !location) return [];
  const context = `gke_${project}_${location}_${cluster}`;
  return isClusterName(context) && context !== cluster ? [context] : [];
}

/** Finds the cluster, namespace and workload an alert's labels point at. A workload without a namespace is dropped. */
export function extractTarget(labels: Record<string, string>): AlertTarget {
  const found = clusterOf(labels);
  const aliases = clusterAliasesOf(labels, found);
  const cluster = { cluster: found, ...(aliases.length ? { clusterAliases: aliases } : {}) };
  const workload = findWorkload(labels);
  const namespace = findNamespace(labels, workload);
  if (!namespace) {
    return {
      ...cluster,
      namespace: null,
      workload: null,
      lacking: [LOOKED_FOR.namespace, ...(workload ? [] : [LOOKED_FOR.workload])],
      from: [],
    };
  }
  if (!workload) {
    return {
      ...cluster,
      namespace: namespace.value,
      workload: null,
      lacking: [LOOKED_FOR.workload],
      from: [namespace.label],
    };
  }
  return {
    ...cluster,
    namespace: namespace.value,
    workload: workload.value,
    lacking: [],
    from: [namespace.label, workload.label],
  };
}

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.map((v) => v ?? '(none)'))];
}

function names(values: readonly string[]): string {
  return values.length > 5 ? `${values.slice(0, 5).join(', ')}, …` : values.join(', ');
}

/**
 * The target of an Alertmanager group: the common target if all alerts agree, the namespace alone if they only
 * share that, else no target, with `lacking` saying that the alerts span several namespaces or workloads.
 * `common` is the group's commonLabels: they fill in only labels an alert lacks, so pass commonLabels, not the
 * notification's merged `labels` (which carry the first alert's own labels).
 */
export function extractGroupTarget(alertLabels: Record<string, string>[], common: Record<string, string>): AlertTarget {
  const targets = alertLabels.map((labels) => extractTarget(mergeLabels([labels, common])));
  const first = targets[0];
  if (!first) return extractTarget(common);
  const clusters = distinct(targets.map((t) => t.cluster));
  if (clusters.length > 1) {
    const span = `the ${targets.length} alerts span ${clusters.length} clusters: ${names(clusters)}`;
    return { cluster: null, namespace: null, workload: null, lacking: [`one cluster (${span})`], from: [] };
  }
  if (targets.every((t) => t.namespace === first.namespace && t.workload === first.workload)) return first;
  const namespaces = distinct(targets.map((t) => t.namespace));
  if (first.namespace !== null && namespaces.length === 1) {
    const workloads = distinct(targets.map((t) => t.workload));
    return {
      cluster: first.cluster,
      ...(first.clusterAliases ? { clusterAliases: first.clusterAliases } : {}),
      namespace: first.namespace,
      workload: null,
      lacking: [`one workload (the ${targets.length} alerts name ${workloads.length}: ${names(workloads)})`],
      from: distinct(targets.map((t) => t.from[0] ?? null)),
    };
  }
  const span = `the ${targets.length} alerts span ${namespaces.length} namespaces: ${names(namespaces)}`;
  return {
    cluster: first.cluster,
    ...(first.clusterAliases ? { clusterAliases: first.clusterAliases } : {}),
    namespace: null,
    workload: null,
    lacking: [`one namespace (${span})`],
    from: [],
  };
}
