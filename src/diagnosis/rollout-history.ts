import type { ClusterView } from './cluster-view';
import type { Draft } from './detector';
import type { ObjectRef } from './evidence';
import type { Pod, Workload } from './kube-types';
import { podReady } from './pod-facts';
import { toMs } from '../util/time';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** A workload whose latest rollout has finished: when it started, and the workload. */
export interface CompletedRollout {
  workload: ObjectRef;
  atMs: number;
  at: string;
}

function newestReplicaSetMs(view: ClusterView, deployment: ObjectRef): number | null {
  let newest: number | null = null;
  for (const rs of view.list<Workload>('ReplicaSet')) {
    if (rs.metadata?.namespace !== deployment.namespace) continue;
    const owner = rs.metadata?.ownerReferences?.find((o) => o.controller) ?? rs.metadata?.ownerReferences?.[0];
    if (owner?.kind !== 'Deployment' || owner.name !== deployment.name) continue;
    const ms = toMs(rs.metadata?.creationTimestamp);
    if (ms !== null && (newest === null || ms > newest)) newest = ms;
  }
  return newest;
}

/** True when every wanted replica runs the current template and is available. */
function rolledOut(workload: Workload): boolean {
  const status = workload.status ?? {};
  if (workload.kind === 'DaemonSet') {
    const desired = status.desiredNumberScheduled ?? 0;
    const extra = status as { updatedNumberScheduled?: number; numberAvailable?: number };
    return desired > 0 && extra.updatedNumberScheduled === desired && (extra.numberAvailable ?? 0) >= desired;
  }
  const wanted = workload.spec?.replicas ?? 1;
  if (wanted === 0) return false;
  const observed = status.observedGeneration === undefined || workload.metadata?.generation === undefined;
  const current = observed || status.observedGeneration === workload.metadata?.generation;
  const updated = status.updatedReplicas ?? (workload.kind === 'StatefulSet' ? status.replicas : undefined);
  return (
    current &&
    updated === wanted &&
    (status.readyReplicas ?? 0) >= wanted &&
    (status.replicas ?? wanted) === wanted &&
    (workload.kind === 'StatefulSet' || (status.availableReplicas ?? 0) >= wanted)
  );
}

/** Earliest creation of the workload's current pods: they all come from the finished rollout. */
function oldestPodMs(pods: Pod[]): number | null {
  const times = pods.map((p) => toMs(p.metadata?.creationTimestamp)).filter((t): t is number => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
}

/** The finished rollout of a workload, when the evidence shows one and when it started. */
export function completedRollout(view: ClusterView, ref: ObjectRef): CompletedRollout | null {
  if (!WORKLOAD_KINDS.has(ref.kind)) return null;
  const workload = view.object<Workload>(ref);
  if (!workload || !rolledOut(workload)) return null;
  const pods = view.podsOfWorkload(ref);
  if (pods.length === 0) return null;
  const atMs = ref.kind === 'Deployment' ? (newestReplicaSetMs(view, ref) ?? oldestPodMs(pods)) : oldestPodMs(pods);
  if (atMs === null) return null;
  const unready = pods.some((p) => !podReady(p));
  if (unready) return null;
  return { workload: ref, atMs, at: new Date(atMs).toISOString() };
}

/**
 * A draft whose every dated piece of evidence comes from before its workload's latest finished rollout,
 * and nothing dated since: the problem is history. Returns the rollout, or null when the draft is current
 * (evidence since the rollout, evidence with no time, or no finished rollout).
 */
export function rolloutAfterEvidence(view: ClusterView, draft: Draft): CompletedRollout | null {
  if (draft.evidence.length === 0) return null;
  const times = draft.evidence.map((e) => toMs(e.timestamp));
  if (times.some((t) => t === null)) return null;
  const latest = Math.max(...(times as number[]));
  for (const ref of draft.resources) {
    const rollout = completedRollout(view, ref);
    if (rollout && rollout.atMs > latest) return rollout;
  }
  return null;
}
