import { noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import {
  gatewayOfBinding,
  gatewaysScopedToNamespace,
  inTarget,
  podsOfGateway,
  routeNotFoundSymptoms,
  selectorSelects,
  type IstioGateway,
  type VirtualService,
} from '../gateways';
import type { KubeObject, Pod } from '../kube-types';
import { changeFact } from '../routing';

const CLAIM_PREFIX = '@request.auth.claims';

interface RequestAuthentication extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string> }; targetRef?: unknown; targetRefs?: unknown[] };
}

type HttpRoute = { match?: { headers?: Record<string, unknown>; withoutHeaders?: Record<string, unknown> }[] };

/** The `@request.auth.claims...` header names a VirtualService's HTTP routes match on. */
export function claimMatches(vs: VirtualService): string[] {
  const names = new Set<string>();
  for (const route of (vs.spec?.http ?? []) as HttpRoute[])
    for (const m of route.match ?? [])
      for (const key of [...Object.keys(m.headers ?? {}), ...Object.keys(m.withoutHeaders ?? {})])
        if (key.startsWith(CLAIM_PREFIX)) names.add(key);
  return [...names];
}

/** Whether a RequestAuthentication applies to a pod: its namespace (or the root namespace) and its selector. */
export function requestAuthnApplies(ra: RequestAuthentication, pod: Pod, rootNamespaces: readonly string[]): boolean {
  const ns = ra.metadata?.namespace ?? '';
  if (ns !== pod.metadata?.namespace && !rootNamespaces.includes(ns)) return false;
  const labels = ra.spec?.selector?.matchLabels ?? {};
  if (Object.keys(labels).length === 0) return !ra.spec?.targetRef && !ra.spec?.targetRefs?.length;
  if (ns !== pod.metadata?.namespace) return false;
  return selectorSelects(labels, pod.metadata?.labels);
}

/**
 * VirtualServices on a gateway whose routes match JWT claims (`@request.auth.claims.*` headers) while no
 * RequestAuthentication applies to the gateway's pods: the claims are never extracted, so those routes never
 * match and the requests fall through to later routes or 404.
 */
export const detectJwtClaimRouteWithoutAuthn: Detector = ({ view, target, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  if (!view.captured('RequestAuthentication'))
    return { drafts: [], skipped: 'no RequestAuthentications read', detail: '' };
  if (!view.captured('Gateway') || !view.captured('Pod'))
    return { drafts: [], skipped: 'Istio Gateways or pods not read', detail: '' };
  const scoped = gatewaysScopedToNamespace(view, controlPlaneNamespaces);
  const authns = view.list<RequestAuthentication>('RequestAuthentication');
  const drafts: Draft[] = [];
  let checked = 0;
  for (const vs of inTarget<VirtualService>(view, 'VirtualService', target)) {
    const claims = claimMatches(vs);
    if (claims.length === 0) continue;
    for (const binding of vs.spec?.gateways ?? []) {
      const ref = gatewayOfBinding(binding, vs.metadata?.namespace ?? null);
      const gw = ref ? view.get<IstioGateway>('Gateway', ref.namespace, ref.name) : undefined;
      if (!gw) continue;
      const pods = podsOfGateway(view, gw, scoped);
      if (pods.length === 0) continue;
      checked++;
      const bare = pods.filter((p) => !authns.some((ra) => requestAuthnApplies(ra, p, controlPlaneNamespaces)));
      if (bare.length === 0) continue;
      const vsRef = refOf(vs, 'VirtualService');
      const gwRef = refOf(gw, 'Gateway');
      const workloads = uniqueRefs(bare.map((p) => view.workloadOfPod(p)));
      const facts = [
        `${refText(vsRef)} matches ${claims.join(', ')} on ${refText(gwRef)}, but no RequestAuthentication applies to ${workloads.map(refText).join(', ')}: the claims are never extracted, so these routes never match.`,
      ];
      const changed = changeFact(vs, 'VirtualService');
      if (changed) facts.push(changed);
      const symptoms = routeNotFoundSymptoms(view, vs.spec?.hosts ?? [], workloads);
      const count = symptoms.reduce((n, s) => n + s.count, 0);
      if (count > 0) facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
      else facts.push(noSymptomFact(view));
      const draft: Draft = {
        resources: uniqueRefs([vsRef, gwRef, ...workloads]),
        evidence: [
          ...symptoms.slice(0, 2).map(symptomEvidence),
          fromObject(
            vsRef,
            `routes match ${claims.join(', ')} through ${refText(gwRef)}; no RequestAuthentication selects its pods`,
          ),
        ],
        confidence: confidence(count > 0 ? 0.9 : 0.8),
        facts,
      };
      if (count === 0) draft.severity = 'warning';
      drafts.push(draft);
    }
  }
  return {
    drafts,
    detail: `${checked} gateway binding(s) of VirtualServices matching JWT claims checked for a RequestAuthentication`,
  };
};
