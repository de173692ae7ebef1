import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, faultStatus } from './faults';
import type { Instant } from './logs';
import { instantFromMs, parseInstant } from './logs';
import { PATCH_TYPES } from './patch';
import type { PatchType } from './patch';
import { apiVersionOf } from './resources';
import type { ResourceType } from './resources';
import type { Route } from './routes';
import { parseRoute } from './routes';
import { compileFieldSelector, compileLabelSelector } from './selectors';
import { HttpError, badRequest, noSuchResource, notFound, statusBody } from './status';
import type { ObjectStore } from './store';
import type { Json, RecordedRequest } from './types';
import { Writer } from './writes';

/** Request bodies above this size are refused (413). */
const MAX_BODY = 16 << 20;

export interface HandlerOptions {
  defaultPageLimit: number | null;
  now: Instant | null;
  port: () => number;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string | Buffer;
}

type ResourceRoute = Extract<Route, { type: 'resource' }>;

function contentTypeOf(req: IncomingMessage): string | null {
  const raw = req.headers['content-type'];
  return typeof raw === 'string' && raw !== '' ? raw : null;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseQuery(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of search) if (!(key in query)) query[key] = value;
  return query;
}

function intParam(query: Record<string, string>, name: string, min: number): number | null {
  const raw = query[name];
  if (raw === undefined || raw === '') return null;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name}: invalid value "${raw}": must be an integer`);
  const n = Number(raw);
  if (n < min) throw new HttpError(422, `${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

function boolParam(query: Record<string, string>, name: string): boolean {
  const raw = query[name];
  return raw === 'true' || raw === '1';
}

function dryRunParam(query: Record<string, string>): boolean {
  const raw = query.dryRun;
  if (raw === undefined || raw === '') return false;
  if (raw !== 'All') throw badRequest(`dryRun: Unsupported value: "${raw}": supported values: "All"`);
  return true;
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((c) => (c !== null && typeof c === 'object' ? (c as Json).name : undefined))
    .filter((n): n is string => typeof n === 'string');
}

/** The HTTP side of the fake: records, injects faults, routes and answers like the API server. */
export class Handler {
  readonly faults = new Faults();
  readonly requests: RecordedRequest[] = [];
  private readonly writer: Writer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly options: HandlerOptions,
  ) {
    this.writer = new Writer(store);
  }

  /** Entry point for `http.createServer`; never throws. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.process(req, res).catch((err: unknown) => {
      this.send(res, this.errorReply(err));
    });
  }

  /** Cancels pending fault delays (their requests are dropped). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      this.send(res, this.errorReply(badRequest(`malformed request URL: ${req.url ?? ''}`)));
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const query = parseQuery(url.searchParams);
    const contentType = contentTypeOf(req);
    const raw = await this.readBody(req);
    this.requests.push({ method, path, query, contentType, body: this.recordedBody(raw, contentType) });
    if (raw === null) {
      this.send(res, this.errorReply(new HttpError(413, 'Request entity too large: limit is 16777216')));
      return;
    }

    let route: Route;
    try {
      route = parseRoute(url.pathname);
    } catch (err) {
      this.send(res, this.errorReply(err));
      return;
    }

    const fault = this.faults.take(method, path, url.search);
    if (fault) {
      if (fault.delayMs !== undefined && fault.delayMs > 0) await this.sleep(fault.delayMs);
      if (this.closed) {
        req.socket.destroy();
        return;
      }
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = {};
        const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
        if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
        if (fault.body !== undefined) {
          const reply: Reply =
            typeof fault.body === 'string'
              ? { status: fault.status, headers, text: fault.body }
              : { status: fault.status, headers, json: fault.body };
          this.send(res, reply);
        } else {
          this.send(res, {
            status: fault.status,
            headers,
            json: faultStatus(fault.status, method, path, route, query, retryAfter),
          });
        }
        return;
      }
    }

    let reply: Reply;
    try {
      reply = this.dispatch(method, route, query, contentType, raw);
    } catch (err) {
      reply = this.errorReply(err);
    }
    this.send(res, reply);
  }

  private dispatch(
    method: string,
    route: Route,
    query: Record<string, string>,
    contentType: string | null,
    raw: string,
  ): Reply {
    switch (route.type) {
      case 'health':
        return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, text: 'ok' };
      case 'version':
        return {
          status: 200,
          json: {
            major: '1',
            minor: '30',
            gitVersion: 'v1.30.0-fake',
            gitCommit: '0000000000000000000000000000000000000000',
            gitTreeState: 'clean',
            buildDate: '2024-01-01T00:00:00Z',
            goVersion: 'go1.22.0',
            compiler: 'gc',
            platform: 'linux/amd64',
          },
        };
      case 'coreVersions':
        return {
          status: 200,
          json: {
            kind: 'APIVersions',
            versions: ['v1'],
            serverAddressByClientCIDRs: [
              { clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.options.port()}` },
            ],
          },
        };
      case 'groups':
        return { status: 200, json: { kind: 'APIGroupList', apiVersion: 'v1', groups: this.apiGroups() } };
      case 'group': {
        const group = this.apiGroups().find((g) => g.name === route.group);
        if (!group) throw noSuchResource();
        return { status: 200, json: { kind: 'APIGroup', apiVersion: 'v1', ...group } };
      }
      case 'groupVersion':
        return { status: 200, json: this.resourceList(route.group, route.version) };
      case 'resource':
        return this.resource(method, route, query, contentType, raw);
      case 'unknown':
        throw noSuchResource();
    }
  }

  private resource(
    method: string,
    route: ResourceRoute,
    query: Record<string, string>,
    contentType: string | null,
    raw: string,
  ): Reply {
    const type = this.store.registry.resolve(route.group, route.version, route.plural);
    if (!type) throw noSuchResource();
    if (route.namespace !== null && !type.namespaced) throw noSuchResource();
    if (route.namespace === null && route.name !== null && type.namespaced) throw noSuchResource();
    const namespace = type.namespaced ? route.namespace : null;

    if (route.subresource !== null) {
      if (route.subresource === 'log' && type.storage === '/pods' && method === 'GET' && route.name !== null) {
        return this.podLog(route.namespace ?? 'default', route.name, query);
      }
      if (route.subresource !== 'status' || route.name === null) throw noSuchResource();
    }

    if (route.name === null) {
      if (method === 'GET') {
        if (boolParam(query, 'watch')) throw badRequest('watch is not supported by the fake API server');
        return this.list(type, route.version, namespace, query);
      }
      if (method === 'POST') {
        const object = this.writer.create(
          { type, version: route.version, namespace, subresource: null },
          this.parseJson(raw, contentType),
          dryRunParam(query),
        );
        return { status: object.status, json: object.object };
      }
      throw new HttpError(405, `the server does not allow this method on the requested resource`);
    }

    const target = { type, version: route.version, namespace, name: route.name, subresource: route.subresource };
    switch (method) {
      case 'GET': {
        const object = this.store.get(type, namespace, route.name);
        if (!object) throw notFound(type.plural, type.group, route.name);
        return { status: 200, json: this.store.present(type, route.version, object, false) };
      }
      case 'PATCH': {
        const patchType = mediaType(contentType);
        if (!(PATCH_TYPES as readonly string[]).includes(patchType)) {
          throw new HttpError(
            415,
            `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
          );
        }
        const result = this.writer.patch(target, patchType as PatchType, this.parseJson(raw, null), dryRunParam(query));
        return { status: result.status, json: result.object };
      }
      case 'PUT': {
        const result = this.writer.replace(target, this.parseJson(raw, contentType), dryRunParam(query));
        return { status: result.status, json: result.object };
      }
      case 'DELETE': {
        if (route.subresource !== null)
          throw new HttpError(405, 'the server does not allow this method on the requested resource');
        const result = this.writer.delete(target, dryRunParam(query));
        return { status: result.status, json: result.object };
      }
      default:
        throw new HttpError(405, 'the server does not allow this method on the requested resource');
    }
  }

  private list(type: ResourceType, version: string, namespace: string | null, query: Record<string, string>): Reply {
    const label = compileLabelSelector(query.labelSelector);
    const field = compileFieldSelector(query.fieldSelector, type);
    const limit = intParam(query, 'limit', 0) ?? this.options.defaultPageLimit;
    const page = this.store.list(type, {
      namespace,
      label,
      field,
      limit,
      continueToken: query.continue !== undefined && query.continue !== '' ? query.continue : null,
    });
    const metadata: Json = { resourceVersion: page.resourceVersion };
    if (page.continueToken) metadata.continue = page.continueToken;
    if (page.remainingItemCount !== null) metadata.remainingItemCount = page.remainingItemCount;
    return {
      status: 200,
      json: {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type.group, version),
        metadata,
        items: page.items.map((item) => this.store.present(type, version, item, true)),
      },
    };
  }

  private podLog(namespace: string, name: string, query: Record<string, string>): Reply {
    const podType = this.store.registry.resolve('', 'v1', 'pods');
    const pod = podType ? this.store.get(podType, namespace, name) : undefined;
    if (!pod) throw notFound('pods', '', name);
    const spec = (pod.spec ?? {}) as Json;
    const status = (pod.status ?? {}) as Json;
    const main = names(spec.containers);
    const init = names(spec.initContainers);
    const all = [...main, ...init, ...names(spec.ephemeralContainers)];
    for (const c of this.store.logs.containers(namespace, name)) if (!all.includes(c)) all.push(c);
    let container = query.container;
    if (container === undefined || container === '') {
      const candidates = main.length > 0 ? main : all;
      if (candidates.length !== 1) {
        const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${candidates.join(' ')}]${initPart}`,
        );
      }
      container = candidates[0] as string;
    }
    if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);

    const sinceSeconds = intParam(query, 'sinceSeconds', 1);
    const sinceTimeRaw = query.sinceTime;
    if (sinceSeconds !== null && sinceTimeRaw) {
      throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
    }
    let since: Instant | null = null;
    if (sinceTimeRaw) {
      since = parseInstant(sinceTimeRaw);
      if (!since) throw badRequest(`sinceTime: invalid RFC 3339 time "${sinceTimeRaw}"`);
    } else if (sinceSeconds !== null) {
      const now = this.now();
      since = { sec: now.sec - sinceSeconds, ns: now.ns };
    }
    const tailLines = intParam(query, 'tailLines', 0);
    const limitBytes = intParam(query, 'limitBytes', 1);
    const textHeaders = { 'Content-Type': 'text/plain' };

    const statuses = [
      ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
      ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
      ...(Array.isArray(status.ephemeralContainerStatuses) ? status.ephemeralContainerStatuses : []),
    ] as Json[];
    const own = statuses.find((s) => s.name === container);
    const restarted = Number(own?.restartCount ?? 0) > 0;
    // Snapshots hold one log per container: a restarted container's lines before the current instance
    // started (state.running.startedAt) are its previous instance's log, the rest the current one's.
    const state = (own?.state ?? {}) as Json;
    const startedRaw = ((state.running ?? state.terminated ?? {}) as Json).startedAt;
    const started = restarted && typeof startedRaw === 'string' ? parseInstant(startedRaw) : null;
    if (boolParam(query, 'previous')) {
      if (!restarted) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      if (!started) return { status: 200, headers: textHeaders, text: '' };
    }
    const instance = boolParam(query, 'previous') ? { before: started } : { from: started };

    const body = this.store.logs.read(namespace, name, container, {
      ...instance,
      since,
      tailLines,
      limitBytes,
      timestamps: boolParam(query, 'timestamps'),
    });
    return { status: 200, headers: textHeaders, text: body };
  }

  private now(): Instant {
    return this.options.now ?? this.store.latestTime() ?? instantFromMs(Date.now());
  }

  private apiGroups(): { name: string; versions: Json[]; preferredVersion: Json }[] {
    const groups = new Map<string, Set<string>>();
    for (const type of this.served()) {
      if (type.group === '') continue;
      const versions = groups.get(type.group) ?? new Set<string>();
      for (const v of type.versions) versions.add(v);
      groups.set(type.group, versions);
    }
    return [...groups.entries()].map(([name, versions]) => {
      const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] ?? {} };
    });
  }

  /** Built-ins, plus custom resources whose CRD exists. */
  private served(): ResourceType[] {
    return this.store.registry.all();
  }

  private resourceList(group: string, version: string): Json {
    const types = this.served().filter((t) => t.group === group && t.versions.includes(version));
    if (types.length === 0) throw noSuchResource();
    const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update'];
    const resources: Json[] = [];
    for (const t of types) {
      resources.push({
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs,
      });
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
      if (t.storage === '/pods') {
        resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
  }

  private parseJson(raw: string, contentType: string | null): unknown {
    const type = mediaType(contentType);
    if (type !== '' && !type.includes('json')) {
      throw new HttpError(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
      );
    }
    if (raw.trim() === '') throw badRequest('the request body is empty');
    try {
      return JSON.parse(raw) as unknown;
    } catch (err) {
      throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
    }
  }

  private recordedBody(raw: string | null, contentType: string | null): unknown {
    if (raw === null || raw === '') return undefined;
    if (mediaType(contentType).includes('json')) {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return raw;
  }

  /** The body as text, or null when it exceeds the limit. */
  private readBody(req: IncomingMessage): Promise<string | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      if (this.closed) {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private errorReply(err: unknown): Reply {
    if (err instanceof HttpError) return { status: err.code, headers: err.headers, json: err.status };
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, json: statusBody(500, `Internal error occurred: ${message}`) };
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    let body: Buffer;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.text !== undefined) {
      body = typeof reply.text === 'string' ? Buffer.from(reply.text, 'utf8') : reply.text;
      headers['Content-Type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = Buffer.from(JSON.stringify(reply.json ?? null), 'utf8');
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  }
}
