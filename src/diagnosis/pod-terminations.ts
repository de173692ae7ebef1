import { toIso, toMs } from '../util/time';
import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import { sameRef } from './evidence-items';
import type { Pod } from './kube-types';

/** One pod of a workload being shut down: when its termination began, and what shows it. */
export interface PodTermination {
  pod: string;
  ms: number;
  time: string;
  /** `Killing event`, `Deleted pod event` or `deletionTimestamp`. */
  seen: string;
}

/** How close a failing request must be to a termination to count as "in the same minutes". */
export const TERMINATION_NEAR_MS = 2 * 60_000;

const DEFAULT_GRACE_SECONDS = 30;

/** Pod names an event names: the pod itself (Killing), or `Deleted pod: NAME` of its ReplicaSet. */
function deletedPod(message: string): string | null {
  return /^Deleted pod: (\S+)/.exec(message)?.[1] ?? null;
}

/**
 * The terminations of a workload's pods the evidence shows: the kubelet's Killing events, the ReplicaSet's
 * SuccessfulDelete events, and pods still terminating (deletionTimestamp minus their grace period). One per
 * pod, the earliest.
 */
export function podTerminations(view: ClusterView, workload: ObjectRef): PodTermination[] {
  const found = new Map<string, PodTermination>();
  const add = (pod: string, ms: number | null, seen: string) => {
    if (ms === null) return;
    const known = found.get(pod);
    if (!known || ms < known.ms) found.set(pod, { pod, ms, time: toIso(ms), seen });
  };
  for (const event of view.evidence.events) {
    if (event.object.namespace !== workload.namespace) continue;
    const at = toMs(event.firstTime) ?? event.ms;
    if (event.reason === 'Killing' && event.object.kind === 'Pod') {
      if (sameRef(view.workloadOfPodName(event.object.namespace, event.object.name), workload))
        add(event.object.name, at, 'Killing event');
    } else if (event.reason === 'SuccessfulDelete' && event.object.kind === 'ReplicaSet') {
      const pod = deletedPod(event.message);
      if (pod && sameRef(view.workloadOfReplicaSet(event.object.namespace, event.object.name), workload))
        add(pod, at, 'Deleted pod event');
    }
  }
  for (const pod of view.podsOfWorkload(workload)) {
    const meta = pod.metadata as (Pod['metadata'] & { deletionTimestamp?: string }) | undefined;
    const deletion = toMs(meta?.deletionTimestamp);
    if (deletion === null) continue;
    const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
    add(meta?.name ?? '', deletion - (grace ?? DEFAULT_GRACE_SECONDS) * 1000, 'deletionTimestamp');
  }
  return [...found.values()].sort((a, b) => a.ms - b.ms);
}

/** The lines logged within TERMINATION_NEAR_MS of a termination, and those terminations. */
export function nearTerminations(
  lines: readonly LogLine[],
  terminations: readonly PodTermination[],
): { lines: LogLine[]; terminations: PodTermination[] } {
  const near = (line: LogLine, t: PodTermination) =>
    line.ms !== null && Math.abs(line.ms - t.ms) <= TERMINATION_NEAR_MS;
  return {
    lines: lines.filter((l) => terminations.some((t) => near(l, t))),
    terminations: terminations.filter((t) => lines.some((l) => near(l, t))),
  };
}
