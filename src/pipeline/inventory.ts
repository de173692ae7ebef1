import type { Evidence, Target } from '../diagnosis/evidence';
import { namespaceNames, workloadNames } from '../diagnosis/target';

/** What a read showed to exist: every namespace (when listed), and the workloads of the namespaces read. */
export interface InventoryUpdate {
  /** All namespaces, or null when the namespace list could not be read. */
  namespaces: string[] | null;
  /** Workload names (Deployments, StatefulSets, DaemonSets, pod owners, bare pods) by namespace read. */
  workloads: Map<string, string[]>;
}

/** What is known to exist, and since when, for the bot to answer a mistyped target without queueing it. */
export interface Inventory {
  namespaces: { names: string[]; atMs: number } | null;
  workloads(namespace: string): Promise<{ names: string[]; atMs: number } | null>;
}

/** Where the worker records what exists, and the bot reads it. */
export interface InventoryStore {
  record(update: InventoryUpdate, atMs: number): Promise<void>;
  read(): Promise<Inventory>;
}

/**
 * What a diagnosis's read shows to exist. Workloads are recorded for the target namespace (or every
 * namespace, for a cluster-wide read) only when pods and Deployments were both read, so a failed read is
 * never taken for "none exist".
 */
export function inventoryOf(evidence: Evidence, target: Target): InventoryUpdate {
  const namespaces = evidence.capturedKinds.has('Namespace') ? namespaceNames(evidence) : null;
  const workloads = new Map<string, string[]>();
  if (evidence.capturedKinds.has('Pod') && evidence.capturedKinds.has('Deployment')) {
    for (const ns of target.namespace ? [target.namespace] : (namespaces ?? [])) workloads.set(ns, []);
    for (const w of workloadNames(evidence, target.namespace)) workloads.get(w.namespace)?.push(w.name);
  }
  return { namespaces, workloads };
}
