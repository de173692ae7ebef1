import type { ClusterView } from '../cluster-view';
import { isAppContainer } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject, refText } from '../evidence-items';
import type { ContainerSpec, Pod, PodSpec, Workload } from '../kube-types';
import { hasSidecar } from '../pod-facts';

/** The UID istio-proxy runs as; istio-iptables lets its traffic (and anyone else's with it) out unredirected. */
export const PROXY_UID = 1337;

type SpecWithContext = PodSpec & { securityContext?: { runAsUser?: number } };

/** The UID each application container runs as, when the pod spec says it (container first, then pod). */
export function appUids(spec: SpecWithContext | undefined): { container: string; uid: number; from: string }[] {
  const podUid = spec?.securityContext?.runAsUser;
  const containers: ContainerSpec[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  return containers
    .filter((c) => isAppContainer(c.name))
    .flatMap((c) => {
      const own = c.securityContext?.runAsUser;
      if (own !== undefined) return [{ container: c.name ?? '', uid: own, from: 'its securityContext.runAsUser' }];
      return podUid !== undefined
        ? [{ container: c.name ?? '', uid: podUid, from: "the pod's securityContext.runAsUser" }]
        : [];
    });
}

function revision(rs: Workload): number {
  return Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

/** When a Deployment's ReplicaSets show it, the revision that brought UID 1337 and what ran before. */
function changeThatStartedIt(view: ClusterView, workload: ObjectRef): string | null {
  if (workload.kind !== 'Deployment') return null;
  const sets = view
    .list<Workload>('ReplicaSet')
    .filter(
      (rs) =>
        rs.metadata?.namespace === workload.namespace &&
        rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === workload.name),
    )
    .sort((a, b) => revision(a) - revision(b));
  const runsAsProxy = (rs: Workload) =>
    appUids(rs.spec?.template?.spec as SpecWithContext | undefined).some((u) => u.uid === PROXY_UID);
  let first = sets.length - 1;
  while (first > 0 && sets[first - 1] && runsAsProxy(sets[first - 1]!)) first--;
  const start = sets[first];
  if (!start || !runsAsProxy(start)) return null;
  const at = start.metadata?.creationTimestamp ?? 'an unknown time';
  const before = sets[first - 1];
  if (!before)
    return `Every ReplicaSet read of ${refText(workload)} runs as UID ${PROXY_UID}, the first one created at ${at}.`;
  const uids = [...new Set(appUids(before.spec?.template?.spec as SpecWithContext | undefined).map((u) => u.uid))];
  return `UID ${PROXY_UID} arrived with ReplicaSet ${start.metadata?.name} (revision ${revision(start)}, created ${at}); revision ${revision(before)} ran ${uids.length > 0 ? `as UID ${uids.join(', ')}` : 'without a runAsUser'}.`;
}

/**
 * Application containers running as UID 1337 in pods with an Istio sidecar: the iptables rules
 * istio-init writes exempt that UID, so their outbound traffic skips the sidecar (no mTLS, no
 * policy, no telemetry). Matches istioctl analyze IST0144.
 */
export const detectAppRunsAsProxyUid: Detector = ({ view }) => {
  if (!view.captured('Pod')) return { drafts: [], skipped: 'no Pods captured', detail: '' };
  const meshed = view.pods().filter((p) => hasSidecar(p));
  const byWorkload = new Map<string, { workload: ObjectRef; pods: Pod[]; containers: Set<string>; why: string }>();
  for (const pod of meshed) {
    const offenders = appUids(pod.spec as SpecWithContext).filter((u) => u.uid === PROXY_UID);
    if (offenders.length === 0) continue;
    const workload = view.workloadOfPod(pod);
    const key = refText(workload);
    const entry = byWorkload.get(key) ?? {
      workload,
      pods: [],
      containers: new Set<string>(),
      why: offenders.map((o) => `container ${o.container} runs as UID ${PROXY_UID} from ${o.from}`).join('; '),
    };
    entry.pods.push(pod);
    for (const o of offenders) entry.containers.add(o.container);
    byWorkload.set(key, entry);
  }
  const drafts: Draft[] = [...byWorkload.values()].map(({ workload, pods, containers, why }) => {
    const facts = [
      `${pods.length} pod(s) of ${refText(workload)} with an istio-proxy sidecar: ${why}. Its outbound connections leave the pod without the sidecar.`,
    ];
    const change = changeThatStartedIt(view, workload);
    if (change) facts.push(change);
    facts.push(
      "No failing requests are tied to it in the logs read: traffic that skips the sidecar never reaches the sidecar's access log.",
    );
    return {
      resources: [workload],
      evidence: pods
        .slice(0, 3)
        .map((pod) =>
          fromObject(
            { kind: 'Pod', namespace: pod.metadata?.namespace ?? null, name: pod.metadata?.name ?? '' },
            `${[...containers].join(', ')} run(s) as UID ${PROXY_UID} beside istio-proxy`,
          ),
        ),
      confidence: 0.9,
      facts,
    };
  });
  return {
    drafts,
    detail: `${meshed.length} pod(s) with a sidecar checked for application containers running as UID ${PROXY_UID}`,
  };
};
