import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef, Severity } from '../evidence';
import { confidence, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { Pod, Service, Workload } from '../kube-types';
import type { DestinationRule, RoutingVirtualService, Subset } from '../routing';
import {
  changeFact,
  destinationsOf,
  fqdnOf,
  inNamespace,
  podsOfService,
  podsOfSubset,
  serviceOfFqdn,
  workloadsOfPods,
} from '../routing';

/** A subset whose labels select none of the pods of the host's Service. */
export interface EmptySubset {
  dr: DestinationRule;
  subset: Subset;
  fqdn: string;
  service: Service;
  pods: Pod[];
}

/** The subsets of these DestinationRules that select none of the (some) pods their host's Service selects. */
export function emptySubsets(view: ClusterView, rules: DestinationRule[]): EmptySubset[] {
  const out: EmptySubset[] = [];
  for (const dr of rules) {
    if (!dr.spec?.host) continue;
    const fqdn = fqdnOf(dr.spec.host, dr.metadata?.namespace ?? null);
    const service = serviceOfFqdn(view, fqdn);
    if (!service) continue;
    const pods = podsOfService(view, service);
    if (pods.length === 0) continue;
    for (const subset of dr.spec.subsets ?? []) {
      if (Object.keys(subset.labels ?? {}).length === 0) continue;
      if (podsOfSubset(pods, subset).length === 0) out.push({ dr, subset, fqdn, service, pods });
    }
  }
  return out;
}

/** "version=v3 (the pods carry version=v1, v2)" for each subset label no pod of the Service has. */
function labelGap(e: EmptySubset): string {
  return Object.entries(e.subset.labels ?? {})
    .filter(([k, v]) => !e.pods.some((p) => p.metadata?.labels?.[k] === v))
    .map(([k, v]) => {
      const values = [...new Set(e.pods.map((p) => p.metadata?.labels?.[k]).filter((x): x is string => !!x))];
      return `${k}=${v} (the Service's pods carry ${values.length ? values.map((x) => `${k}=${x}`).join(', ') : `no ${k} label`})`;
    })
    .join('; ');
}

/**
 * ReplicaSets of the Service's namespace whose pod template the subset selects and the Service too: the
 * rollout history that once gave pods these labels. Says when the newer ReplicaSet of the same owner
 * replaced it.
 */
function labelHistory(view: ClusterView, e: EmptySubset): string[] {
  const ns = e.service.metadata?.namespace ?? null;
  const selector = { ...(e.service.spec?.selector ?? {}), ...(e.subset.labels ?? {}) };
  const sets = view.list<Workload>('ReplicaSet').filter((rs) => rs.metadata?.namespace === ns);
  const facts: string[] = [];
  for (const old of sets) {
    const labels = old.spec?.template?.metadata?.labels ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
    const owner = old.metadata?.ownerReferences?.find((o) => o.controller)?.name;
    const newer = sets
      .filter(
        (rs) =>
          rs !== old &&
          owner &&
          rs.metadata?.ownerReferences?.some((o) => o.name === owner) &&
          (rs.metadata?.creationTimestamp ?? '') > (old.metadata?.creationTimestamp ?? ''),
      )
      .sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''))[0];
    const revision = (rs: Workload) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const oldText = `ReplicaSet ${ns}/${old.metadata?.name ?? ''}${revision(old) ? ` (revision ${revision(old)})` : ''}`;
    if (!newer) {
      facts.push(`${oldText} has pods with these labels in its template but runs ${old.status?.replicas ?? 0} pod(s).`);
      continue;
    }
    const newLabels = newer.spec?.template?.metadata?.labels ?? {};
    const changed = Object.keys(e.subset.labels ?? {})
      .filter((k) => newLabels[k] !== labels[k])
      .map((k) => `${k}=${labels[k]} became ${newLabels[k] === undefined ? 'absent' : `${k}=${newLabels[k]}`}`);
    facts.push(
      `The rollout of Deployment ${ns}/${owner} at ${newer.metadata?.creationTimestamp ?? 'an unknown time'} (ReplicaSet ${newer.metadata?.name ?? ''}${revision(newer) ? `, revision ${revision(newer)}` : ''}) changed the pod labels: ${changed.join(', ') || 'see the pod template'}; ${oldText} had the labels the subset selects.`,
    );
  }
  return facts;
}

/** The VirtualServices that route (or mirror) to this subset of this host. */
function routesTo(view: ClusterView, fqdn: string, subset: string): RoutingVirtualService[] {
  return view
    .list<RoutingVirtualService>('VirtualService')
    .filter((vs) => destinationsOf(vs).some((d) => d.fqdn === fqdn && d.destination.subset === subset));
}

/**
 * DestinationRule subsets whose labels select none of the pods of the host's Service (IST0173): the subset's
 * cluster has no endpoints, so traffic routed to it ends in 503 UH (no healthy upstream).
 */
export const detectDestinationRuleSubsetNoPods: Detector = ({ view, target, nowMs }) => {
  for (const kind of ['DestinationRule', 'Service', 'Pod'])
    if (!view.captured(kind)) return { drafts: [], skipped: `no ${kind} objects read`, detail: '' };
  const rules = inNamespace<DestinationRule>(view, 'DestinationRule', target.namespace);
  const drafts: Draft[] = [];
  for (const e of emptySubsets(view, rules)) {
    const name = e.subset.name ?? '';
    const drRef = refOf(e.dr, 'DestinationRule');
    const svcRef = refOf(e.service, 'Service');
    const routing = routesTo(view, e.fqdn, name);
    const symptoms = accessSymptoms(
      view,
      (r) => r.flags.includes('UH') && r.cluster?.subset === name && r.cluster.host === e.fqdn,
    );
    const count = symptoms.reduce((n, s) => n + s.count, 0);
    const callers = symptoms.flatMap((s) => s.loggedBy);
    const facts = [
      `${refText(drRef)} subset "${name}" of ${e.fqdn} selects ${Object.entries(e.subset.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}, but none of the ${e.pods.length} pod(s) of ${refText(svcRef)} has ${labelGap(e)} (IST0173).`,
      ...labelHistory(view, e),
    ];
    const changed = changeFact(e.dr, 'DestinationRule');
    if (changed) facts.push(changed);
    facts.push(
      routing.length > 0
        ? `Routed to by ${routing.map((vs) => refText(refOf(vs, 'VirtualService'))).join(', ')}.`
        : 'No VirtualService read routes to this subset.',
    );
    let severity: Severity = routing.length > 0 ? 'warning' : 'info';
    if (count > 0) {
      severity = 'critical';
      facts.push(`${count} request(s) to the subset failed with 503 UH (no healthy upstream).`);
      facts.push(...symptoms.map((s) => `${symptomText(s, nowMs)}.`));
    } else facts.push(noSymptomFact(view));
    const resources: ObjectRef[] = uniqueRefs([
      drRef,
      svcRef,
      ...routing.map((vs) => refOf(vs, 'VirtualService')),
      ...workloadsOfPods(view, e.pods),
      ...callers,
    ]);
    drafts.push({
      resources,
      evidence: [
        ...symptoms.slice(0, 3).map(symptomEvidence),
        fromObject(
          drRef,
          `subset ${name}: labels ${JSON.stringify(e.subset.labels ?? {})}`,
          e.dr.metadata?.creationTimestamp ?? null,
        ),
      ],
      confidence: confidence(count > 0 ? 0.95 : 0.75),
      facts,
      severity,
    });
  }
  return { drafts, detail: `${rules.length} DestinationRule(s) checked for subsets that select no pod` };
};
