import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import type { Service } from '../kube-types';
import type { DestinationRule, ServiceEntry } from '../routing';
import {
  CLUSTER_DOMAIN,
  changeFact,
  fqdnOf,
  hostMatches,
  inNamespace,
  isProvided,
  providersOf,
  serviceOfFqdn,
} from '../routing';

const LOCAL_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;

function serviceFqdns(view: ClusterView): string[] {
  return view
    .list<Service>('Service')
    .map((s) => `${s.metadata?.name ?? ''}.${s.metadata?.namespace ?? ''}${LOCAL_SUFFIX}`);
}

/** Why nothing provides the host, as far as the objects read tell, or null when something does. */
export function unknownHost(view: ClusterView, dr: DestinationRule, entriesRead: boolean): string | null {
  const host = dr.spec?.host;
  const ns = dr.metadata?.namespace ?? null;
  if (!host || host === '*') return null;
  const fqdn = fqdnOf(host, ns);
  if (fqdn.startsWith('*.')) {
    const known = [
      ...serviceFqdns(view),
      ...view.list<ServiceEntry>('ServiceEntry').flatMap((se) => se.spec?.hosts ?? []),
    ];
    if (known.some((h) => hostMatches(fqdn, h))) return null;
    return entriesRead || fqdn.endsWith(LOCAL_SUFFIX)
      ? `no Service or ServiceEntry host matches the wildcard ${fqdn}`
      : null;
  }
  if (!entriesRead && !fqdn.endsWith(LOCAL_SUFFIX)) return null;
  if (serviceOfFqdn(view, fqdn) || isProvided(providersOf(view, fqdn, ns))) return null;
  const anywhere = view
    .list<ServiceEntry>('ServiceEntry')
    .filter((se) => (se.spec?.hosts ?? []).includes(fqdn))
    .map((se) => refText(refOf(se, 'ServiceEntry')));
  if (anywhere.length > 0)
    return `${fqdn} is provided only by ${anywhere.join(', ')}, whose exportTo hides it from namespace ${ns ?? ''}`;
  const parts = host.split('.');
  const shortForm =
    parts.length === 2 && view.get<Service>('Service', parts[1] ?? null, parts[0] ?? '')
      ? `; Service ${parts[1]}/${parts[0]} exists, but Istio does not expand "${host}": write ${host}${LOCAL_SUFFIX}`
      : '';
  const name = fqdn.split('.')[0] ?? '';
  const sameName = view
    .list<Service>('Service')
    .filter((s) => fqdn.endsWith(LOCAL_SUFFIX) && s.metadata?.name === name)
    .map((s) => `${s.metadata?.namespace ?? ''}/${name}`);
  const elsewhere =
    sameName.length > 0 && !shortForm ? `; a Service of that name exists in ${sameName.join(', ')}` : '';
  return `no Service or ServiceEntry provides ${fqdn}${shortForm}${elsewhere}`;
}

/**
 * DestinationRules whose host matches no Service or ServiceEntry (IST0101 for the host): their traffic
 * policy and subsets apply to nothing, so the TLS, load-balancing or connection settings silently do not hold.
 */
export const detectDestinationRuleHostUnknown: Detector = ({ view, target }) => {
  for (const kind of ['DestinationRule', 'Service'])
    if (!view.captured(kind)) return { drafts: [], skipped: `no ${kind} objects read`, detail: '' };
  const entriesRead = view.captured('ServiceEntry');
  const rules = inNamespace<DestinationRule>(view, 'DestinationRule', target.namespace);
  const drafts: Draft[] = [];
  for (const dr of rules) {
    const why = unknownHost(view, dr, entriesRead);
    if (!why) continue;
    const ref = refOf(dr, 'DestinationRule');
    const facts = [
      `${refText(ref)} has host "${dr.spec?.host ?? ''}": ${why}. Its traffic policy and subsets apply to no traffic.`,
    ];
    const changed = changeFact(dr, 'DestinationRule');
    if (changed) facts.push(changed);
    facts.push(
      'Lower severity: such a rule breaks no request by itself; requests to the intended host run without its settings.',
    );
    drafts.push({
      resources: [ref],
      evidence: [fromObject(ref, `host ${dr.spec?.host ?? ''}`, dr.metadata?.creationTimestamp ?? null)],
      confidence: confidence(0.8),
      facts,
      severity: 'warning',
    });
  }
  const scope = entriesRead ? '' : ' (ServiceEntries not read: only cluster-local hosts judged)';
  return { drafts, detail: `${rules.length} DestinationRule host(s) looked up${scope}` };
};
