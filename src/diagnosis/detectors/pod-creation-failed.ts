import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromEvent, fromObject } from '../evidence-items';
import { createFailures } from '../failed-create';
import type { Workload } from '../kube-types';
import { toMs } from '../../util/time';

/** Controllers older than this with no pods at all are suspicious even without events. */
const STALE_MS = 5 * 60_000;

/** A controller exists but its pods are never created, for a reason no more specific runbook explains. */
export const detectPodCreationFailed: Detector = ({ view, catalog, nowMs }) => {
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  for (const failure of createFailures(view, catalog).get('pod-creation-failed') ?? []) {
    if (!failure.current) continue;
    const controller = view.object<Workload>(failure.owner);
    const evidence = failure.events.slice(0, 3).map((e) => fromEvent(e));
    if (controller)
      evidence.push(
        fromObject(
          failure.owner,
          `wants ${controller.spec?.replicas ?? '?'} pod(s), has ${controller.status?.replicas ?? 0}`,
        ),
      );
    seen.add(`${failure.owner.namespace}/${failure.owner.name}`);
    const refs: ObjectRef[] = [failure.workload, failure.owner];
    drafts.push({
      resources: refs,
      evidence,
      confidence: 0.8 + (controller ? 0.1 : 0),
      facts: [`The ${failure.owner.kind} cannot create pods: ${failure.events[0]?.message ?? ''}`],
    });
  }
  for (const rs of view.list<Workload>('ReplicaSet')) {
    const ref: ObjectRef = {
      kind: 'ReplicaSet',
      namespace: rs.metadata?.namespace ?? null,
      name: rs.metadata?.name ?? '',
    };
    const desired = rs.spec?.replicas ?? 0;
    const created = toMs(rs.metadata?.creationTimestamp);
    if (desired === 0 || (rs.status?.replicas ?? 0) > 0 || seen.has(`${ref.namespace}/${ref.name}`)) continue;
    if (nowMs === null || created === null || nowMs - created < STALE_MS) continue;
    if (view.eventsFor('ReplicaSet', ref.namespace, ref.name).some((e) => e.reason === 'FailedCreate')) continue;
    if (
      view
        .pods()
        .some(
          (p) =>
            p.metadata?.namespace === ref.namespace && p.metadata?.ownerReferences?.some((o) => o.name === ref.name),
        )
    )
      continue;
    drafts.push({
      resources: [view.workloadOfReplicaSet(ref.namespace, ref.name), ref],
      evidence: [fromObject(ref, `wants ${desired} pod(s) and has none since ${rs.metadata?.creationTimestamp}`)],
      confidence: 0.5,
      facts: [
        `No FailedCreate event was captured: run kubectl -n ${ref.namespace} describe replicaset ${ref.name} and read the events at the bottom.`,
      ],
    });
  }
  return { drafts, detail: `${view.list('ReplicaSet').length} ReplicaSet(s) and their FailedCreate events checked` };
};
