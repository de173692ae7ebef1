import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import type { HttpRoute, RoutingVirtualService } from '../routing';
import { changeFact, gatewaysOf, inNamespace } from '../routing';

type Match = Record<string, unknown>;
type StringMatch = { exact?: string; prefix?: string; regex?: string };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when every URI the string match `b` accepts is accepted by `a`. */
function uriCovers(a: StringMatch, b: StringMatch | undefined): boolean {
  if (!b) return false;
  if (a.prefix !== undefined) {
    const other = b.prefix ?? b.exact;
    return other !== undefined && other.startsWith(a.prefix);
  }
  if (a.exact !== undefined) return b.exact === a.exact;
  return same(a, b);
}

/** True when every request match block `b` accepts is accepted by `a` (each of a's conditions holds under b). */
export function matchCovers(a: Match, b: Match): boolean {
  return Object.entries(a).every(([key, value]) => {
    if (key === 'name') return true;
    if (key === 'uri') return uriCovers(value as StringMatch, b.uri as StringMatch | undefined);
    if ((key === 'headers' || key === 'queryParams') && value && typeof value === 'object') {
      const other = (b[key] ?? {}) as Record<string, unknown>;
      return Object.entries(value).every(([k, v]) => same(v, other[k]));
    }
    return same(value, b[key]);
  });
}

function matchesOf(route: HttpRoute): Match[] {
  const match = (route.match ?? []) as Match[];
  return match.length === 0 ? [{}] : match;
}

/** The index of the earlier route that makes route `i` unreachable, or null. */
export function shadowedBy(routes: HttpRoute[], i: number): number | null {
  const later = matchesOf(routes[i]!);
  for (let j = 0; j < i; j++) {
    const earlier = matchesOf(routes[j]!);
    if (later.every((b) => earlier.some((a) => matchCovers(a, b)))) return j;
  }
  return null;
}

function describe(route: HttpRoute, index: number): string {
  const name = route.name ? ` "${route.name}"` : '';
  const match = (route.match ?? []) as Match[];
  const text = match.length === 0 ? 'no match (catches every request)' : `match ${JSON.stringify(match)}`;
  return `spec.http[${index}]${name} with ${text}`;
}

/**
 * HTTP routes of a VirtualService that no request can reach because an earlier route (a catch-all, or a match
 * that covers theirs) takes every request they would match: Istio evaluates routes in order, first match wins.
 */
export const detectVirtualServiceRuleShadowed: Detector = ({ view, target }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  const services = inNamespace<RoutingVirtualService>(view, 'VirtualService', target.namespace);
  const drafts: Draft[] = [];
  for (const vs of services) {
    const routes = vs.spec?.http ?? [];
    const shadowed = routes
      .map((_, i) => ({ i, by: i > 0 ? shadowedBy(routes, i) : null }))
      .filter((s): s is { i: number; by: number } => s.by !== null);
    if (shadowed.length === 0) continue;
    const ref = refOf(vs, 'VirtualService');
    const facts = shadowed.map(
      ({ i, by }) =>
        `${refText(ref)} ${describe(routes[i]!, i)} is never used: the earlier ${describe(routes[by]!, by)} takes every request it would match.`,
    );
    const changed = changeFact(vs, 'VirtualService');
    if (changed) facts.push(changed);
    facts.push(
      'Lower severity: the requests are served, by the earlier route; the access logs cannot show which ones were meant for the shadowed route.',
    );
    drafts.push({
      resources: [ref],
      evidence: shadowed.map(({ i, by }) =>
        fromObject(
          ref,
          `http[${by}] ${JSON.stringify(routes[by]!.match ?? [])} before http[${i}] ${JSON.stringify(routes[i]!.match ?? [])}; gateways ${gatewaysOf(vs).join(', ')}`,
          vs.metadata?.creationTimestamp ?? null,
        ),
      ),
      confidence: confidence(0.85),
      facts,
      severity: 'warning',
    });
  }
  return { drafts, detail: `${services.length} VirtualService(s) checked for http routes an earlier one shadows` };
};
