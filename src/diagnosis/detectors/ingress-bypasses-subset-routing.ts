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
  gatewaysOf,
  inNamespace,
  podsOfService,
  podsOfSubset,
  serviceOfFqdn,
  workloadsOfPods,
} from '../routing';

/** A gateway route to a whole host that mesh VirtualServices split by subset. */
export interface Bypass {
  gatewayVs: RoutingVirtualService;
  at: NamedDestination;
  meshVs: RoutingVirtualService;
  /** `v1 90%`, `v2 10%` as the mesh VirtualService splits the host. */
  split: { subset: string; weight: number | null }[];
}

function gatewayBound(vs: RoutingVirtualService): boolean {
  const gateways = gatewaysOf(vs);
  return !gateways.includes('mesh') && gateways.length > 0;
}

/** Gateway VirtualService destinations without a subset for hosts that a mesh VirtualService splits by subset. */
export function ingressBypasses(view: ClusterView, gatewayServices: RoutingVirtualService[]): Bypass[] {
  const meshSplits = view
    .list<RoutingVirtualService>('VirtualService')
    .filter((vs) => gatewaysOf(vs).includes('mesh'))
    .map((vs) => ({
      vs,
      destinations: destinationsOf(vs).filter((d) => d.destination.subset && !d.path.includes('mirror')),
    }))
    .filter((m) => m.destinations.length > 0);
  const out: Bypass[] = [];
  for (const gatewayVs of gatewayServices.filter(gatewayBound)) {
    for (const at of destinationsOf(gatewayVs)) {
      if (at.destination.subset || at.path.includes('mirror')) continue;
      const mesh = meshSplits.find((m) => m.destinations.some((d) => d.fqdn === at.fqdn));
      if (!mesh) continue;
      const split = mesh.destinations
        .filter((d) => d.fqdn === at.fqdn)
        .map((d) => {
          const route = destinationWeight(mesh.vs, d);
          return { subset: d.destination.subset ?? '', weight: route };
        });
      out.push({ gatewayVs, at, meshVs: mesh.vs, split });
    }
  }
  return out;
}

function destinationWeight(vs: RoutingVirtualService, d: NamedDestination): number | null {
  const m = /^spec\.http\[(\d+)\]\.route\[(\d+)\]/.exec(d.path);
  if (!m) return null;
  return vs.spec?.http?.[Number(m[1])]?.route?.[Number(m[2])]?.weight ?? null;
}

/** "the Service's 4 pod(s): subset v1 3, subset v2 1" from the DestinationRule subsets and running pods. */
function podShare(view: ClusterView, b: Bypass, rules: DestinationRule[]): string | null {
  const svc = serviceOfFqdn(view, b.at.fqdn);
  if (!svc) return null;
  const pods = podsOfService(view, svc);
  if (pods.length === 0) return null;
  const subsets = rules.flatMap((dr) => dr.spec?.subsets ?? []);
  const counts = b.split.map(({ subset }) => {
    const def = subsets.find((s) => s.name === subset);
    return `${subset} ${def ? podsOfSubset(pods, def).length : '?'}`;
  });
  return `The gateway balances over all ${pods.length} pod(s) of ${refText(refOf(svc, 'Service'))} (by subset: ${counts.join(', ')}), so each subset gets its share of pods, not its weight.`;
}

/**
 * A gateway VirtualService that routes a host to the whole Service while a mesh VirtualService splits that host
 * by subset: requests coming in through the gateway ignore the split, so a canary subset gets ingress traffic.
 */
export const detectIngressBypassesSubsetRouting: Detector = ({ view, target }) => {
  if (!view.captured('VirtualService')) return { drafts: [], skipped: 'no VirtualServices read', detail: '' };
  const gatewayServices = inNamespace<RoutingVirtualService>(view, 'VirtualService', target.namespace);
  const drafts: Draft[] = [];
  for (const b of ingressBypasses(view, gatewayServices)) {
    const gwRef = refOf(b.gatewayVs, 'VirtualService');
    const meshRef = refOf(b.meshVs, 'VirtualService');
    const rules = destinationRulesFor(view, b.at.fqdn, b.gatewayVs.metadata?.namespace ?? null);
    const svc = serviceOfFqdn(view, b.at.fqdn);
    const splitText = b.split.map((s) => `${s.subset}${s.weight !== null ? ` ${s.weight}%` : ''}`).join(', ');
    const facts = [
      `${refText(gwRef)} (gateways ${gatewaysOf(b.gatewayVs).join(', ')}) ${b.at.path} sends ${b.at.fqdn} to the whole Service, while ${refText(meshRef)} splits it by subset (${splitText}) for the mesh only.`,
    ];
    const share = podShare(view, b, rules);
    if (share) facts.push(share);
    for (const [o, kind] of [
      [b.gatewayVs, 'VirtualService'],
      [b.meshVs, 'VirtualService'],
    ] as const) {
      const f = changeFact(o, kind);
      if (f) facts.push(f);
    }
    facts.push(
      'Lower severity: the ingress requests succeed, they are only not split; the access logs show no error for it.',
    );
    const resources: ObjectRef[] = uniqueRefs([
      gwRef,
      meshRef,
      ...(svc ? [refOf(svc, 'Service'), ...workloadsOfPods(view, podsOfService(view, svc))] : []),
      ...rules.map((dr) => refOf(dr, 'DestinationRule')),
    ]);
    drafts.push({
      resources,
      evidence: [
        fromObject(
          gwRef,
          `${b.at.path}: host ${b.at.destination.host ?? ''}, no subset`,
          b.gatewayVs.metadata?.creationTimestamp ?? null,
        ),
        fromObject(meshRef, `splits ${b.at.fqdn}: ${splitText}`, b.meshVs.metadata?.creationTimestamp ?? null),
      ],
      confidence: confidence(0.85),
      facts,
      severity: 'warning',
    });
  }
  return {
    drafts,
    detail: `${gatewayServices.filter(gatewayBound).length} gateway VirtualService(s) checked against mesh subset splits`,
  };
};
