import { fillStepNames } from './step-names';
import type { Catalog } from '../runbooks/catalog';
import { runbookText } from '../runbooks/catalog';
import type { RunbookEntry } from '../runbooks/schema';
import { ClusterView } from './cluster-view';
import { controlPlaneNamespaces } from './control-plane';
import { dataplaneSummary } from './dataplane';
import { MANAGED_COMPONENTS_NAMESPACE, managedMesh } from './mesh-kind';
import type { Detector, Draft, Phrase } from './detector';
import { phraseText } from './detector';
import type { Check, Evidence, Finding, MeshSummary, ObjectRef, Report, Severity, Target } from './evidence';
import { confidence, uniqueRefs } from './evidence-items';
import { DETECTORS } from './registry';
import { rolloutAfterEvidence } from './rollout-history';
import { checkTarget, missingTargetLine } from './target';
import { toMs } from '../util/time';
import { errorMessage } from '../util/errors';
import type { Language } from '../i18n/languages';
import { DEFAULT_LANGUAGE, matchLanguage } from '../i18n/languages';
import { translator } from '../i18n/translate';

/** Options of one diagnosis. */
export interface DiagnoseOptions {
  target?: Target;
  /** A language or locale (`ko`, `pt-BR`, `zh-TW`): the report's language, matched by `matchLanguage`; default English. */
  lang?: string;
  detectors?: ReadonlyMap<string, Detector>;
  /** Checks from collecting the evidence (what could or could not be read), listed first. */
  collectionChecks?: Check[];
  /** Where Istio's control plane is installed, several for revisions in different namespaces (default istio-system). */
  controlPlaneNamespaces?: readonly string[];
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Runs every detector over the evidence and assembles the report. Pure: the same evidence, catalog and
 * options always give the same report.
 */
export function diagnose(evidence: Evidence, catalog: Catalog, options: DiagnoseOptions = {}): Report {
  const target: Target = options.target ?? { namespace: null, workload: null };
  const match = matchLanguage(options.lang);
  const lang: Language = match?.language ?? DEFAULT_LANGUAGE;
  const language = { language: lang, ...(match?.note ? { languageNote: match.note } : {}) };
  const detectors = options.detectors ?? DETECTORS;
  const view = new ClusterView(evidence);
  const nowMs = toMs(evidence.now);
  const controlPlane = controlPlaneNamespaces(view, options.controlPlaneNamespaces);
  // A managed mesh runs its data-plane controller and CNI in kube-system: they concern every target too.
  const meshNamespaces = managedMesh(view) ? [...controlPlane, MANAGED_COMPONENTS_NAMESPACE] : controlPlane;
  const findings: Finding[] = [];
  const checks: Check[] = [...(options.collectionChecks ?? [])];
  const missing = targetCheck(evidence, target);
  if (missing) checks.push(missing);
  for (const [id, detect] of [...detectors].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = catalog.entries.get(id);
    if (!entry) {
      checks.push({ id, status: 'error', detail: `runbook ${id} is missing from the catalog` });
      continue;
    }
    try {
      const outcome = detect({ view, entry, catalog, target, controlPlaneNamespaces: controlPlane, nowMs });
      const relevant = outcome.drafts.filter((d: Draft) => concernsTarget(d.resources, target, meshNamespaces));
      for (const draft of relevant) findings.push(toFinding(entry, asOfNow(view, draft), lang));
      checks.push({
        id,
        status: outcome.skipped && relevant.length === 0 ? 'skipped' : relevant.length > 0 ? 'finding' : 'ok',
        detail: outcome.skipped && relevant.length === 0 ? outcome.skipped : outcome.detail,
      });
    } catch (err) {
      checks.push({ id, status: 'error', detail: `detector failed: ${errorMessage(err)}` });
    }
  }
  const mesh = meshSummary(view, target, controlPlane, lang);
  return { target, ...language, mesh, findings: findings.sort(compareFindings), checks };
}

/** The mesh and the data planes of the pods in the target's namespace (all namespaces without one). */
function meshSummary(view: ClusterView, target: Target, controlPlane: readonly string[], lang: Language): MeshSummary {
  const summary = dataplaneSummary(view, target.namespace, controlPlane, translator(lang));
  const { sidecar, ambient, none } = summary.pods;
  return {
    kind: summary.mesh,
    dataplane: { sidecar, ambient, ambientWaypoint: summary.pods['ambient-waypoint'], none },
    waypoints: summary.waypoints,
    summary: summary.text,
  };
}

/** The target check: an error naming the nearest names when the namespace or workload asked about does not exist. */
function targetCheck(evidence: Evidence, target: Target): Check | null {
  const status = checkTarget(evidence, target);
  return status.status === 'missing' ? { id: 'target', status: 'error', detail: missingTargetLine(status) } : null;
}

/** Cluster-scoped objects (webhook configurations, nodes) other than namespaces, and control-plane objects. */
function meshWide(r: ObjectRef, controlPlane: readonly string[]): boolean {
  return r.namespace === null ? r.kind !== 'Namespace' : controlPlane.includes(r.namespace);
}

/**
 * Findings about the target, or about the control plane / cluster objects every workload depends on. A
 * diagnosis of a control-plane namespace also keeps findings elsewhere that name its objects or webhooks
 * (pods refused by its injector in any namespace).
 */
function concernsTarget(resources: ObjectRef[], target: Target, controlPlane: readonly string[]): boolean {
  if (!target.namespace && !target.workload) return true;
  if (target.namespace && !target.workload && controlPlane.includes(target.namespace)) {
    if (resources.some((r) => meshWide(r, controlPlane))) return true;
  }
  const inTarget = resources.some((r) => {
    const nsMatch =
      !target.namespace || r.namespace === target.namespace || (r.kind === 'Namespace' && r.name === target.namespace);
    // A workload named alone is looked for in every namespace: a finding about some namespace is not about it.
    const namespaceFinding = r.kind === 'Namespace' && !!target.namespace;
    return nsMatch && (!target.workload || (r.name === target.workload && r.kind !== 'Namespace') || namespaceFinding);
  });
  if (inTarget) return true;
  return resources.every((r) => meshWide(r, controlPlane));
}

/**
 * The draft as it stands now: evidence that all predates the workload's finished rollout is history
 * (informational, with steps for the current state and nothing to apply), and every object it names either
 * exists or is said not to.
 */
function asOfNow(view: ClusterView, draft: Draft): Draft {
  const missing = draft.resources
    .filter((r) => view.captured(r.kind) && !view.object(r) && !saysMissing(draft, r))
    .map(describeMissing);
  const rollout = rolloutAfterEvidence(view, draft);
  if (!rollout) return missing.length > 0 ? { ...draft, facts: [...missing, ...(draft.facts ?? [])] } : draft;
  const w = rollout.workload;
  const name = `${w.namespace}/${w.name}`;
  return {
    ...draft,
    severity: 'info',
    facts: [...missing, (t) => t('engine.fact.fixed-by-rollout', { workload: `${w.kind} ${name}`, at: rollout.at })],
    steps: [(t) => t('engine.step.nothing-to-apply', { workload: name })],
    patches: [],
  };
}

/** True when the detector already said the object is absent (in a fact or an evidence line). */
function saysMissing(draft: Draft, r: ObjectRef): boolean {
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  const texts = [...(draft.facts ?? []).map((f) => phraseText(f)), ...draft.evidence.map((e) => e.text)];
  return texts.some((t) => t.includes(name) && /does not exist|not found|no longer exists/.test(t));
}

function describeMissing(r: ObjectRef): Phrase {
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  return r.kind === 'Pod'
    ? (t) => t('engine.fact.pod-gone', { pod: name })
    : (t) => t('engine.fact.object-missing', { object: `${r.kind} ${name}` });
}

function toFinding(entry: RunbookEntry, draft: Draft, lang: Language): Finding {
  const text = runbookText(entry, lang);
  const t = translator(lang);
  const say = (p: Phrase) => phraseText(p, t);
  return {
    runbook: entry.id,
    title: text.title,
    severity: draft.severity ?? entry.severity,
    confidence: confidence(draft.confidence),
    resources: uniqueRefs(draft.resources),
    evidence: draft.evidence
      .slice(0, 5)
      .map(({ localize, ...item }) => (localize ? { ...item, text: localize(t) } : item)),
    remediation: {
      steps: fillStepNames([...(draft.facts ?? []).map(say), ...(draft.steps ?? text.steps).map(say)], {
        resources: draft.resources,
        patches: draft.patches ?? [],
      }),
      patches: draft.patches ?? [],
    },
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    b.confidence - a.confidence ||
    a.runbook.localeCompare(b.runbook) ||
    resourceKey(a).localeCompare(resourceKey(b))
  );
}

function resourceKey(f: Finding): string {
  return f.resources.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`).join(',');
}
