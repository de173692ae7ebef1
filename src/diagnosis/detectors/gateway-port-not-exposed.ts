import { noSymptomFact } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import {
  gatewaysScopedToNamespace,
  inTarget,
  podsOfGateway,
  servicesOfPod,
  virtualServicesOfGateway,
  type IstioGateway,
} from '../gateways';
import { changeFact } from '../routing';
import type { Pod, Service } from '../kube-types';

type ContainerPorts = { containers?: { ports?: { name?: string; containerPort?: number }[] }[] };

/** The container port a named targetPort stands for in a pod, if any container names it. */
function namedPort(pod: Pod, name: string): number | null {
  const spec = pod.spec as ContainerPorts | undefined;
  for (const c of spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.name === name && p.containerPort) return p.containerPort;
  return null;
}

/**
 * The ports a gateway pod can be reached on through a Service: each TCP port's number and its target port (a
 * named one resolved in the pod), as the Gateway's server port may be either (istiod maps a Service port to
 * its target port for gateways).
 */
export function exposedPorts(services: Service[], pod: Pod): Set<number> {
  const ports = new Set<number>();
  for (const svc of services)
    for (const p of svc.spec?.ports ?? []) {
      if ((p as { protocol?: string }).protocol && (p as { protocol?: string }).protocol !== 'TCP') continue;
      if (p.port) ports.add(p.port);
      const target = typeof p.targetPort === 'string' ? namedPort(pod, p.targetPort) : (p.targetPort ?? null);
      if (target) ports.add(target);
    }
  return ports;
}

/**
 * Istio Gateway servers on a port no Service of the selected gateway pods exposes (IST0162): the gateway
 * listens there, but no client outside the pod can reach it.
 */
export const detectGatewayPortNotExposed: Detector = ({ view, target, controlPlaneNamespaces }) => {
  if (!view.captured('Gateway')) return { drafts: [], skipped: 'no Istio Gateways read', detail: '' };
  if (!view.captured('Pod') || !view.captured('Service'))
    return { drafts: [], skipped: 'pods or Services not read', detail: '' };
  const scoped = gatewaysScopedToNamespace(view, controlPlaneNamespaces);
  const drafts: Draft[] = [];
  let checked = 0;
  for (const gw of inTarget<IstioGateway>(view, 'Gateway', target)) {
    const pods = podsOfGateway(view, gw, scoped);
    if (pods.length === 0) continue; // gateway-selector-no-workload reports it
    checked++;
    const services: Service[] = [];
    const exposed = new Set<number>();
    for (const pod of pods) {
      const own = servicesOfPod(view, pod);
      services.push(...own);
      for (const port of exposedPorts(own, pod)) exposed.add(port);
    }
    const missing = [
      ...new Set(
        (gw.spec?.servers ?? [])
          .map((s) => s.port?.number)
          .filter((n): n is number => typeof n === 'number' && !exposed.has(n)),
      ),
    ];
    if (missing.length === 0) continue;
    const gwRef = refOf(gw, 'Gateway');
    const serviceRefs = uniqueRefs(services.map((s) => refOf(s, 'Service')));
    const workloads = uniqueRefs(pods.map((p) => view.workloadOfPod(p)));
    const bound: ObjectRef[] = virtualServicesOfGateway(view, gw).map((vs) => refOf(vs, 'VirtualService'));
    const offered = [...exposed].sort((a, b) => a - b).join(', ') || 'none';
    const via =
      serviceRefs.length > 0 ? serviceRefs.map(refText).join(', ') : 'no Service (none selects the gateway pods)';
    const facts = [
      `${refText(gwRef)} has server port(s) ${missing.join(', ')}, but ${via} expose(s) only ${offered} to ${workloads.map(refText).join(', ')} (IST0162).`,
    ];
    if (bound.length > 0)
      facts.push(
        `Routes of ${bound.map(refText).join(', ')} on these ports cannot be reached from outside the gateway pods.`,
      );
    const changed = changeFact(gw, 'Gateway');
    if (changed) facts.push(changed);
    facts.push(noSymptomFact(view));
    drafts.push({
      resources: uniqueRefs([gwRef, ...serviceRefs, ...workloads, ...bound]),
      evidence: [
        fromObject(
          gwRef,
          `server port(s) ${missing.join(', ')} not exposed by ${via} (ports and target ports: ${offered})`,
        ),
      ],
      confidence: confidence(serviceRefs.length > 0 ? 0.8 : 0.6),
      facts,
      severity: bound.length > 0 ? 'warning' : 'info',
    });
  }
  return { drafts, detail: `${checked} Istio Gateway(s) with gateway pods checked against their Services' ports` };
};
