import { noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import {
  INTERNAL_GATEWAY_MARK,
  bindableHosts,
  gatewayOfBinding,
  hostsOverlap,
  inTarget,
  routeNotFoundSymptoms,
  workloadsOfGateway,
  type IstioGateway,
  type VirtualService,
} from '../gateways';
import { changeFact } from '../routing';

/** What is wrong with one `gateways` entry of a VirtualService. */
export type BindingProblem =
  | { kind: 'missing'; binding: string; gateway: ObjectRef }
  | { kind: 'internal'; binding: string; gateway: ObjectRef }
  | { kind: 'hosts'; binding: string; gateway: IstioGateway; hosts: string[] };

/** The problems of a VirtualService's gateway bindings, given the Istio Gateways that exist. */
export function bindingProblems(
  vs: VirtualService,
  gatewayOf: (ns: string | null, name: string) => IstioGateway | undefined,
): BindingProblem[] {
  const vsNamespace = vs.metadata?.namespace ?? null;
  const problems: BindingProblem[] = [];
  for (const binding of vs.spec?.gateways ?? []) {
    const ref = gatewayOfBinding(binding, vsNamespace);
    if (!ref) continue;
    const gateway = gatewayOf(ref.namespace, ref.name);
    const gwRef: ObjectRef = { kind: 'Gateway', namespace: ref.namespace, name: ref.name };
    if (ref.name.includes(INTERNAL_GATEWAY_MARK)) {
      problems.push({ kind: 'internal', binding, gateway: gwRef });
      continue;
    }
    if (!gateway) {
      problems.push({ kind: 'missing', binding, gateway: gwRef });
      continue;
    }
    const served = bindableHosts(gateway, vsNamespace);
    const hosts = (vs.spec?.hosts ?? []).filter((h) => !served.some((s) => hostsOverlap(s, h)));
    if (hosts.length > 0) problems.push({ kind: 'hosts', binding, gateway, hosts });
  }
  return problems;
}

function problemText(p: BindingProblem, vs: VirtualService): string {
  if (p.kind === 'missing') return `binds to gateway "${p.binding}", but no ${refText(p.gateway)} exists (IST0101)`;
  if (p.kind === 'internal')
    return `binds to gateway "${p.binding}", an internal Gateway istiod generates for a Gateway API Gateway; its name may change at any upgrade (IST0165)`;
  const served = bindableHosts(p.gateway, vs.metadata?.namespace ?? null);
  return `host(s) ${p.hosts.join(', ')} not served by ${refText(refOf(p.gateway))} (it serves ${served.length > 0 ? served.join(', ') : 'no host this namespace may bind'}) (IST0132)`;
}

/**
 * VirtualServices bound to a Gateway that does not exist, to a Gateway whose servers do not list the
 * VirtualService's hosts (for the VirtualService's namespace), or to a Gateway istiod generates for a
 * Gateway API Gateway. The gateway never gets these routes: requests for the hosts end in 404 NR.
 */
export const detectVirtualServiceGatewayMismatch: Detector = ({ view, target, nowMs }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  if (!view.captured('Gateway')) return { drafts: [], skipped: 'no Istio Gateways read', detail: '' };
  const services = inTarget<VirtualService>(view, 'VirtualService', target);
  const bound = services.filter((vs) => (vs.spec?.gateways ?? []).some((g) => g !== 'mesh'));
  const drafts: Draft[] = [];
  for (const vs of bound) {
    const problems = bindingProblems(vs, (ns, name) => view.get<IstioGateway>('Gateway', ns, name));
    if (problems.length === 0) continue;
    const vsRef = refOf(vs, 'VirtualService');
    // A Gateway that does not exist is named in the facts, not as an object at fault.
    const gateways = problems.flatMap((p) =>
      p.kind === 'hosts' ? [refOf(p.gateway, 'Gateway')] : p.kind === 'internal' ? [p.gateway] : [],
    );
    const broken = problems.flatMap((p) => (p.kind === 'hosts' ? workloadsOfGateway(view, p.gateway) : []));
    const facts = problems.map((p) => `${refText(vsRef)} ${problemText(p, vs)}.`);
    const changed = changeFact(vs, 'VirtualService');
    if (changed) facts.push(changed);
    // The gateways these hosts were meant for: the Gateways that exist, else every gateway pod's workload.
    const hosts = problems.flatMap((p) => (p.kind === 'hosts' ? p.hosts : (vs.spec?.hosts ?? [])));
    const symptoms = routeNotFoundSymptoms(view, hosts, broken);
    const count = symptoms.reduce((n, s) => n + s.count, 0);
    if (count > 0) {
      facts.push(
        `${count} request(s) for these hosts got 404 NR (route_not_found) at ${uniqueRefs(
          symptoms.flatMap((s) => s.loggedBy),
        )
          .map(refText)
          .join(', ')}.`,
      );
      facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
    } else {
      if (broken.length > 0)
        facts.push(
          `Requests for these hosts through ${uniqueRefs(broken).map(refText).join(', ')} would end in 404 NR (route_not_found).`,
        );
      facts.push(noSymptomFact(view));
    }
    const onlyInternal = problems.every((p) => p.kind === 'internal');
    const draft: Draft = {
      resources: uniqueRefs([vsRef, ...gateways, ...broken, ...symptoms.flatMap((s) => s.loggedBy)]),
      evidence: [
        ...symptoms.slice(0, 2).map(symptomEvidence),
        ...problems.map((p) => fromObject(vsRef, problemText(p, vs), vs.metadata?.creationTimestamp ?? null)),
      ],
      confidence: confidence(count > 0 ? 0.95 : onlyInternal ? 0.6 : 0.85),
      facts,
    };
    if (count === 0) draft.severity = onlyInternal ? 'info' : 'warning';
    drafts.push(draft);
  }
  return {
    drafts,
    detail: `${bound.length} VirtualService(s) bound to a gateway checked against ${view.list('Gateway').length} Istio Gateway(s)`,
  };
};
