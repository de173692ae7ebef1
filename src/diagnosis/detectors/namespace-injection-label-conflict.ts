import type { PatchTemplate } from '../../runbooks/schema';
import { toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef, PatchProposal } from '../evidence';
import { fromObject, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod } from '../kube-types';
import { namespaceInjectionLabel, rolloutRestart } from '../patch-templates';
import { hasSidecar } from '../pod-facts';
import { liveImpact, proxyRevision } from '../proxies';
import { servedInjection } from '../webhooks';
import { isAmbientInfrastructurePod } from '../ztunnel';

const INJECTION = 'istio-injection';
const REVISION = 'istio.io/rev';
const DATAPLANE = 'istio.io/dataplane-mode';
const MAX_RESTARTS = 10;

/** What the labels of one namespace ask for, and which request Istio follows. */
interface Conflict {
  labels: string[];
  winner: string;
  /** Pods of the namespace that are not what the losing label asked for. */
  misfits: Pod[];
  /** The revision the namespace's istio.io/rev names, when the fix is to keep it. */
  keepRevision: string | null;
}

function running(pods: Pod[]): Pod[] {
  return pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

function conflictOf(ns: KubeObject, pods: Pod[], served: Set<string>): Conflict | null {
  const labels = ns.metadata?.labels ?? {};
  const injection = labels[INJECTION];
  const rev = labels[REVISION];
  const ambient = labels[DATAPLANE] === 'ambient';
  const shown = [INJECTION, REVISION, DATAPLANE].filter((k) => k in labels).map((k) => `${k}=${labels[k]}`);
  if (injection !== undefined && rev !== undefined) {
    const misfits =
      injection === 'enabled'
        ? pods.filter((p) => hasSidecar(p) && proxyRevision(p) !== rev)
        : pods.filter((p) => !hasSidecar(p));
    const effect =
      injection === 'enabled'
        ? `pods get the sidecar of the default revision (or the revision the "default" tag points to), never ${rev}'s`
        : `no pod gets a sidecar, whatever istio.io/rev says`;
    return {
      labels: shown,
      winner: `${INJECTION}=${injection} takes precedence: every revision's injector webhook requires the namespace to have no ${INJECTION} label, so ${REVISION}=${rev} is ignored and ${effect}`,
      misfits,
      keepRevision: served.has(rev) ? rev : null,
    };
  }
  if (ambient && (injection === 'enabled' || rev !== undefined)) {
    return {
      labels: shown,
      winner: `sidecar injection takes precedence over ambient: pods that get a sidecar are left out of ambient capture, so the namespace runs sidecars and the ${DATAPLANE}=ambient label only applies to pods that opt out of injection`,
      misfits: pods.filter(hasSidecar),
      keepRevision: null,
    };
  }
  return null;
}

function restarts(view: ClusterView, patch: PatchTemplate, refs: ObjectRef[], at: string): PatchProposal[] {
  return refs.slice(0, MAX_RESTARTS).flatMap((ref) => {
    const result = rolloutRestart(patch, ref, at);
    return 'patch' in result && view.object(ref) ? [result.patch] : [];
  });
}

/** Namespaces whose injection labels contradict each other (istio-injection with istio.io/rev, or with ambient). */
export const detectNamespaceInjectionLabelConflict: Detector = ({ view, entry, nowMs }) => {
  if (!view.captured('Namespace')) return { drafts: [], skipped: 'namespaces were not read', detail: '' };
  const served = servedInjection(view).revisions;
  const drafts: Draft[] = [];
  const namespaces = view.list('Namespace');
  for (const ns of namespaces) {
    const name = ns.metadata?.name ?? '';
    // a waypoint's istio-proxy is not an injected sidecar: restarting the waypoint changes nothing
    const pods = running(view.podsIn(name).filter((p) => !isAmbientInfrastructurePod(view, p)));
    const conflict = conflictOf(ns, pods, served);
    if (!conflict) continue;
    const nsRef: ObjectRef = { kind: 'Namespace', namespace: null, name };
    const workloads = uniqueRefs(conflict.misfits.map((p) => view.workloadOfPod(p)));
    const impact = liveImpact(view, workloads, 'info');
    const evidence: EvidenceItem[] = [
      fromObject(nsRef, `labels: ${conflict.labels.join(', ')}`, ns.metadata?.creationTimestamp ?? null),
      ...impact.evidence,
      ...conflict.misfits
        .slice(0, 2)
        .map((p) =>
          fromObject(
            { kind: 'Pod', namespace: name, name: p.metadata?.name ?? '' },
            hasSidecar(p) ? `sidecar injected by revision ${proxyRevision(p) ?? 'unknown'}` : 'no istio-proxy',
            p.metadata?.creationTimestamp ?? null,
          ),
        ),
    ];
    const facts = [
      `Namespace ${name} carries ${conflict.labels.join(' and ')}. ${conflict.winner}.`,
      workloads.length > 0
        ? `Affected: ${workloads.map(refText).join(', ')} (${conflict.misfits.length} pod(s)).`
        : 'No pod in the namespace is affected yet; the next pods created there follow the winning label.',
      impact.fact,
    ];
    const patches: PatchProposal[] = [];
    if (entry.patch && conflict.keepRevision) {
      const label = namespaceInjectionLabel(entry.patch, name, ns.metadata?.labels ?? {}, conflict.keepRevision);
      if ('patch' in label) patches.push(label.patch);
      patches.push(...restarts(view, entry.patch, workloads, nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs)));
    }
    drafts.push({
      resources: [nsRef, ...workloads],
      evidence,
      confidence: 0.95,
      facts,
      patches,
      ...(impact.severity ? { severity: impact.severity } : {}),
    });
  }
  return { drafts, detail: `${namespaces.length} namespace(s) checked for conflicting injection labels` };
};
