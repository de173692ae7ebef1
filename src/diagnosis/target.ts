/**
 * Does a diagnosis target exist, and what exists near it. Pure functions over evidence: the CLI refuses a
 * target that is not there (naming the closest names), and the bot can do the same before it queues.
 * Absence is claimed only for kinds that were read; otherwise the answer is `unknown`.
 */
import { ClusterView } from './cluster-view';
import type { Evidence, Target } from './evidence';
import type { Pod } from './kube-types';

/** A workload found in the evidence: a Deployment, StatefulSet, DaemonSet, or what owns a pod (else the pod). */
export interface WorkloadName {
  kind: string;
  namespace: string;
  name: string;
}

/** The answer about a target. */
export type TargetStatus =
  /** It exists; `namespaces` are those holding the workload (all of them for `--workload` alone). */
  | { status: 'exists'; namespaces: string[] }
  /**
   * It was read and is not there. `closest` are the nearest names (for a workload searched in every
   * namespace, as `namespace/name`); `known` every name of that kind in that place, sorted.
   */
  | {
      status: 'missing';
      what: 'namespace' | 'workload';
      name: string;
      namespace: string | null;
      closest: string[];
      known: string[];
    }
  /** What would tell was not read: nothing is claimed. */
  | { status: 'unknown'; what: 'namespace' | 'workload'; name: string; reason: string };

/** Edit distance with adjacent transpositions (optimal string alignment): `shpo` is one edit from `shop`. */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      const swapped = i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1);
      if (swapped) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Names close to `name`, closest first (then alphabetical), at most `max`: those within an edit distance
 * of a third of the longer name (at least 1, at most 3), and those that start with it or it starts with
 * (`cart` and `cart-v2`). Exact matches are not returned.
 */
export function closestNames(name: string, names: readonly string[], max = 3): string[] {
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(names)) {
    if (candidate === name) continue;
    const distance = editDistance(name, candidate);
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3)));
    const prefix = name.length >= 2 && (candidate.startsWith(name) || name.startsWith(candidate));
    if (distance <= limit) scored.push({ candidate, score: distance });
    else if (prefix) scored.push({ candidate, score: limit + Math.abs(candidate.length - name.length) });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map((s) => s.candidate);
}

/** Namespace names in the evidence, sorted. */
export function namespaceNames(evidence: Evidence): string[] {
  const names = (evidence.objects.get('Namespace') ?? []).flatMap((n) => n.metadata?.name ?? []);
  return [...new Set(names)].sort();
}

const CONTROLLERS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

/** Workloads in a namespace (every namespace when null), sorted by namespace and name, each once. */
export function workloadNames(evidence: Evidence, namespace: string | null): WorkloadName[] {
  const view = new ClusterView(evidence);
  const found = new Map<string, WorkloadName>();
  const add = (kind: string, ns: string | null | undefined, name: string | undefined) => {
    if (!ns || !name || (namespace !== null && ns !== namespace)) return;
    if (!found.has(`${ns}/${name}`)) found.set(`${ns}/${name}`, { kind, namespace: ns, name });
  };
  for (const kind of CONTROLLERS) for (const o of view.list(kind)) add(kind, o.metadata?.namespace, o.metadata?.name);
  for (const pod of view.list<Pod>('Pod')) {
    const owner = view.workloadOfPod(pod);
    add(owner.kind, owner.namespace, owner.name);
  }
  return [...found.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** Workloads can be said absent only when pods and Deployments were both read. */
function workloadsRead(evidence: Evidence): boolean {
  return evidence.capturedKinds.has('Pod') && evidence.capturedKinds.has('Deployment');
}

function checkNamespace(evidence: Evidence, namespace: string): TargetStatus | null {
  if (!evidence.capturedKinds.has('Namespace'))
    return { status: 'unknown', what: 'namespace', name: namespace, reason: 'the namespace list was not read' };
  const known = namespaceNames(evidence);
  if (known.includes(namespace)) return null;
  return {
    status: 'missing',
    what: 'namespace',
    name: namespace,
    namespace: null,
    closest: closestNames(namespace, known),
    known,
  };
}

/**
 * Whether the target exists. A namespace is checked against the Namespace list; a workload against the
 * workloads of its namespace, or of every namespace when the target names none (then `namespaces` says
 * where it is, and a missing one's `closest` are `namespace/name`).
 */
export function checkTarget(evidence: Evidence, target: Target): TargetStatus {
  const { namespace, workload } = target;
  if (namespace) {
    const problem = checkNamespace(evidence, namespace);
    if (problem?.status === 'missing' || (problem && !workload)) return problem;
  }
  if (!workload) return { status: 'exists', namespaces: namespace ? [namespace] : [] };
  if (!workloadsRead(evidence))
    return { status: 'unknown', what: 'workload', name: workload, reason: 'pods and Deployments were not both read' };
  const workloads = workloadNames(evidence, namespace);
  const holding = workloads.filter((w) => w.name === workload).map((w) => w.namespace);
  if (holding.length > 0) return { status: 'exists', namespaces: [...new Set(holding)] };
  const label = (w: WorkloadName) => (namespace ? w.name : `${w.namespace}/${w.name}`);
  const byName = new Map<string, string[]>();
  for (const w of workloads) byName.set(w.name, [...(byName.get(w.name) ?? []), label(w)]);
  const closest = closestNames(workload, [...byName.keys()]).flatMap((n) => byName.get(n) ?? []);
  return {
    status: 'missing',
    what: 'workload',
    name: workload,
    namespace,
    closest,
    known: [...new Set(workloads.map(label))].sort(),
  };
}

/** How many names a message lists before it stops with "…". */
const LISTED = 15;

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, … (${names.length} in all)` : shown;
}

function didYouMean(closest: readonly string[]): string {
  return closest.length > 0 ? `; did you mean ${closest.join(' or ')}?` : '';
}

/**
 * What to say of a target that does not exist (the CLI's error line, the report's target check, the
 * bot's answer):
 * `namespace "shpo" does not exist; did you mean shop? (namespaces: default, istio-system, shop)`.
 */
export function missingTargetLine(status: Extract<TargetStatus, { status: 'missing' }>): string {
  if (status.what === 'namespace')
    return `namespace "${status.name}" does not exist${didYouMean(status.closest)} (namespaces: ${listed(status.known)})`;
  const where = status.namespace ? `in namespace "${status.namespace}"` : 'in any namespace';
  const noun = status.namespace ? 'workloads' : 'workloads, as namespace/name';
  return `workload "${status.name}" does not exist ${where}${didYouMean(status.closest)} (${noun}: ${listed(status.known)})`;
}

/** The warning for a target whose existence could not be checked. */
export function uncheckedTargetLine(status: Extract<TargetStatus, { status: 'unknown' }>): string {
  return `cannot tell whether ${status.what} "${status.name}" exists: ${status.reason}`;
}
