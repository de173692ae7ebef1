import type { ObjectRef, PatchProposal } from './evidence';

/** Kinds a rollout restart applies to. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** Labels whose value names the revision a fix moves a namespace to. */
const REVISION_LABEL = 'istio.io/rev';

/** What a finding knows to put in place of its runbook's placeholders. */
export interface StepNames {
  resources: readonly ObjectRef[];
  patches: readonly PatchProposal[];
}

function byKind(refs: readonly ObjectRef[]): Map<string, ObjectRef[]> {
  const out = new Map<string, ObjectRef[]>();
  for (const r of refs) out.set(r.kind, [...(out.get(r.kind) ?? []), r]);
  return out;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The revision a patch labels a namespace with, when it does. */
function revisionOf(patches: readonly PatchProposal[]): string | null {
  for (const p of patches) {
    const labels = (p.patch as { metadata?: { labels?: Record<string, unknown> } } | null)?.metadata?.labels;
    const rev = labels?.[REVISION_LABEL];
    if (typeof rev === 'string' && rev.length > 0) return rev;
  }
  return null;
}

/** The patch that moves annotations from a workload's metadata into its pod template, if one does. */
function annotationMove(patches: readonly PatchProposal[]): PatchProposal | null {
  return (
    patches.find((p) => {
      const body = p.patch as { metadata?: { annotations?: Record<string, unknown> }; spec?: unknown } | null;
      return (
        p.type === 'merge' && Object.values(body?.metadata?.annotations ?? {}).some((v) => v === null) && body?.spec
      );
    }) ?? null
  );
}

/** `kubectl -n NAMESPACE rollout restart deployment/NAME (statefulset/NAME, daemonset/NAME)` and its shorter forms. */
const RESTART =
  /kubectl -n NAMESPACE rollout restart (?:deployment\/NAME(?: \(statefulset\/NAME, daemonset\/NAME\))?|deployment\b)/g;

/**
 * Runbook steps with the names the finding knows put in place of their placeholders: the namespace
 * (NAMESPACE) when the finding concerns one, the workload (deployment/NAME, and every restart command, one per
 * workload) when it names them, the annotation a fix moves (KEY, VALUE), the pod (POD) when it names one, the revision (REVISION) a proposed
 * patch moves a namespace to or of the one istiod concerned. A placeholder whose value is not known, or not unique, stays (the runbook
 * says what to put there). Steps that read the same once filled appear once.
 */
export function fillStepNames(steps: readonly string[], known: StepNames): string[] {
  const workloads = known.resources.filter((r) => WORKLOAD_KINDS.has(r.kind) && r.namespace);
  const namespaces = unique([
    ...workloads.map((w) => w.namespace as string),
    ...known.resources.filter((r) => r.kind === 'Namespace').map((r) => r.name),
  ]);
  const pods = known.resources.filter((r) => r.kind === 'Pod');
  const names = unique(workloads.map((w) => w.name));
  const istiods = unique(
    [...known.resources, ...known.patches.map((p) => p.target)]
      .filter((r) => r.kind === 'Deployment' && /^istiod(-|$)/.test(r.name))
      .map((r) => r.name),
  );
  const istiod = istiods.length === 1 ? istiods[0] : undefined;
  const revision = revisionOf(known.patches) ?? (istiod?.startsWith('istiod-') ? istiod.slice('istiod-'.length) : null);
  const ns = namespaces.length === 1 ? namespaces[0] : undefined;
  const filled = steps.map((step) => {
    let s = step;
    if (workloads.length > 0) {
      const commands = workloads.map(
        (w) => `kubectl -n ${w.namespace} rollout restart ${w.kind.toLowerCase()}/${w.name}`,
      );
      s = s.replace(RESTART, commands.join('; '));
    }
    if (ns) s = s.replace(/\bNAMESPACE\b/g, ns);
    // NAME is filled only where it names the workload: other steps use it for webhooks or waypoints.
    const [w] = workloads;
    if (names.length === 1 && w) {
      s = s.replace(
        /\b(deployment|statefulset|daemonset)([/ ])NAME\b/gi,
        (_m, _kind: string, sep: string) => `${w.kind.toLowerCase()}${sep}${w.name}`,
      );
    }
    // The by-hand form of a move: the patch itself in place of its "KEY"/"VALUE" pattern.
    const move = annotationMove(known.patches);
    if (move) s = s.replace(/-p '[^']*"KEY"[^']*'/g, `-p '${JSON.stringify(move.patch).replace(/'/g, `'\\''`)}'`);
    // Any other kind named once: `envoyfilter NAME` → `envoyfilter its-name`.
    for (const [kind, refs] of byKind(known.resources)) {
      const [only] = refs;
      if (refs.length === 1 && only && !WORKLOAD_KINDS.has(kind))
        s = s.replace(
          new RegExp(`\\b${kind.toLowerCase()}([/ ])NAME\\b`, 'g'),
          (_m, sep: string) => `${kind.toLowerCase()}${sep}${only.name}`,
        );
    }
    if (pods.length === 1 && pods[0]) s = s.replace(/\bPOD\b/g, pods[0].name);
    // A default install's istiod: the revisioned form of the restart command does not apply.
    if (istiod === 'istiod')
      s = s.replace(
        /deployment\/istiod-REVISION(?: \(deployment\/istiod for a default install\))?/g,
        'deployment/istiod',
      );
    if (revision) s = s.replace(/(?<!OLD_)\bREVISION\b/g, revision);
    return s;
  });
  const seen = new Set<string>();
  return filled.filter((s) => {
    const key = s.replace(/\s+/g, ' ').trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
