import { randomUUID } from 'node:crypto';
import { eventTimes, isEventsApiVersion, toCoreEvent, toEventsV1 } from './events';
import { LogStore, compareInstants, parseInstant } from './logs';
import type { Instant } from './logs';
import { ResourceRegistry, apiVersionOf } from './resources';
import type { ResourceType } from './resources';
import type { Matcher } from './selectors';
import { EXPIRED_CONTINUE, HttpError } from './status';
import type { KubeObject } from './types';

interface Collection {
  readonly type: ResourceType;
  readonly objects: Map<string, KubeObject>;
  /** Keys in etcd order (`namespace/name`), rebuilt lazily after inserts and deletes. */
  sorted: string[] | null;
}

export interface ListOptions {
  namespace: string | null;
  label: Matcher | null;
  field: Matcher | null;
  limit: number | null;
  continueToken: string | null;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken: string | null;
  remainingItemCount: number | null;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** Lower bound of `target` in a sorted array. */
function lowerBound(sorted: string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function objectKey(type: ResourceType, namespace: string | null | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** Kubernetes objects by resource type, with a global resource version counter. */
const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/** A CustomResourceDefinition object's group, plural, kind, scope and served versions, if it has them. */
function describedResource(
  object: KubeObject,
): { group: string; plural: string; kind: string; namespaced: boolean; versions: string[] } | null {
  const spec = (object.spec ?? {}) as {
    group?: unknown;
    scope?: unknown;
    names?: { plural?: unknown; kind?: unknown };
    versions?: { name?: unknown; served?: unknown }[];
  };
  const { group } = spec;
  const plural = spec.names?.plural;
  const kind = spec.names?.kind;
  if (typeof group !== 'string' || typeof plural !== 'string' || typeof kind !== 'string') return null;
  const versions = (Array.isArray(spec.versions) ? spec.versions : [])
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => v.name as string);
  return { group, plural, kind, namespaced: spec.scope !== 'Cluster', versions };
}

export class ObjectStore {
  /** Every custom resource type gets a CustomResourceDefinition object, as on a real cluster. */
  readonly registry = new ResourceRegistry((type) => this.syncCrd(type));
  readonly logs = new LogStore();
  private readonly collections = new Map<string, Collection>();
  private revision = 0;
  private compactedRevision = 0;
  private latestObjectTime: Instant | null = null;

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** A fresh resource version (every real write takes one). */
  nextResourceVersion(): string {
    this.revision++;
    return String(this.revision);
  }

  /** Makes all continue tokens issued so far stale. */
  compact(): void {
    this.compactedRevision = this.revision + 1;
    this.revision++;
  }

  /**
   * Resolves an object's type and storage form: Events become core/v1, a missing apiVersion is taken
   * from the built-in kind, and the namespace follows the resource's scope.
   */
  normalize(input: KubeObject): { type: ResourceType; object: KubeObject } {
    const kind = input.kind;
    const name = input.metadata?.name;
    if (typeof kind !== 'string' || kind === '') throw new Error('object has no kind');
    if (typeof name !== 'string' || name === '') throw new Error(`${kind} has no metadata.name`);
    let apiVersion = typeof input.apiVersion === 'string' && input.apiVersion !== '' ? input.apiVersion : null;
    if (!apiVersion) {
      const builtin = this.registry.all().find((t) => t.builtin && t.kind === kind);
      if (!builtin) throw new Error(`${kind} ${name} has no apiVersion`);
      apiVersion = apiVersionOf(builtin.group, builtin.versions[0] ?? 'v1');
    }
    let object: KubeObject = { ...input, apiVersion, metadata: { ...(input.metadata ?? {}) } };
    if (kind === 'Event' && (apiVersion === 'v1' || isEventsApiVersion(apiVersion))) object = toCoreEvent(object);
    const type = this.registry.typeFor(object.apiVersion ?? apiVersion, kind, Boolean(object.metadata?.namespace));
    const metadata = { ...(object.metadata ?? {}) };
    if (type.namespaced) metadata.namespace = metadata.namespace || 'default';
    else delete metadata.namespace;
    object.metadata = metadata;
    return { type, object };
  }

  /**
   * Stores an object as captured: its resourceVersion is kept (the counter moves past it) and one is
   * assigned when missing; a uid is generated when missing.
   */
  load(input: KubeObject): KubeObject {
    const { type, object } = this.normalize(input);
    const meta = object.metadata ?? {};
    const rv = Number(meta.resourceVersion);
    if (meta.resourceVersion && Number.isSafeInteger(rv) && rv > 0) {
      if (rv > this.revision) this.revision = rv;
    } else {
      meta.resourceVersion = this.nextResourceVersion();
    }
    if (!meta.uid) meta.uid = randomUUID();
    this.set(type, object);
    return object;
  }

  /** Adds or replaces an object as a write (a new resourceVersion). */
  write(input: KubeObject): KubeObject {
    const { type, object } = this.normalize(input);
    const meta = object.metadata ?? {};
    const existing = this.get(type, meta.namespace ?? null, meta.name ?? '');
    meta.uid = meta.uid || existing?.metadata?.uid || randomUUID();
    meta.resourceVersion = this.nextResourceVersion();
    this.set(type, object);
    return object;
  }

  /**
   * Lists a custom resource type among the CRDs: a CRD object is made when none was loaded for it, and
   * its served versions follow the type's.
   */
  private syncCrd(type: ResourceType): void {
    const crdType = this.registry.byKind('apiextensions.k8s.io', 'CustomResourceDefinition');
    if (!crdType) return;
    const name = `${type.plural}.${type.group}`;
    const existing = this.get(crdType, null, name);
    const spec = (existing?.spec ?? {}) as { versions?: { name?: string; served?: boolean; storage?: boolean }[] };
    const listed = new Set((spec.versions ?? []).map((v) => v.name));
    if (existing && type.versions.every((v) => listed.has(v))) return;
    const versions = [
      ...(spec.versions ?? []),
      ...type.versions.filter((v) => !listed.has(v)).map((v) => ({ name: v, served: true, storage: false })),
    ];
    const object: KubeObject = {
      apiVersion: CRD_API_VERSION,
      kind: 'CustomResourceDefinition',
      ...(existing ?? {}),
      metadata: {
        ...(existing?.metadata ?? { uid: randomUUID(), creationTimestamp: '2024-01-01T00:00:00Z' }),
        name,
        resourceVersion: this.nextResourceVersion(),
      },
      spec: {
        group: type.group,
        names: {
          kind: type.kind,
          plural: type.plural,
          listKind: `${type.kind}List`,
          singular: type.kind.toLowerCase(),
        },
        scope: type.namespaced ? 'Namespaced' : 'Cluster',
        ...((existing?.spec as object | undefined) ?? {}),
        versions: versions.map((v, i) => ({ ...v, storage: versions.some((w) => w.storage) ? v.storage : i === 0 })),
      },
    };
    this.setObject(crdType, object);
  }

  /** Stores the object under its type (no checks, no version bump); a CRD object declares its resource. */
  set(type: ResourceType, object: KubeObject): void {
    this.setObject(type, object);
    if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') {
      const described = describedResource(object);
      if (described) this.registry.addCrdObject(described);
    }
  }

  private setObject(type: ResourceType, object: KubeObject): void {
    const collection = this.collection(type);
    const key = objectKey(type, object.metadata?.namespace, object.metadata?.name ?? '');
    if (!collection.objects.has(key)) collection.sorted = null;
    collection.objects.set(key, object);
    this.noteTimes(type, object);
  }

  delete(type: ResourceType, namespace: string | null, name: string): boolean {
    const collection = this.collections.get(type.storage);
    if (!collection) return false;
    const deleted = collection.objects.delete(objectKey(type, namespace, name));
    if (deleted) collection.sorted = null;
    return deleted;
  }

  get(type: ResourceType, namespace: string | null, name: string): KubeObject | undefined {
    return this.collections.get(type.storage)?.objects.get(objectKey(type, namespace, name));
  }

  /** All objects of a type in key order. */
  all(type: ResourceType): KubeObject[] {
    const collection = this.collections.get(type.storage);
    if (!collection) return [];
    return this.sortedKeys(collection).map((k) => collection.objects.get(k) as KubeObject);
  }

  /** True when any object of the type exists. */
  hasObjects(type: ResourceType): boolean {
    return (this.collections.get(type.storage)?.objects.size ?? 0) > 0;
  }

  /** One page of a list, filtered by namespace and selectors, continuing from a token. */
  list(type: ResourceType, options: ListOptions): ListPage {
    const collection = this.collections.get(type.storage);
    let listRevision = this.revision;
    let start = '';
    if (options.continueToken) {
      const token = this.decodeContinue(options.continueToken);
      listRevision = token.rv;
      start = token.start;
    }
    const prefix = type.namespaced && options.namespace !== null ? `${options.namespace}/` : '';
    if (start < prefix) start = prefix;
    const items: KubeObject[] = [];
    let continueToken: string | null = null;
    let remaining: number | null = null;
    if (collection) {
      const keys = this.sortedKeys(collection);
      const limit = options.limit !== null && options.limit > 0 ? options.limit : Infinity;
      const filtered = options.label !== null || options.field !== null;
      let i = lowerBound(keys, start);
      for (; i < keys.length; i++) {
        const key = keys[i] as string;
        if (prefix && !key.startsWith(prefix)) break;
        const object = collection.objects.get(key) as KubeObject;
        if (options.label && !options.label(object)) continue;
        if (options.field && !options.field(object)) continue;
        items.push(object);
        if (items.length >= limit) break;
      }
      if (items.length >= limit) {
        let end = keys.length;
        if (prefix) end = lowerBound(keys, `${prefix.slice(0, -1)}0`);
        if (i + 1 < end) {
          continueToken = this.encodeContinue(listRevision, `${keys[i] as string}\u0000`);
          if (!filtered) remaining = end - i - 1;
        }
      }
    }
    return { items, resourceVersion: String(listRevision), continueToken, remainingItemCount: remaining };
  }

  /** Types that hold at least one object. */
  types(): ResourceType[] {
    return [...this.collections.values()].filter((c) => c.objects.size > 0).map((c) => c.type);
  }

  /** The latest timestamp among logs, events and object creation times. */
  latestTime(): Instant | null {
    const logs = this.logs.latest();
    const objects = this.latestObjectTime;
    if (!logs) return objects;
    if (!objects) return logs;
    return compareInstants(logs, objects) >= 0 ? logs : objects;
  }

  /** An object as served at a version: apiVersion of the request, events.k8s.io shape for that API. */
  present(type: ResourceType, version: string, object: KubeObject, inList: boolean): KubeObject {
    const shaped = type.group === 'events.k8s.io' ? toEventsV1(object) : object;
    if (inList && type.builtin) {
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = shaped;
      return rest;
    }
    return { ...shaped, apiVersion: apiVersionOf(type.group, version), kind: type.kind };
  }

  private encodeContinue(rv: number, start: string): string {
    const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start };
    return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
  }

  private decodeContinue(raw: string): ContinueToken {
    let token: unknown;
    try {
      token = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    } catch {
      token = null;
    }
    const t = token as Partial<ContinueToken> | null;
    if (!t || t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') {
      throw new HttpError(
        410,
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
    if (t.rv < this.compactedRevision || t.rv > this.revision) throw new HttpError(410, EXPIRED_CONTINUE);
    return { v: t.v, rv: t.rv, start: t.start };
  }

  private collection(type: ResourceType): Collection {
    let collection = this.collections.get(type.storage);
    if (!collection) {
      collection = { type, objects: new Map(), sorted: null };
      this.collections.set(type.storage, collection);
    }
    return collection;
  }

  private sortedKeys(collection: Collection): string[] {
    if (!collection.sorted) collection.sorted = [...collection.objects.keys()].sort();
    return collection.sorted;
  }

  private noteTimes(type: ResourceType, object: KubeObject): void {
    const times = type.storage === '/events' ? eventTimes(object) : [];
    if (object.metadata?.creationTimestamp) times.push(object.metadata.creationTimestamp);
    for (const t of times) {
      const instant = parseInstant(t);
      if (instant && (!this.latestObjectTime || compareInstants(instant, this.latestObjectTime) > 0)) {
        this.latestObjectTime = instant;
      }
    }
  }
}
