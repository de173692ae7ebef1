import { closestKnown, invalidValue, isIstioPodAnnotation, isKnown, readFromPods } from '../annotations';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject, refText } from '../evidence-items';
import type { Pod, Workload } from '../kube-types';
import { annotationMove, POD_TEMPLATE_KINDS } from '../patch-templates';
import { liveImpact } from '../proxies';

interface AnnotationProblems {
  problems: string[];
  /** Known, valid Istio annotations on the workload's own metadata that its pod template lacks: safe to move. */
  movable: Record<string, string>;
}

/** Problems with the Istio annotations of one workload (or bare pod). */
function problemsOf(
  onObject: Record<string, string>,
  onPods: Record<string, string> | null,
  kind: string,
): AnnotationProblems {
  const problems: string[] = [];
  const movable: Record<string, string> = {};
  if (onPods) {
    for (const [key, value] of Object.entries(onObject).filter(([k]) => isIstioPodAnnotation(k))) {
      if (!readFromPods(key) || key in onPods) continue;
      const bad = isKnown(key) ? invalidValue(key, value) : 'is not an Istio annotation';
      if (!bad) movable[key] = value;
      problems.push(
        `${key} is set on the ${kind}'s own metadata, where Istio never reads it; it takes effect only under spec.template.metadata.annotations (IST0107)${bad ? `, and there it would be refused: ${key} ${bad}` : ''}`,
      );
    }
  }
  for (const [key, value] of Object.entries(onPods ?? onObject)) {
    if (!isIstioPodAnnotation(key)) continue;
    if (!isKnown(key)) {
      const near = closestKnown(key);
      problems.push(
        `${key} is not an Istio annotation${near ? ` (did you mean ${near}?)` : ''}, so it is ignored (IST0108)`,
      );
      continue;
    }
    const bad = invalidValue(key, value);
    if (bad) problems.push(`${key} ${bad}`);
  }
  return { problems, movable };
}

function bare(pod: Pod): boolean {
  return !pod.metadata?.ownerReferences?.length;
}

/** Istio annotations on the wrong object, unknown to Istio (typos), or with values it cannot use. */
export const detectIstioAnnotationIneffective: Detector = ({ view, entry }) => {
  const kinds = [...POD_TEMPLATE_KINDS].filter((k) => view.captured(k));
  if (kinds.length === 0 && !view.captured('Pod'))
    return { drafts: [], skipped: 'no workloads or pods were read', detail: '' };
  const drafts: Draft[] = [];
  let checked = 0;
  const report = (ref: ObjectRef, { problems, movable }: AnnotationProblems, v: ClusterView) => {
    if (problems.length === 0) return;
    const impact = liveImpact(v, [ref], 'info');
    const move = entry.patch && Object.keys(movable).length > 0 ? annotationMove(entry.patch, ref, movable) : null;
    drafts.push({
      resources: [ref],
      evidence: [...problems.slice(0, 3).map((p) => fromObject(ref, p)), ...impact.evidence],
      confidence: 0.9,
      facts: [
        `${refText(ref)}: ${problems.length} Istio annotation(s) without the intended effect.`,
        ...problems.slice(3),
        impact.fact,
        ...(move && 'patch' in move
          ? [
              `The proposed patch moves ${Object.keys(movable).join(', ')} into the pod template, which rolls out new pods with ${Object.keys(movable).length === 1 ? 'it' : 'them'}.`,
            ]
          : []),
      ],
      ...(move && 'patch' in move ? { patches: [move.patch] } : {}),
      ...(impact.severity ? { severity: impact.severity } : {}),
    });
  };
  for (const kind of kinds) {
    for (const w of view.list<Workload>(kind)) {
      checked++;
      const ref: ObjectRef = { kind, namespace: w.metadata?.namespace ?? null, name: w.metadata?.name ?? '' };
      report(ref, problemsOf(w.metadata?.annotations ?? {}, w.spec?.template?.metadata?.annotations ?? {}, kind), view);
    }
  }
  for (const pod of view.pods().filter(bare)) {
    checked++;
    const ref: ObjectRef = { kind: 'Pod', namespace: pod.metadata?.namespace ?? null, name: pod.metadata?.name ?? '' };
    report(ref, problemsOf(pod.metadata?.annotations ?? {}, null, 'Pod'), view);
  }
  return { drafts, detail: `${checked} workload(s) and bare pod(s) checked for Istio annotations` };
};
