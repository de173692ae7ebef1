import { randomBytes, randomUUID } from 'node:crypto';
import { toCoreEvent } from './events';
import { STRATEGIC_MERGE_PATCH, applyPatch, deepEqual } from './patch';
import type { PatchType } from './patch';
import { apiVersionOf } from './resources';
import type { ResourceType } from './resources';
import { HttpError, alreadyExists, badRequest, conflict, invalid, notFound } from './status';
import type { ObjectStore } from './store';
import type { Json, KubeObject } from './types';

/** Where a write goes: the resource type and version of the URL, its namespace, name and subresource. */
export interface WriteTarget {
  type: ResourceType;
  version: string;
  namespace: string | null;
  name: string;
  subresource: string | null;
}

export interface WriteResult {
  status: number;
  object: KubeObject;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Everything but metadata and status: what a `generation` counts changes of. */
function specPart(object: KubeObject): Json {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

/** Built-in core resources (pods, services, …) keep no generation; API groups and custom resources do. */
function tracksGeneration(type: ResourceType): boolean {
  return type.group !== '' && type.group !== 'events.k8s.io';
}

const UNSUPPORTED_PATCH =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

/** Create, patch, replace and delete with the API server's preconditions and version bookkeeping. */
export class Writer {
  constructor(private readonly store: ObjectStore) {}

  patch(target: WriteTarget, patchType: PatchType, body: unknown, dryRun: boolean): WriteResult {
    const { type } = target;
    if (patchType === STRATEGIC_MERGE_PATCH && !type.builtin) throw new HttpError(415, UNSUPPORTED_PATCH);
    const stored = this.existing(target);
    const served = this.store.present(type, target.version, structuredClone(stored), false);
    const patched = applyPatch(patchType, served, body);
    this.checkIdentity(target, served, patched);
    const next = this.toStorage(target, stored, patched);
    return this.commit(target, stored, next, dryRun, 200);
  }

  replace(target: WriteTarget, body: unknown, dryRun: boolean): WriteResult {
    if (!isObject(body)) throw badRequest('the request body must be a JSON object');
    const stored = this.existing(target);
    const served = this.store.present(target.type, target.version, stored, false);
    const incoming = structuredClone(body) as KubeObject;
    this.checkKind(target, incoming);
    incoming.apiVersion = served.apiVersion;
    incoming.kind = served.kind;
    incoming.metadata = { ...(incoming.metadata ?? {}) };
    if (incoming.metadata.namespace === undefined && target.namespace) incoming.metadata.namespace = target.namespace;
    if (incoming.metadata.name === undefined) incoming.metadata.name = target.name;
    this.checkIdentity(target, served, incoming);
    if (incoming.metadata.resourceVersion === undefined || incoming.metadata.resourceVersion === '') {
      incoming.metadata.resourceVersion = stored.metadata?.resourceVersion;
    }
    const next = this.toStorage(target, stored, incoming);
    return this.commit(target, stored, next, dryRun, 200);
  }

  create(target: Omit<WriteTarget, 'name'>, body: unknown, dryRun: boolean): WriteResult {
    const { type } = target;
    if (!isObject(body)) throw badRequest('the request body must be a JSON object');
    const incoming = structuredClone(body) as KubeObject;
    this.checkKind(target, incoming);
    incoming.apiVersion = apiVersionOf(type.group, target.version);
    incoming.kind = type.kind;
    const meta = { ...(incoming.metadata ?? {}) } as NonNullable<KubeObject['metadata']> & { generateName?: string };
    incoming.metadata = meta;
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== target.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = target.namespace ?? 'default';
    } else {
      delete meta.namespace;
    }
    if (!meta.name) {
      if (!meta.generateName) {
        throw invalid(type.kind, type.group, '', 'metadata.name', 'Required value: name or generateName is required');
      }
      meta.name = `${meta.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
    }
    if (this.store.get(type, meta.namespace ?? null, meta.name))
      throw alreadyExists(type.plural, type.group, meta.name);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    delete meta.resourceVersion;
    if (tracksGeneration(type)) meta.generation = 1;
    if (!dryRun) meta.resourceVersion = this.store.nextResourceVersion();
    const stored = type.storage === '/events' ? toCoreEvent(incoming) : incoming;
    if (!dryRun) this.store.set(type, stored);
    return { status: 201, object: this.store.present(type, target.version, stored, false) };
  }

  delete(target: WriteTarget, dryRun: boolean): WriteResult {
    const stored = this.existing(target);
    if (!dryRun) {
      this.store.delete(target.type, target.namespace, target.name);
      this.store.nextResourceVersion();
    }
    return { status: 200, object: this.store.present(target.type, target.version, stored, false) };
  }

  private existing(target: WriteTarget): KubeObject {
    const stored = this.store.get(target.type, target.namespace, target.name);
    if (!stored) throw notFound(target.type.plural, target.type.group, target.name);
    return stored;
  }

  private checkKind(target: Omit<WriteTarget, 'name'>, incoming: KubeObject): void {
    const { type, version } = target;
    if (incoming.kind !== undefined && incoming.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${String(incoming.kind)}) does not match the expected kind (${type.kind})`,
      );
    }
    const expected = apiVersionOf(type.group, version);
    if (incoming.apiVersion !== undefined && incoming.apiVersion !== expected) {
      throw badRequest(
        `the API version in the data (${String(incoming.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
  }

  /** A write may not rename or move the object, and a resourceVersion it carries must be current. */
  private checkIdentity(target: WriteTarget, served: KubeObject, next: KubeObject): void {
    const { type } = target;
    const name = next.metadata?.name;
    if (name !== target.name) {
      throw badRequest(`the name of the object (${String(name)}) does not match the name on the URL (${target.name})`);
    }
    if (type.namespaced && next.metadata?.namespace !== target.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const rv = next.metadata?.resourceVersion;
    if (rv !== undefined && rv !== null && rv !== '' && rv !== served.metadata?.resourceVersion) {
      throw conflict(type.plural, type.group, target.name);
    }
  }

  /** The storage form of a written object, keeping what clients cannot change. */
  private toStorage(target: WriteTarget, stored: KubeObject, written: KubeObject): KubeObject {
    let next: KubeObject = written;
    if (target.type.storage === '/events') next = toCoreEvent(written);
    else next = { ...written, apiVersion: stored.apiVersion, kind: stored.kind };
    const meta = { ...(next.metadata ?? {}) };
    const old = stored.metadata ?? {};
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.resourceVersion = old.resourceVersion;
    if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
    next.metadata = meta;
    // The status subresource writes status only; the main resource of a built-in type ignores status
    // changes. Custom resources keep both (the fake does not know whether their CRD has a status subresource).
    if (target.subresource === 'status') return { ...stored, status: next.status };
    if (target.type.builtin && target.type.storage !== '/events') {
      const { status: _status, ...rest } = next;
      return stored.status === undefined ? rest : { ...rest, status: stored.status };
    }
    return next;
  }

  private commit(
    target: WriteTarget,
    stored: KubeObject,
    next: KubeObject,
    dryRun: boolean,
    status: number,
  ): WriteResult {
    const { type, version } = target;
    if (deepEqual(next, stored)) return { status, object: this.store.present(type, version, stored, false) };
    const meta = { ...(next.metadata ?? {}) };
    if (tracksGeneration(type) && !deepEqual(specPart(next), specPart(stored))) {
      meta.generation = (typeof meta.generation === 'number' ? meta.generation : 0) + 1;
    }
    if (!dryRun) meta.resourceVersion = this.store.nextResourceVersion();
    const result = { ...next, metadata: meta };
    if (!dryRun) this.store.set(type, result);
    return { status, object: this.store.present(type, version, result, false) };
  }
}
