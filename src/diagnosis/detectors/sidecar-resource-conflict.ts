import type { AccessSymptom } from '../access-symptoms';
import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef, Severity } from '../evidence';
import { fromObject, refText, sameRef } from '../evidence-items';
import type { KubeObject, Pod } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import { workloadsOfPods } from '../routing';

interface SidecarResource extends KubeObject {
  spec?: { workloadSelector?: { labels?: Record<string, string> }; egress?: { hosts?: string[] }[] };
}

function selectorOf(sidecar: SidecarResource): Record<string, string> | null {
  const labels = sidecar.spec?.workloadSelector?.labels;
  return labels && Object.keys(labels).length > 0 ? labels : null;
}

function selects(selector: Record<string, string>, pod: Pod): boolean {
  return Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v);
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** "Sidecar a (created T1), Sidecar b (created T2)": the newest one last, the one that made the conflict. */
function byAge(sidecars: SidecarResource[]): SidecarResource[] {
  return [...sidecars].sort((a, b) =>
    (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''),
  );
}

function newestFact(sidecars: SidecarResource[]): string | null {
  const newest = byAge(sidecars).at(-1);
  const at = newest?.metadata?.creationTimestamp;
  return newest && at ? `The newest of them, Sidecar ${newest.metadata?.name}, was created at ${at}.` : null;
}

/**
 * Outbound requests of the given workloads' proxies that went to the BlackHoleCluster (HTTP 502 on route
 * `block_all`, TCP closed at once): hosts outside the Sidecar scope that applies to them now.
 */
function blackholed(view: ClusterView, workloads: ObjectRef[]): AccessSymptom[] {
  if (workloads.length === 0) return [];
  return accessSymptoms(
    view,
    (record, line) =>
      (record.cluster?.special === 'BlackHoleCluster' || record.routeName === 'block_all') &&
      line.pod !== null &&
      line.pod !== undefined &&
      workloads.some((w) => sameRef(w, view.workloadOfPodName(line.namespace, line.pod ?? ''))),
  );
}

/**
 * A finding for ambiguous Sidecars: critical with the requests they block now (each host's count and times),
 * else `quiet` severity and the no-symptom fact.
 */
function draftOf(
  view: ClusterView,
  nowMs: number | null,
  sidecars: SidecarResource[],
  workloads: ObjectRef[],
  why: (s: SidecarResource) => string,
  facts: string[],
  quiet: Severity,
): Draft {
  const refs = byAge(sidecars).map((s) => refOf(s, 'Sidecar'));
  const symptoms = blackholed(view, workloads);
  const live = symptoms.length > 0;
  return {
    resources: [...refs, ...workloads],
    evidence: [
      ...byAge(sidecars).map((s) => fromObject(refOf(s, 'Sidecar'), why(s))),
      ...symptoms.map(symptomEvidence),
    ],
    confidence: quiet === 'info' ? 0.7 : live ? 0.95 : 0.9,
    facts: [
      ...facts,
      ...(live
        ? [
            ...symptoms.map((s) => symptomText(s, nowMs)),
            'These requests went to the BlackHoleCluster: their hosts are outside the egress scope of the Sidecar that applies now, so the ambiguity is blocking traffic.',
          ]
        : [noSymptomFact(view)]),
    ],
    severity: live ? 'critical' : quiet,
  };
}

/**
 * Sidecar resources that make a workload's proxy scope ambiguous or do nothing (istioctl analyze IST0110,
 * IST0111, IST0127): several namespace-wide Sidecars in one namespace, several Sidecars whose
 * workloadSelector matches one pod, and a Sidecar whose selector matches no pod of its namespace.
 */
export const detectSidecarResourceConflict: Detector = ({ view, nowMs }) => {
  if (!view.captured('Sidecar')) return { drafts: [], skipped: 'Sidecar resources were not read', detail: '' };
  const sidecars = view.list<SidecarResource>('Sidecar');
  const podsRead = view.captured('Pod');
  const pods = view.pods().filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const drafts: Draft[] = [];
  const namespaces = [...new Set(sidecars.map((s) => s.metadata?.namespace ?? ''))];
  for (const namespace of namespaces) {
    const here = sidecars.filter((s) => (s.metadata?.namespace ?? '') === namespace);
    const inNamespace = pods.filter((p) => p.metadata?.namespace === namespace && hasSidecar(p));
    const wide = here.filter((s) => !selectorOf(s));
    const selecting = here.filter((s) => selectorOf(s));
    if (wide.length > 1) {
      const unselected = inNamespace.filter((p) => !selecting.some((s) => selects(selectorOf(s)!, p)));
      const workloads = workloadsOfPods(view, unselected);
      drafts.push(
        draftOf(
          view,
          nowMs,
          wide,
          workloads,
          () => `one of ${wide.length} Sidecars without a workloadSelector in namespace ${namespace}`,
          [
            `Namespace ${namespace} has ${wide.length} Sidecars without a workloadSelector (${byAge(wide)
              .map((s) => s.metadata?.name)
              .join(', ')}); Istio applies only one of them, and which one is not defined.`,
            ...(workloads.length > 0 ? [`They are the default scope of ${workloads.map(refText).join(', ')}.`] : []),
            ...[newestFact(wide)].filter((f): f is string => f !== null),
          ],
          'warning',
        ),
      );
    }
    if (!podsRead) continue;
    const overlaps = new Map<string, { sidecars: SidecarResource[]; pods: Pod[] }>();
    for (const pod of inNamespace) {
      const matching = selecting.filter((s) => selects(selectorOf(s)!, pod));
      if (matching.length < 2) continue;
      const key = matching.map((s) => s.metadata?.name).join('\n');
      const entry = overlaps.get(key) ?? { sidecars: matching, pods: [] };
      entry.pods.push(pod);
      overlaps.set(key, entry);
    }
    for (const { sidecars: matching, pods: selected } of overlaps.values()) {
      const workloads = workloadsOfPods(view, selected);
      drafts.push(
        draftOf(
          view,
          nowMs,
          matching,
          workloads,
          (s) => `workloadSelector ${selectorText(selectorOf(s)!)} also matches pods another Sidecar selects`,
          [
            `${selected.length} pod(s) of ${workloads.map(refText).join(', ')} are selected by ${matching.length} Sidecars (${byAge(
              matching,
            )
              .map((s) => s.metadata?.name)
              .join(', ')}); Istio applies only one of them to each pod, and which one is not defined.`,
            ...[newestFact(matching)].filter((f): f is string => f !== null),
          ],
          'warning',
        ),
      );
    }
    for (const sidecar of selecting) {
      const selector = selectorOf(sidecar)!;
      if (pods.some((p) => p.metadata?.namespace === namespace && selects(selector, p))) continue;
      drafts.push(
        draftOf(
          view,
          nowMs,
          [sidecar],
          [],
          () => `workloadSelector ${selectorText(selector)} matches no pod in namespace ${namespace}`,
          [
            `Sidecar ${namespace}/${sidecar.metadata?.name} selects no running pod, so it configures nothing; pods with labels ${selectorText(selector)} keep the namespace or mesh default.`,
          ],
          'info',
        ),
      );
    }
  }
  const podsNote = podsRead ? '' : '; pods not read, so selectors were not matched';
  return { drafts, detail: `${sidecars.length} Sidecar resource(s) checked${podsNote}` };
};
