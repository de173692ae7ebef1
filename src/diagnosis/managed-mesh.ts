import type { ObjectRef } from './evidence';
import type { Condition, KubeObject, Workload } from './kube-types';

/** A status condition as Kubernetes objects print them. */

/** Condition types of a ControlPlaneRevision, and the status each has when the revision is healthy. */
const HEALTHY: readonly [type: string, status: string][] = [
  ['ProvisioningFinished', 'True'],
  ['Reconciled', 'True'],
  ['Stalled', 'False'],
];

function conditionsOf(object: KubeObject): Condition[] {
  const status = object.status as { conditions?: Condition[] } | undefined;
  return status?.conditions ?? [];
}

/** `ProvisioningFinished=False (reason): message` for a condition. */
export function conditionText(c: Condition): string {
  const reason = c.reason ? ` (${c.reason})` : '';
  const message = c.message ? `: ${c.message}` : '';
  return `${c.type}=${c.status ?? 'Unknown'}${reason}${message}`;
}

/** What is wrong with one managed control-plane revision. */
export interface RevisionProblem {
  ref: ObjectRef;
  /** The conditions that are not as a healthy revision has them, ProvisioningFinished first. */
  bad: Condition[];
  /** True when ProvisioningFinished is missing altogether (the revision was never provisioned). */
  neverReported: boolean;
  since: string | null;
}

/**
 * A ControlPlaneRevision that is not provisioned: ProvisioningFinished is not True (or absent), or it
 * reports Stalled=True / Reconciled=False. Null for a healthy revision.
 */
export function revisionProblem(revision: KubeObject): RevisionProblem | null {
  const conditions = conditionsOf(revision);
  const bad = HEALTHY.flatMap(([type, healthy]) => {
    const c = conditions.find((x) => x.type === type);
    return c && c.status !== healthy ? [c] : [];
  });
  const provisioned = conditions.find((c) => c.type === 'ProvisioningFinished');
  if (provisioned?.status === 'True' && bad.length === 0) return null;
  const ref: ObjectRef = {
    kind: revision.kind ?? 'ControlPlaneRevision',
    namespace: revision.metadata?.namespace ?? null,
    name: revision.metadata?.name ?? '',
  };
  return {
    ref,
    bad,
    neverReported: !provisioned,
    since: (bad[0] ?? provisioned)?.lastTransitionTime ?? revision.metadata?.creationTimestamp ?? null,
  };
}

/** What is wrong with the managed data-plane controller, or null when it is available. */
export function controllerProblem(deployment: Workload): string | null {
  const desired = deployment.spec?.replicas ?? 1;
  const available = deployment.status?.availableReplicas ?? 0;
  const conditions = deployment.status?.conditions ?? [];
  const failing = conditions.filter(
    (c) =>
      (c.type === 'Available' && c.status === 'False') ||
      (c.type === 'Progressing' && c.status === 'False') ||
      (c.type === 'ReplicaFailure' && c.status === 'True'),
  );
  if (desired > 0 && available === 0) {
    const why = failing.map((c) => conditionText(c)).join('; ');
    return `0/${desired} replica(s) available${why ? `; ${why}` : ''}`;
  }
  if (failing.length > 0) return failing.map((c) => conditionText(c)).join('; ');
  return null;
}
