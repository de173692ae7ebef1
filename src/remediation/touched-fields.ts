import type { PatchProposal } from '../diagnosis/evidence';

type Json = unknown;
type Path = string[];

/** How to undo an apply, and what the apply set (to notice edits made after it). */
export type RollbackPlan =
  | { type: 'merge'; patch: Record<string, Json>; applied: Array<{ path: Path; value: Json }> }
  | {
      type: 'json';
      ops: Array<{ op: string; path: string; value?: Json }>;
      applied: Array<{ path: Path; value: Json }>;
    }
  | { type: 'delete' };

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaves of a merge patch: each path it sets (null means remove). */
export function mergeLeaves(patch: Json, at: Path = []): Array<{ path: Path; value: Json }> {
  if (!isObject(patch)) return [{ path: at, value: patch }];
  return Object.entries(patch).flatMap(([k, v]) =>
    isObject(v) && Object.keys(v).length === 0
      ? [{ path: [...at, k], value: v }]
      : isObject(v)
        ? mergeLeaves(v, [...at, k])
        : [{ path: [...at, k], value: v }],
  );
}

export function valueAt(object: Json, path: Path): Json {
  let cur: Json = object;
  for (const part of path) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isObject(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function setAt(target: Record<string, Json>, path: Path, value: Json): void {
  let cur = target;
  for (const part of path.slice(0, -1)) {
    const next = cur[part];
    cur = isObject(next) ? next : (cur[part] = {});
  }
  cur[path[path.length - 1] as string] = value;
}

const pointer = (p: string): Path =>
  p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

const startsWith = (path: Path, prefix: Path) => prefix.every((p, i) => path[i] === p) && path.length > prefix.length;

const POD_TEMPLATE_ANNOTATIONS = ['spec', 'template', 'metadata', 'annotations'];

/** Annotation keys Istio reads from pods (`sidecar.istio.io/...`, `proxy.istio.io/...`, ...). */
const ISTIO_ANNOTATION = /^([a-z0-9-]+\.)*istio\.io\/[A-Za-z0-9._-]+$/;

/**
 * The JSON patch of service-port-app-protocol: pairs of a `test` of one port's name or number and an `add`
 * of that same port's appProtocol, nothing else.
 */
function appProtocolOps(ops: Json[]): boolean {
  if (ops.length === 0 || ops.length % 2 !== 0) return false;
  for (let i = 0; i < ops.length; i += 2) {
    const test = ops[i];
    const add = ops[i + 1];
    if (!isObject(test) || !isObject(add)) return false;
    const index = /^\/spec\/ports\/(\d+)\/(name|port)$/.exec(String(test.path))?.[1];
    if (test.op !== 'test' || index === undefined || test.value === undefined) return false;
    if (add.op !== 'add' || add.path !== `/spec/ports/${index}/appProtocol` || typeof add.value !== 'string')
      return false;
  }
  return true;
}

/**
 * The JSON patch of networkpolicy-hbone-port: pairs of a `test` of one ingress rule's port list and an `add`
 * of exactly TCP 15008 at the end of that same list, each rule once, nothing else.
 */
function hbonePortOps(ops: Json[]): boolean {
  if (ops.length === 0 || ops.length % 2 !== 0) return false;
  const rules = new Set<string>();
  for (let i = 0; i < ops.length; i += 2) {
    const test = ops[i];
    const add = ops[i + 1];
    if (!isObject(test) || !isObject(add)) return false;
    const index = /^\/spec\/ingress\/(\d+)\/ports$/.exec(String(test.path))?.[1];
    if (test.op !== 'test' || index === undefined || !Array.isArray(test.value) || rules.has(index)) return false;
    rules.add(index);
    const value = add.value;
    if (add.op !== 'add' || add.path !== `/spec/ingress/${index}/ports/-` || !isObject(value)) return false;
    if (Object.keys(value).length !== 2 || value.protocol !== 'TCP' || value.port !== 15008) return false;
  }
  return true;
}

/**
 * Why a patch may not be applied, or null. Only what the catalog's templates produce passes: pod-template
 * annotations of workloads (and the removal of an Istio annotation from the workload's own metadata that the
 * same patch sets in the template), namespace labels, retry policies of VirtualService routes, a new
 * VirtualService, the appProtocol of a Service port the patch tests first, and TCP 15008 appended to NetworkPolicy
 * ingress rules whose port lists the patch tests first. Checked again at apply time, whatever is stored.
 */
export function disallowedReason(p: PatchProposal, creating: boolean): string | null {
  const { kind } = p.target;
  if (creating) {
    if (kind !== 'VirtualService' || p.type !== 'merge' || !isObject(p.patch) || p.patch.kind !== 'VirtualService') {
      return `only a VirtualService may be created, not a ${kind}`;
    }
    const meta = isObject(p.patch.metadata) ? p.patch.metadata : {};
    return meta.name === p.target.name && meta.namespace === p.target.namespace
      ? null
      : 'the VirtualService to create must carry the target name and namespace';
  }
  if (p.type === 'merge' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(kind)) {
    const leaves = mergeLeaves(p.patch);
    const templateKeys = new Set(
      leaves.filter((l) => startsWith(l.path, POD_TEMPLATE_ANNOTATIONS) && l.path.length === 5).map((l) => l.path[4]),
    );
    // A move: an Istio annotation removed from the workload's own metadata and set in its pod template.
    const moved = (l: { path: Path; value: Json }) =>
      l.value === null &&
      l.path.length === 3 &&
      startsWith(l.path, ['metadata', 'annotations']) &&
      ISTIO_ANNOTATION.test(l.path[2] ?? '') &&
      templateKeys.has(l.path[2]);
    const bad = leaves.find((l) => !(startsWith(l.path, POD_TEMPLATE_ANNOTATIONS) && l.path.length === 5) && !moved(l));
    return bad ? `a ${kind} patch may only set pod-template annotations, not ${bad.path.join('.')}` : null;
  }
  if (p.type === 'json' && kind === 'Service' && Array.isArray(p.patch)) {
    return appProtocolOps(p.patch as Json[])
      ? null
      : 'a Service patch may only set the appProtocol of a port it tests first';
  }
  if (p.type === 'json' && kind === 'NetworkPolicy' && Array.isArray(p.patch)) {
    return hbonePortOps(p.patch as Json[])
      ? null
      : 'a NetworkPolicy patch may only add TCP 15008 to ingress rules whose ports it tests first';
  }
  if (p.type === 'merge' && kind === 'Namespace') {
    const bad = mergeLeaves(p.patch).find((l) => !startsWith(l.path, ['metadata', 'labels']) || l.path.length !== 3);
    return bad ? `a Namespace patch may only set labels, not ${bad.path.join('.')}` : null;
  }
  if (p.type === 'json' && kind === 'VirtualService' && Array.isArray(p.patch)) {
    const ok = (p.patch as Json[]).every(
      (op) =>
        isObject(op) &&
        ['add', 'replace'].includes(String(op.op)) &&
        /^\/spec\/http\/\d+\/retries$/.test(String(op.path)),
    );
    return ok ? null : 'a VirtualService patch may only set route retries';
  }
  return `${p.type} patches of a ${kind} are not allowed`;
}

/**
 * The ops with each `add` to the end of a list (`.../-`) given the index it lands at, counted from the list in
 * `current`, so the plan can check that element and remove exactly it.
 */
function appendsAt<T extends { op: string; path: string }>(ops: T[], current: Json): T[] {
  const added = new Map<string, number>();
  return ops.map((o) => {
    if (o.op !== 'add' || !o.path.endsWith('/-')) return o;
    const list = o.path.slice(0, -2);
    const before = valueAt(current, pointer(list));
    const index = (Array.isArray(before) ? before.length : 0) + (added.get(list) ?? 0);
    added.set(list, (added.get(list) ?? 0) + 1);
    return { ...o, path: `${list}/${index}` };
  });
}

/** The plan that restores every field the patch touches to its value in `current` (absent → removed). */
export function rollbackPlan(p: PatchProposal, current: Json | null): RollbackPlan {
  if (current === null) return { type: 'delete' };
  if (p.type === 'json') {
    const ops = appendsAt(
      (p.patch as Array<{ op: string; path: string; value?: Json }>).filter((o) => o.op !== 'test'),
      current,
    );
    const applied = ops.map((o) => ({ path: pointer(o.path), value: o.value }));
    const undo = [...ops].reverse().map((o) => {
      const before = valueAt(current, pointer(o.path));
      return before === undefined ? { op: 'remove', path: o.path } : { op: 'replace', path: o.path, value: before };
    });
    return { type: 'json', ops: undo, applied };
  }
  const applied = mergeLeaves(p.patch);
  const patch: Record<string, Json> = {};
  for (const leaf of applied) {
    const before = valueAt(current, leaf.path);
    setAt(patch, leaf.path, before === undefined ? null : before);
  }
  return { type: 'merge', patch, applied };
}

/** JSON with object keys sorted: the API server may return keys in another order than we sent them. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Fields the apply set that someone changed since (a rollback would overwrite their edit). */
export function editedSinceApply(plan: RollbackPlan, current: Json | null): string[] {
  if (plan.type === 'delete') return current === null ? ['the object was deleted'] : [];
  return plan.applied
    .filter((a) => canonical(valueAt(current, a.path) ?? null) !== canonical(a.value ?? null))
    .map((a) => a.path.join('.'));
}

/**
 * Whether the object already holds the values a rollback plan restores (its write landed): every field
 * the apply set is back to its previous value or absent again; for a created object, it is gone.
 */
export function restoredAlready(plan: RollbackPlan, current: Json | null): boolean {
  if (plan.type === 'delete') return current === null;
  if (current === null) return false;
  if (plan.type === 'json') {
    return plan.ops.every((o) =>
      o.op === 'remove'
        ? valueAt(current, pointer(o.path)) === undefined
        : canonical(valueAt(current, pointer(o.path)) ?? null) === canonical(o.value ?? null),
    );
  }
  return plan.applied.every(
    (a) => canonical(valueAt(current, a.path) ?? null) === canonical(valueAt(plan.patch, a.path) ?? null),
  );
}
