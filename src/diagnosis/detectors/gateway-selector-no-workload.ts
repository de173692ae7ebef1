import { noSymptomFact } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import {
  gatewaysScopedToNamespace,
  inTarget,
  podsOfGateway,
  selectorSelects,
  virtualServicesOfGateway,
  type IstioGateway,
} from '../gateways';
import { changeFact } from '../routing';
import type { Service, Workload } from '../kube-types';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** `k=v,k=v`, as istioctl prints a selector. */
export function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Istio Gateways whose selector matches no running gateway pod: in any namespace (istiod's default), or in the
 * Gateway's own namespace when istiod runs with PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true. No proxy serves their
 * servers, so every VirtualService bound to them is dead. A gateway Deployment scaled to zero is named.
 */
export const detectGatewaySelectorNoWorkload: Detector = ({ view, target, controlPlaneNamespaces }) => {
  if (!view.captured('Gateway')) return { drafts: [], skipped: 'no Istio Gateways read', detail: '' };
  if (!view.captured('Pod')) return { drafts: [], skipped: 'no pods read', detail: '' };
  const scoped = gatewaysScopedToNamespace(view, controlPlaneNamespaces);
  // With a target namespace only its pods and the control plane's are read: a gateway elsewhere is unknown.
  const podsRead = (ns: string | undefined): boolean =>
    !target.namespace || ns === target.namespace || controlPlaneNamespaces.includes(ns ?? '');
  const gateways = inTarget<IstioGateway>(view, 'Gateway', target).filter(
    (g) => Object.keys(g.spec?.selector ?? {}).length > 0,
  );
  const drafts: Draft[] = [];
  let unknown = 0;
  for (const gw of gateways) {
    const selector = gw.spec?.selector ?? {};
    if (podsOfGateway(view, gw, scoped).length > 0) continue;
    const ns = gw.metadata?.namespace;
    const elsewhere = view
      .list<Service>('Service')
      .some(
        (s) =>
          !podsRead(s.metadata?.namespace) &&
          (!scoped || s.metadata?.namespace === ns) &&
          selectorSelects(s.spec?.selector ?? {}, selector),
      );
    if (elsewhere) {
      unknown++;
      continue;
    }
    const gwRef = refOf(gw, 'Gateway');
    const where = scoped
      ? `in namespace ${ns ?? '?'} (istiod runs with PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true)`
      : 'in any namespace';
    const facts = [
      `${refText(gwRef)} selects ${selectorText(selector)}, and no running pod ${where} has these labels (IST0101).`,
    ];
    const idle = WORKLOAD_KINDS.flatMap((kind) =>
      view
        .list<Workload>(kind)
        .filter(
          (w) =>
            (!scoped || w.metadata?.namespace === ns) && selectorSelects(selector, w.spec?.template?.metadata?.labels),
        ),
    );
    for (const w of idle)
      facts.push(
        `${refText(refOf(w))} has pods with these labels in its template but ${w.spec?.replicas === 0 ? 'is scaled to 0 replicas' : `has ${w.status?.readyReplicas ?? 0} ready replica(s)`}.`,
      );
    const bound = virtualServicesOfGateway(view, gw).map((vs) => refOf(vs, 'VirtualService'));
    if (bound.length > 0)
      facts.push(
        `No proxy serves the routes of ${bound.map(refText).join(', ')}: their hosts are not reachable through this Gateway.`,
      );
    const changed = changeFact(gw, 'Gateway');
    if (changed) facts.push(changed);
    facts.push(noSymptomFact(view));
    drafts.push({
      resources: [gwRef, ...idle.map((w) => refOf(w)), ...bound],
      evidence: [fromObject(gwRef, `selector ${selectorText(selector)} matches no running gateway pod ${where}`)],
      confidence: confidence(bound.length > 0 ? 0.9 : 0.75),
      facts,
      severity: bound.length > 0 ? 'warning' : 'info',
    });
  }
  const skippedText = unknown > 0 ? `; ${unknown} left out: their gateway pods may run in a namespace not read` : '';
  return { drafts, detail: `${gateways.length} Istio Gateway selector(s) checked against the pods read${skippedText}` };
};
