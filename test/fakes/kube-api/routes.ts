import { badRequest } from './status';

/** What a request path names, as the API server's RequestInfoFactory reads it. */
export type Route =
  | {
      type: 'resource';
      group: string;
      version: string;
      plural: string;
      namespace: string | null;
      name: string | null;
      subresource: string | null;
    }
  | { type: 'coreVersions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'unknown' };

/** Namespace subresources, which look like a namespaced collection (`/api/v1/namespaces/NS/status`). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRoute(pathname: string): Route {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest(`malformed path: ${pathname}`);
  }
  const [root, a, b] = segments;
  if (segments.length === 1 && root === 'version') return { type: 'version' };
  if (segments.length === 1 && (root === 'healthz' || root === 'livez' || root === 'readyz')) return { type: 'health' };
  let group: string;
  let version: string;
  let rest: string[];
  if (root === 'api') {
    if (segments.length === 1) return { type: 'coreVersions' };
    if (!a) return { type: 'unknown' };
    group = '';
    version = a;
    rest = segments.slice(2);
  } else if (root === 'apis') {
    if (segments.length === 1) return { type: 'groups' };
    if (!a) return { type: 'unknown' };
    if (segments.length === 2) return { type: 'group', group: a };
    if (!b) return { type: 'unknown' };
    group = a;
    version = b;
    rest = segments.slice(3);
  } else {
    return { type: 'unknown' };
  }
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  const namespacedPath =
    rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] ?? ''));
  if (namespacedPath) {
    if (rest.length > 5) return { type: 'unknown' };
    return {
      type: 'resource',
      group,
      version,
      namespace: rest[1] ?? null,
      plural: rest[2] ?? '',
      name: rest[3] ?? null,
      subresource: rest[4] ?? null,
    };
  }
  if (rest.length > 3) return { type: 'unknown' };
  return {
    type: 'resource',
    group,
    version,
    namespace: null,
    plural: rest[0] ?? '',
    name: rest[1] ?? null,
    subresource: rest[2] ?? null,
  };
}

/** The RBAC verb of a request. */
export function verbOf(method: string, route: Route, query: Record<string, string>): string {
  const named = route.type === 'resource' && route.name !== null;
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      if (!named && query.watch === 'true') return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
