import type { Route } from './routes';
import { verbOf } from './routes';
import { statusBody } from './status';
import type { StatusDetails } from './status';
import type { FaultController, FaultRule } from './types';

/** The identity named in generated Forbidden messages. */
export const FAKE_USER = 'system:serviceaccount:mesh:mesh-doctor';

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** Fault rules, tried in the order added; the first that matches a request applies to it. */
export class Faults implements FaultController {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? Infinity;
    if (!(times > 0)) throw new Error('fault times must be positive');
    if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)) {
      throw new Error(`fault status ${rule.status} is not an HTTP status`);
    }
    this.rules.push({ rule: { ...rule }, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  get active(): readonly FaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, times: remaining }));
  }

  /** The rule that applies to a request, counting one use of it. */
  take(method: string, path: string, search: string): FaultRule | null {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (typeof rule.path === 'string' && !path.startsWith(rule.path)) continue;
      if (rule.path instanceof RegExp) {
        rule.path.lastIndex = 0;
        if (!rule.path.test(path + search)) continue;
      }
      entry.remaining--;
      if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
      return rule;
    }
    return null;
  }
}

/** A Status for an injected error, worded as the API server words it. */
export function faultStatus(
  code: number,
  method: string,
  path: string,
  route: Route,
  query: Record<string, string>,
  retryAfterSeconds: number | undefined,
): ReturnType<typeof statusBody> {
  const verb = verbOf(method, route, query);
  if (code === 403) {
    if (route.type !== 'resource') {
      return statusBody(403, `forbidden: User "${FAKE_USER}" cannot ${verb} path "${path}"`, {});
    }
    const resource = route.subresource ? `${route.plural}/${route.subresource}` : route.plural;
    const scope = route.namespace !== null ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
    const subject =
      route.name !== null ? `${route.plural}${route.group ? `.${route.group}` : ''} "${route.name}"` : route.plural;
    const details: StatusDetails = { group: route.group, kind: route.plural };
    if (route.name !== null) details.name = route.name;
    return statusBody(
      403,
      `${subject} is forbidden: User "${FAKE_USER}" cannot ${verb} resource "${resource}" in API group "${route.group}" ${scope}`,
      details,
    );
  }
  if (code === 429) {
    return statusBody(429, 'Too many requests, please try again later.', {
      retryAfterSeconds: retryAfterSeconds ?? 1,
    });
  }
  if (code === 500) {
    return statusBody(500, 'Internal error occurred: injected fault', {
      causes: [{ message: 'injected fault' }],
    });
  }
  if (code === 401) return statusBody(401, 'Unauthorized');
  if (code === 503) return statusBody(503, 'the server is currently unable to handle the request');
  if (code === 504) {
    return statusBody(504, 'Timeout: request did not complete within requested timeout - context deadline exceeded');
  }
  return statusBody(code, `injected fault (HTTP ${code})`);
}
