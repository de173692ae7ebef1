import { groupBy } from '../../util/group-by';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import type { RoutingVirtualService } from '../routing';
import { changeFact, exportedTo, fqdnOf, gatewaysOf, serviceOfFqdn, workloadsOfService } from '../routing';

/** Oldest first, as Istio orders configuration (creation time, then namespace and name). */
function byAge(a: RoutingVirtualService, b: RoutingVirtualService): number {
  const key = (v: RoutingVirtualService) =>
    `${v.metadata?.creationTimestamp ?? ''} ${v.metadata?.namespace ?? ''}/${v.metadata?.name ?? ''}`;
  return key(a).localeCompare(key(b));
}

/** True when some namespace sees both VirtualServices (their exportTo overlap). */
function seenTogether(a: RoutingVirtualService, b: RoutingVirtualService): boolean {
  const nsA = a.metadata?.namespace ?? null;
  const nsB = b.metadata?.namespace ?? null;
  const candidates = [nsA, nsB, ...(a.spec?.exportTo ?? []), ...(b.spec?.exportTo ?? []), '\u0000other'];
  return candidates.some(
    (ns) => ns !== '.' && ns !== '*' && exportedTo(a.spec?.exportTo, nsA, ns) && exportedTo(b.spec?.exportTo, nsB, ns),
  );
}

/** Hosts that several VirtualServices bound to the mesh (sidecars) define, with those VirtualServices, oldest first. */
export function meshHostConflicts(view: ClusterView): { host: string; services: RoutingVirtualService[] }[] {
  const pairs = view
    .list<RoutingVirtualService>('VirtualService')
    .filter((vs) => gatewaysOf(vs).includes('mesh'))
    .flatMap((vs) =>
      [...new Set((vs.spec?.hosts ?? []).map((h) => fqdnOf(h, vs.metadata?.namespace ?? null)))].map((host) => ({
        host,
        vs,
      })),
    );
  return [...groupBy(pairs, (p) => p.host).entries()]
    .map(([host, group]) => ({ host, services: group.map((p) => p.vs).sort(byAge) }))
    .filter(({ services }) => services.length > 1 && services.slice(1).some((vs) => seenTogether(services[0]!, vs)));
}

/**
 * Several VirtualServices bound to the mesh gateway (the sidecars) for one host (IST0109): sidecars use one
 * of them and ignore the others' routes.
 */
export const detectVirtualServiceHostConflict: Detector = ({ view, target }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  const conflicts = meshHostConflicts(view).filter(
    (c) => !target.namespace || c.services.some((vs) => vs.metadata?.namespace === target.namespace),
  );
  const drafts: Draft[] = conflicts.map(({ host, services }) => {
    const refs = services.map((vs) => refOf(vs, 'VirtualService'));
    const svc = serviceOfFqdn(view, host);
    const facts = [
      `${refs.map(refText).join(', ')} all define host ${host} for the mesh (sidecars) (IST0109). Sidecars take the routes of one of them, in practice the oldest, ${refText(refs[0]!)}; the routes of the others are ignored.`,
      ...services.map((vs) => changeFact(vs, 'VirtualService')).filter((f): f is string => f !== null),
      'Lower severity: the access logs do not tell which requests would have taken the ignored routes.',
    ];
    return {
      resources: [...refs, ...(svc ? [refOf(svc, 'Service'), ...workloadsOfService(view, svc)] : [])],
      evidence: services.map((vs, i) =>
        fromObject(
          refs[i]!,
          `hosts ${(vs.spec?.hosts ?? []).join(', ')}; gateways ${gatewaysOf(vs).join(', ')}; ${(vs.spec?.http ?? []).length} http route(s)`,
          vs.metadata?.creationTimestamp ?? null,
        ),
      ),
      confidence: confidence(0.85),
      facts,
      severity: 'warning',
    };
  });
  return {
    drafts,
    detail: `${view.list('VirtualService').length} VirtualService(s) checked for mesh hosts defined twice`,
  };
};
