import { HttpError, badRequest } from './status';
import type { Json } from './types';

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An error while applying a well-formed patch: the API server answers 422. */
function unprocessable(message: string): HttpError {
  return new HttpError(422, message);
}

// ------------------------------------------------------------------------------------------
// RFC 7386 JSON merge patch
// ------------------------------------------------------------------------------------------

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Strategic merge patch (the subset of Kubernetes' patch strategies that workloads use)
// ------------------------------------------------------------------------------------------

/** Lists merged by a key instead of replaced; `ports` is decided by its items. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
};

/** Lists of scalars whose items are merged as a set. */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: unknown[]): string | null {
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port (their patchMergeKey).
    return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field] ?? null;
}

function strategicList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const current = Array.isArray(target) ? target : [];
  if (SET_LISTS.has(field)) {
    const out = [...current];
    for (const item of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(item))) out.push(item);
    return out;
  }
  const key = mergeKeyFor(field, [...current, ...patch]);
  if (!key) return patch.map((item) => stripDirectives(item));
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const out = current.map((item) => structuredClone(item));
  for (const item of patch) {
    if (!isObject(item)) {
      throw badRequest(`strategic merge patch: ${field}: items must be objects with the merge key "${key}"`);
    }
    const id = item[key];
    if (id === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const index = out.findIndex((x) => isObject(x) && x[key] === id);
    if (item.$patch === 'delete') {
      if (index !== -1) out.splice(index, 1);
    } else if (index === -1) {
      out.push(stripDirectives(item));
    } else {
      out[index] = strategicMerge(out[index], item);
    }
  }
  return out;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (
      k === '$patch' ||
      k === '$retainKeys' ||
      k.startsWith('$setElementOrder/') ||
      k.startsWith('$deleteFromPrimitiveList/')
    )
      continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((v) => !remove.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value)) {
      out[key] = strategicList(key, out[key], value);
    } else if (isObject(value)) {
      const merged = strategicMerge(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else {
      out[key] = value;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// RFC 6902 JSON patch
// ------------------------------------------------------------------------------------------

type Operation = { op: string; path: string; value?: unknown; from?: string };

/** RFC 6901: `/a~1b/~0c` → `['a/b', '~c']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`invalid JSON pointer "${pointer}": must start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(array: unknown[], token: string, forAdd: boolean, pointer: string): number {
  if (forAdd && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in "${pointer}"`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) {
    throw unprocessable(`array index ${index} out of bounds in "${pointer}"`);
  }
  return index;
}

function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: unknown; last: string } {
  let cur = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, token, false, pointer)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, token)) cur = cur[token];
    else throw unprocessable(`path "${pointer}" does not exist`);
  }
  return { parent: cur, last: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, token, false, pointer)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, token)) cur = cur[token];
    else throw unprocessable(`path "${pointer}" does not exist`);
  }
  return cur;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, pointer), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw unprocessable(`cannot add at "${pointer}": parent is not a container`);
  return doc;
}

function removeAt(doc: unknown, pointer: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, last, false, pointer), 1);
    return { doc, removed };
  }
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    const removed = parent[last];
    delete parent[last];
    return { doc, removed };
  }
  throw unprocessable(`unable to remove nonexistent key: ${last}: missing value`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export { deepEqual };

function parseOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return patch.map((raw, i) => {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest(`json patch operation ${i} needs string "op" and "path"`);
    }
    const op: Operation = { op: raw.op, path: raw.path };
    if ('value' in raw) op.value = raw.value;
    if (typeof raw.from === 'string') op.from = raw.from;
    return op;
  });
}

export function jsonPatch(target: unknown, patch: unknown): unknown {
  let doc = structuredClone(target);
  for (const op of parseOperations(patch)) {
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw unprocessable(`add operation does not apply: doc is missing value: ${op.path}`);
        doc = addAt(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        doc = removeAt(doc, op.path).doc;
        break;
      case 'replace': {
        if (!('value' in op)) throw unprocessable(`replace operation does not apply: doc is missing value: ${op.path}`);
        if (parsePointer(op.path).length === 0) {
          doc = structuredClone(op.value);
          break;
        }
        doc = removeAt(doc, op.path).doc;
        doc = addAt(doc, op.path, structuredClone(op.value));
        break;
      }
      case 'test':
        if (!deepEqual(getAt(doc, op.path), op.value))
          throw unprocessable(`testing value ${op.path} failed: test failed`);
        break;
      case 'move': {
        if (op.from === undefined) throw unprocessable('move operation needs "from"');
        if (op.path.startsWith(`${op.from}/`)) throw unprocessable(`cannot move ${op.from} into its own child`);
        const { doc: after, removed } = removeAt(doc, op.from);
        doc = addAt(after, op.path, removed);
        break;
      }
      case 'copy': {
        if (op.from === undefined) throw unprocessable('copy operation needs "from"');
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from)));
        break;
      }
      default:
        throw unprocessable(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

/** Applies a patch of the given content type to a copy of `target`. */
export function applyPatch(type: PatchType, target: Json, patch: unknown): Json {
  let result: unknown;
  if (type === JSON_PATCH) result = jsonPatch(target, patch);
  else {
    if (!isObject(patch)) throw badRequest(`${type} body must be a JSON object`);
    result = type === MERGE_PATCH ? mergePatch(target, patch) : strategicMerge(target, patch);
  }
  if (!isObject(result)) throw unprocessable('the patch does not produce an object');
  return result;
}
