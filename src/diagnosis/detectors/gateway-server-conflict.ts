import { noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import {
  gatewaysScopedToNamespace,
  hostsOverlap,
  inTarget,
  routeNotFoundSymptoms,
  workloadsOfGateway,
  type GatewayServer,
  type IstioGateway,
} from '../gateways';
import { changeFact } from '../routing';
import { selectorText } from './gateway-selector-no-workload';

/** Two servers of different Gateways with the same selector that clash. */
export interface ServerClash {
  kind: 'conflict' | 'shared-certificate';
  a: IstioGateway;
  b: IstioGateway;
  port: number;
  /** Overlapping hosts (conflict) or the hosts served with the shared credential. */
  hosts: string[];
  credentialName?: string;
}

function hostsOf(server: GatewayServer): string[] {
  return (server.hosts ?? []).map((h) => h.slice(h.indexOf('/') + 1));
}

/**
 * Clashes between Gateways that select the same workload labels: servers on one port with overlapping hosts
 * (IST0145; istiod keeps one), and TLS servers on one port sharing a credentialName across Gateways (clients
 * reuse an HTTP/2 connection for every host of the certificate, and the other Gateway's routes answer 404).
 */
export function serverClashes(gateways: readonly IstioGateway[]): ServerClash[] {
  const clashes: ServerClash[] = [];
  for (let i = 0; i < gateways.length; i++)
    for (let j = i + 1; j < gateways.length; j++) {
      const a = gateways[i]!;
      const b = gateways[j]!;
      if (selectorText(a.spec?.selector ?? {}) !== selectorText(b.spec?.selector ?? {})) continue;
      for (const sa of a.spec?.servers ?? [])
        for (const sb of b.spec?.servers ?? []) {
          const port = sa.port?.number;
          if (port === undefined || port !== sb.port?.number) continue;
          const overlap = hostsOf(sa).filter((h) => hostsOf(sb).some((o) => hostsOverlap(h, o)));
          if (overlap.length > 0) clashes.push({ kind: 'conflict', a, b, port, hosts: overlap });
          else if (sa.tls?.credentialName && sa.tls.credentialName === sb.tls?.credentialName)
            clashes.push({
              kind: 'shared-certificate',
              a,
              b,
              port,
              hosts: [...hostsOf(sa), ...hostsOf(sb)],
              credentialName: sa.tls.credentialName,
            });
        }
    }
  return clashes;
}

function clashText(c: ServerClash): string {
  const pair = `${refText(refOf(c.a, 'Gateway'))} and ${refText(refOf(c.b, 'Gateway'))}`;
  const selector = selectorText(c.a.spec?.selector ?? {});
  return c.kind === 'conflict'
    ? `${pair} both serve ${c.hosts.join(', ')} on port ${c.port} for selector ${selector}; istiod keeps only one of the servers (IST0145)`
    : `${pair} use the same certificate ${c.credentialName} on port ${c.port} for selector ${selector} (hosts ${c.hosts.join(', ')}); HTTP/2 clients reuse one connection for all these hosts and get 404 from the Gateway that does not route them`;
}

/** Istio Gateways with the same selector that serve one host on one port, or share a TLS certificate. */
export const detectGatewayServerConflict: Detector = ({ view, target, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured('Gateway')) return { drafts: [], skipped: 'no Istio Gateways read', detail: '' };
  const scoped = gatewaysScopedToNamespace(view, controlPlaneNamespaces);
  const all = view.list<IstioGateway>('Gateway');
  // With PILOT_SCOPE_GATEWAY_TO_NAMESPACE a selector only reaches its own namespace: clashes stay within one.
  const clashes = serverClashes(all).filter((c) => !scoped || c.a.metadata?.namespace === c.b.metadata?.namespace);
  const inScope = new Set(inTarget<IstioGateway>(view, 'Gateway', target));
  const drafts: Draft[] = [];
  for (const c of clashes.filter((x) => inScope.has(x.a) || inScope.has(x.b))) {
    const refs = [refOf(c.a, 'Gateway'), refOf(c.b, 'Gateway')];
    const workloads = uniqueRefs([...workloadsOfGateway(view, c.a, scoped), ...workloadsOfGateway(view, c.b, scoped)]);
    const facts = [`${clashText(c)}.`];
    for (const g of [c.a, c.b]) {
      const changed = changeFact(g, 'Gateway');
      if (changed) facts.push(changed);
    }
    const symptoms = routeNotFoundSymptoms(view, c.hosts, workloads);
    const count = symptoms.reduce((n, s) => n + s.count, 0);
    if (count > 0) facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
    else facts.push(noSymptomFact(view));
    const draft: Draft = {
      resources: uniqueRefs([...refs, ...workloads]),
      evidence: [...symptoms.slice(0, 2).map(symptomEvidence), fromObject(refs[0]!, clashText(c))],
      confidence: confidence(count > 0 ? 0.9 : c.kind === 'conflict' ? 0.85 : 0.6),
      facts,
    };
    if (count === 0) draft.severity = c.kind === 'conflict' ? 'warning' : 'info';
    drafts.push(draft);
  }
  return { drafts, detail: `${all.length} Istio Gateway(s) compared by selector, port and host` };
};
