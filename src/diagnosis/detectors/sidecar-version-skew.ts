import { toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef, PatchProposal } from '../evidence';
import { fromObject, refText, sameRef } from '../evidence-items';
import type { Pod } from '../kube-types';
import { rolloutRestart } from '../patch-templates';
import { hasSidecar } from '../pod-facts';
import type { InjectedProxy } from '../proxies';
import { imageTag, injectedProxy, liveImpact, proxyContainer, proxyRevision } from '../proxies';
import { injectorConfigs, servedInjection } from '../webhooks';
import { isZtunnelPod } from '../ztunnel';

const MAX_RESTARTS = 10;
/** A pod that pins its proxy image on purpose. */
const PINNED_IMAGE = 'sidecar.istio.io/proxyImage';

/** Running pods of one workload whose proxy differs from what their revision's injector injects now. */
interface Skewed {
  workload: ObjectRef;
  pods: Pod[];
  images: Set<string>;
}

/** What the pods of one revision are compared with: the injector's current proxy, or nothing (revision gone). */
interface RevisionGroup {
  revision: string;
  current: InjectedProxy | null;
  skewed: Skewed[];
}

/**
 * Running pods with an injected istio-proxy. ztunnel's container is also named istio-proxy, but its image
 * comes from the ztunnel DaemonSet, not from the injector: a restart would not change it.
 */
function live(pod: Pod): boolean {
  return hasSidecar(pod) && !isZtunnelPod(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

function add(group: RevisionGroup, workload: ObjectRef, pod: Pod, image: string): void {
  let entry = group.skewed.find((s) => sameRef(s.workload, workload));
  if (!entry) {
    entry = { workload, pods: [], images: new Set() };
    group.skewed.push(entry);
  }
  entry.pods.push(pod);
  entry.images.add(image);
}

function groups(view: ClusterView, controlPlane: readonly string[]): RevisionGroup[] {
  const served = servedInjection(view);
  // A revision counts as removed only when other injectors are visible: with none at all, the webhooks were
  // probably not readable or the mesh is managed elsewhere.
  const injectorsSeen = injectorConfigs(view).length > 0;
  const byRevision = new Map<string, RevisionGroup>();
  for (const pod of view.pods().filter(live)) {
    if (pod.metadata?.annotations?.[PINNED_IMAGE]) continue;
    const image = proxyContainer(pod)?.image;
    // image "auto" is the gateway placeholder the injector never replaced: image-auto-not-injected
    if (!image || image === 'auto') continue;
    const revision = proxyRevision(pod) ?? 'default';
    let group = byRevision.get(revision);
    if (!group) {
      group = { revision, current: injectedProxy(view, controlPlane, revision), skewed: [] };
      byRevision.set(revision, group);
    }
    const installed = served.revisions.has(revision) || (revision === 'default' && served.defaultLabel);
    const stale = group.current ? imageTag(image) !== group.current.tag : injectorsSeen && !installed;
    if (stale) add(group, view.workloadOfPod(pod), pod, image);
  }
  return [...byRevision.values()].filter((g) => g.skewed.length > 0);
}

function describe(group: RevisionGroup): string {
  const c = group.current;
  if (!c)
    return `revision ${group.revision} is no longer installed: no injector webhook serves it and no istiod of that revision was found`;
  const since = c.since ? ` (since ${c.since})` : '';
  return `the injector of revision ${group.revision} now injects ${c.image ?? `proxy tag ${c.tag}`}, per ${refText(c.source)}${since}`;
}

function draftOf(view: ClusterView, group: RevisionGroup, patches: PatchProposal[]): Draft {
  const workloads = group.skewed.map((s) => s.workload);
  const impact = liveImpact(view, workloads, 'info');
  const pods = group.skewed.flatMap((s) => s.pods);
  const evidence: EvidenceItem[] = [
    ...(group.current
      ? [
          fromObject(
            group.current.source,
            `injects ${group.current.image ?? `tag ${group.current.tag}`}`,
            group.current.since,
          ),
        ]
      : []),
    ...impact.evidence,
    ...pods
      .slice(0, 3)
      .map((p) =>
        fromObject(
          { kind: 'Pod', namespace: p.metadata?.namespace ?? null, name: p.metadata?.name ?? '' },
          `istio-proxy ${proxyContainer(p)?.image ?? '?'} (revision ${group.revision}), created ${p.metadata?.creationTimestamp ?? 'at an unknown time'}`,
          p.metadata?.creationTimestamp ?? null,
        ),
      ),
  ];
  const facts = [
    `${pods.length} running pod(s) of ${workloads.map(refText).join(', ')} carry ${[...new Set(group.skewed.flatMap((s) => [...s.images]))].join(', ')}, but ${describe(group)}: they were injected before the change and have not been restarted since.`,
    impact.fact,
  ];
  return {
    resources: [...workloads, ...(group.current ? [group.current.source] : [])],
    evidence,
    confidence: group.current?.image ? 0.9 : 0.8,
    facts,
    patches,
    ...(impact.severity ? { severity: impact.severity } : {}),
  };
}

/** Running proxies whose image differs from what their revision's injector injects now (not restarted after an upgrade). */
export const detectSidecarVersionSkew: Detector = ({ view, entry, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured('Pod')) return { drafts: [], skipped: 'pods were not read', detail: '' };
  if (!view.captured('ConfigMap') && !view.captured('Deployment'))
    return { drafts: [], skipped: 'neither the injector ConfigMaps nor the istiod Deployments were read', detail: '' };
  const found = groups(view, controlPlaneNamespaces);
  const at = nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs);
  const drafts = found.map((group) => {
    const patches = entry.patch
      ? group.skewed.slice(0, MAX_RESTARTS).flatMap((s) => {
          const restart = rolloutRestart(entry.patch!, s.workload, at);
          return 'patch' in restart ? [restart.patch] : [];
        })
      : [];
    return draftOf(view, group, patches);
  });
  const proxies = view.pods().filter(live).length;
  return { drafts, detail: `${proxies} running pod(s) with istio-proxy compared with their injector` };
};
