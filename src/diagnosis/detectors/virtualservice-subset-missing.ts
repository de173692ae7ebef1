import { groupBy } from '../../util/group-by';
import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { DestinationRule, NamedDestination, RoutingVirtualService } from '../routing';
import {
  changeFact,
  destinationRulesFor,
  destinationsOf,
  inNamespace,
  isProvided,
  providersOf,
  serviceOfFqdn,
  workloadsOfService,
} from '../routing';

/** A destination naming a subset that no DestinationRule visible to the VirtualService defines. */
export interface MissingSubset {
  vs: RoutingVirtualService;
  at: NamedDestination;
  subset: string;
  /** DestinationRules for the host the VirtualService sees, and the subsets they define. */
  rules: DestinationRule[];
  defined: string[];
}

/** The destinations of VirtualServices that name subsets no visible DestinationRule for the host defines. */
export function missingSubsets(view: ClusterView, services: RoutingVirtualService[]): MissingSubset[] {
  const out: MissingSubset[] = [];
  for (const vs of services) {
    const ns = vs.metadata?.namespace ?? null;
    for (const at of destinationsOf(vs)) {
      const subset = at.destination.subset;
      if (!subset) continue;
      const rules = destinationRulesFor(view, at.fqdn, ns);
      const defined = [...new Set(rules.flatMap((dr) => (dr.spec?.subsets ?? []).map((s) => s.name ?? '')))];
      if (!defined.includes(subset)) out.push({ vs, at, subset, rules, defined });
    }
  }
  return out;
}

function problemText(m: MissingSubset): string {
  const where = `${m.at.path} routes to subset "${m.subset}" of ${m.at.fqdn}`;
  if (m.rules.length === 0)
    return `${where}, but no DestinationRule for that host is visible from namespace ${m.vs.metadata?.namespace ?? ''} (IST0101)`;
  const rules = m.rules.map((dr) => refText(refOf(dr, 'DestinationRule'))).join(', ');
  const defined = m.defined.length > 0 ? `only ${m.defined.join(', ')}` : 'no subset';
  return `${where}, but ${rules} define(s) ${defined} (IST0101)`;
}

function hostHint(m: MissingSubset): string | null {
  const host = m.at.destination.host ?? '';
  if (!host.includes('.') || host.endsWith('.svc.cluster.local')) return null;
  if (host.split('.').length !== 2) return null;
  return `The host "${host}" is not expanded by Istio (only names without a dot are): write ${host}.svc.cluster.local so it matches the DestinationRule and the Service.`;
}

/**
 * VirtualService routes and mirrors naming a subset that no DestinationRule for the host (as seen from the
 * VirtualService's namespace) defines. Envoy has no cluster for it: the route answers 503 NC.
 */
export const detectVirtualServiceSubsetMissing: Detector = ({ view, target, nowMs }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  if (!view.captured('DestinationRule')) return { drafts: [], skipped: 'no DestinationRules read', detail: '' };
  const services = inNamespace<RoutingVirtualService>(view, 'VirtualService', target.namespace);
  const drafts: Draft[] = [];
  const groups = groupBy(
    missingSubsets(view, services),
    (m) => `${m.vs.metadata?.namespace}/${m.vs.metadata?.name} ${m.at.fqdn}`,
  );
  for (const group of groups.values()) {
    const m = group[0]!;
    const subsets = new Set(group.map((g) => g.subset));
    const vsRef = refOf(m.vs, 'VirtualService');
    const symptoms = accessSymptoms(
      view,
      (r) => r.flags.includes('NC') && subsets.has(r.cluster?.subset ?? '') && r.cluster?.host === m.at.fqdn,
    );
    const svc = serviceOfFqdn(view, m.at.fqdn);
    const provider = providersOf(view, m.at.fqdn, m.vs.metadata?.namespace ?? null);
    const callers = symptoms.flatMap((s) => s.loggedBy);
    const resources: ObjectRef[] = uniqueRefs([
      vsRef,
      ...m.rules.map((dr) => refOf(dr, 'DestinationRule')),
      ...(svc ? [refOf(svc, 'Service')] : []),
      ...callers,
      ...(svc ? workloadsOfService(view, svc) : []),
    ]);
    const onlyMirrors = group.every((g) => g.at.path.includes('mirror'));
    const facts = group.map((g) => `${refText(vsRef)} ${problemText(g)}.`);
    const hint = hostHint(m);
    if (hint) facts.push(hint);
    if (onlyMirrors)
      facts.push('Only mirrors name the subset: the mirrored copies are dropped, the callers are still served.');
    for (const o of [m.vs, ...m.rules]) {
      const fact = changeFact(o, o === m.vs ? 'VirtualService' : 'DestinationRule');
      if (fact) facts.push(fact);
    }
    if (!isProvided(provider)) facts.push(`No Service or ServiceEntry provides ${m.at.fqdn} either.`);
    const count = symptoms.reduce((n, s) => n + s.count, 0);
    if (count > 0) {
      const callerText = callers.length ? ` logged by ${uniqueRefs(callers).map(refText).join(', ')}` : '';
      facts.push(`${count} request(s) to these subsets failed with 503 NC (cluster_not_found)${callerText}.`);
      facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
    } else facts.push(noSymptomFact(view));
    const evidence = [
      ...symptoms.slice(0, 3).map(symptomEvidence),
      ...group.map((g) =>
        fromObject(
          vsRef,
          `${g.at.path}: host ${g.at.destination.host}, subset ${g.subset}`,
          m.vs.metadata?.creationTimestamp ?? null,
        ),
      ),
      ...m.rules.map((dr) =>
        fromObject(
          refOf(dr, 'DestinationRule'),
          `host ${dr.spec?.host ?? ''}, subsets ${(dr.spec?.subsets ?? []).map((s) => s.name).join(', ') || 'none'}`,
          dr.metadata?.creationTimestamp ?? null,
        ),
      ),
    ];
    drafts.push({
      resources,
      evidence,
      confidence: confidence(count > 0 ? 0.95 : 0.8),
      facts,
      severity: count > 0 ? 'critical' : 'warning',
    });
  }
  return {
    drafts,
    detail: `${services.length} VirtualService(s) checked for subsets their DestinationRules define`,
  };
};
