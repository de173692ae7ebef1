import { groupBy } from '../../util/group-by';
import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { NamedDestination, RoutingVirtualService } from '../routing';
import {
  CLUSTER_DOMAIN,
  destinationsOf,
  changeFact,
  inNamespace,
  isProvided,
  providedPorts,
  providersOf,
  workloadsOfService,
} from '../routing';

/** What is wrong with one destination. */
export interface DestinationProblem {
  vs: RoutingVirtualService;
  at: NamedDestination;
  kind: 'host' | 'port' | 'port-required';
  /** The ports the host's providers offer (for port problems). */
  ports: number[];
}

/** Destinations of VirtualServices whose host or port nothing provides, or that need a port and name none. */
export function destinationProblems(
  view: ClusterView,
  services: RoutingVirtualService[],
  entriesRead: boolean,
): DestinationProblem[] {
  const out: DestinationProblem[] = [];
  for (const vs of services) {
    for (const at of destinationsOf(vs)) {
      if (at.fqdn.includes('*')) continue;
      const provider = providersOf(view, at.fqdn, vs.metadata?.namespace ?? null);
      if (!isProvided(provider)) {
        if (entriesRead || at.fqdn.endsWith(`.svc.${CLUSTER_DOMAIN}`)) out.push({ vs, at, kind: 'host', ports: [] });
        continue;
      }
      const ports = providedPorts(provider);
      const port = at.destination.port?.number;
      if (port !== undefined && ports.length > 0 && !ports.includes(port)) out.push({ vs, at, kind: 'port', ports });
      else if (port === undefined && ports.length > 1) out.push({ vs, at, kind: 'port-required', ports });
    }
  }
  return out;
}

function problemText(p: DestinationProblem): string {
  const where = `${p.at.path} (host ${p.at.destination.host ?? ''})`;
  if (p.kind === 'host')
    return `${where}: no Service or ServiceEntry visible from namespace ${p.vs.metadata?.namespace ?? ''} provides ${p.at.fqdn} (IST0101)`;
  if (p.kind === 'port')
    return `${where}: port ${p.at.destination.port?.number} is not a port of ${p.at.fqdn}, which offers ${p.ports.join(', ')} (IST0101)`;
  return `${where}: ${p.at.fqdn} offers several ports (${p.ports.join(', ')}) and the destination names none (IST0112)`;
}

function hostOf(authority: string | null): string {
  return (authority ?? '').replace(/:[0-9]+$/, '');
}

/**
 * VirtualService destinations (routes and mirrors) whose host no Service or ServiceEntry provides, whose port
 * the host does not offer, or that name no port of a multi-port host. Envoy has no cluster to send to:
 * 503 NC, or 404 NR when the host's routes are never built.
 */
export const detectVirtualServiceDestinationMissing: Detector = ({ view, target, nowMs }) => {
  for (const kind of ['VirtualService', 'Service'])
    if (!view.captured(kind)) return { drafts: [], skipped: `no ${kind} objects read`, detail: '' };
  const entriesRead = view.captured('ServiceEntry');
  const services = inNamespace<RoutingVirtualService>(view, 'VirtualService', target.namespace);
  const problems = destinationProblems(view, services, entriesRead);
  const drafts: Draft[] = [];
  for (const group of groupBy(
    problems,
    (p) => `${p.vs.metadata?.namespace}/${p.vs.metadata?.name} ${p.at.fqdn}`,
  ).values()) {
    const first = group[0]!;
    const vsRef = refOf(first.vs, 'VirtualService');
    const vsHosts = new Set((first.vs.spec?.hosts ?? []).map((h) => hostOf(h)));
    const symptoms = accessSymptoms(
      view,
      (r) =>
        (r.flags.includes('NC') && r.cluster?.host === first.at.fqdn) ||
        (first.kind === 'host' && r.flags.includes('NR') && r.code === 404 && vsHosts.has(hostOf(r.authority))),
    );
    const count = symptoms.reduce((n, s) => n + s.count, 0);
    const callers = symptoms.flatMap((s) => s.loggedBy);
    const provider = providersOf(view, first.at.fqdn, first.vs.metadata?.namespace ?? null);
    const facts = group.map((p) => `${refText(vsRef)} ${problemText(p)}.`);
    const changed = changeFact(first.vs, 'VirtualService');
    if (changed) facts.push(changed);
    if (count > 0) {
      facts.push(
        `${count} request(s) for the host failed (${[...new Set(symptoms.flatMap((s) => s.outcomes))].join(', ')}).`,
      );
      facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
    } else facts.push(noSymptomFact(view));
    const resources: ObjectRef[] = uniqueRefs([
      vsRef,
      ...(provider.service ? [refOf(provider.service, 'Service'), ...workloadsOfService(view, provider.service)] : []),
      ...provider.serviceEntries.map((se) => refOf(se, 'ServiceEntry')),
      ...callers,
    ]);
    drafts.push({
      resources,
      evidence: [
        ...symptoms.slice(0, 3).map(symptomEvidence),
        ...group.map((p) =>
          fromObject(
            vsRef,
            `${p.at.path}: host ${p.at.destination.host ?? ''}${p.at.destination.port?.number ? `, port ${p.at.destination.port.number}` : ''}`,
            first.vs.metadata?.creationTimestamp ?? null,
          ),
        ),
      ],
      confidence: confidence(count > 0 ? 0.95 : 0.8),
      facts,
      severity: count > 0 ? 'critical' : 'warning',
    });
  }
  return {
    drafts,
    detail: `${services.length} VirtualService(s) checked for destinations no Service or ServiceEntry provides`,
  };
};
