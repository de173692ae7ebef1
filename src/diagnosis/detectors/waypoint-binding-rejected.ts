import { refOf, type ClusterView } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef } from '../evidence';
import { confidence, fromObject, refText, sameRef, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod, Service } from '../kube-types';
import type { AuthorizationPolicy } from '../policies';
import { workloadsOfService } from '../routing';
import {
  admits,
  carries,
  conditionOf,
  GATEWAY_API_GATEWAY,
  gatewayOf,
  labelledWaypoint,
  SERVICE_KINDS,
  serviceWaypoint,
  WAYPOINT_BOUND,
  WAYPOINT_FOR_LABEL,
  waypointFor,
  waypointInMessage,
  waypointRef,
} from '../waypoints';
import { isWaypointGateway } from '../ztunnel';

/** WaypointBound reasons that mean the object is not bound to the waypoint its label names. */
const REFUSALS = new Set([
  'AttachmentDenied',
  'UnsupportedTrafficType',
  'CrossNamespaceWaypointForbidden',
  'WaypointIsNotReady',
]);

/** How an object uses a waypoint: its Services' traffic, its pods' traffic, or both (a namespace label). */
type Use = 'service' | 'workload' | 'namespace';

/** One refused binding: the object carrying the label, the waypoint it names, and what shows the refusal. */
interface Rejection {
  labelledBy: ObjectRef;
  waypoint: string;
  /** Objects whose status reports the refusal, with the condition text. */
  reported: { ref: ObjectRef; text: string; at: string | null }[];
  /** Why, from the objects (missing Gateway, allowedRoutes, waypoint-for). */
  causes: string[];
  /** Pods carrying the label themselves (for a workload), counted. */
  pods: number;
}

/** The reasons, read from the objects, why a waypoint refuses an object of `namespace` that uses it this way; [] when none is seen. */
export function refusalCauses(view: ClusterView, waypoint: string, namespace: string, use: Use): string[] {
  if (!view.captured(GATEWAY_API_GATEWAY)) return [];
  const gateway = gatewayOf(view, waypoint);
  if (!gateway) return [`No Gateway ${waypoint} exists (kubectl get gateway.gateway.networking.k8s.io).`];
  // A Gateway of another class may be a waypoint of a custom class: nothing is said about it.
  if (!isWaypointGateway(gateway)) return [];
  const causes: string[] = [];
  const admitted = admits(view, gateway, namespace);
  if (admitted.allowed === false)
    causes.push(`Waypoint ${waypoint}: ${admitted.rule}, so namespace ${namespace} may not attach to it.`);
  const traffic = waypointFor(view, gateway);
  const labelText = gateway.metadata?.labels?.[WAYPOINT_FOR_LABEL]
    ? `${WAYPOINT_FOR_LABEL}=${traffic}`
    : `no ${WAYPOINT_FOR_LABEL} label, so it takes ${traffic} traffic`;
  if (use === 'service' && !carries(traffic, 'service'))
    causes.push(`Waypoint ${waypoint} has ${labelText}: it does not take service traffic (needs service or all).`);
  if (use === 'workload' && !carries(traffic, 'workload'))
    causes.push(
      `Waypoint ${waypoint} has ${labelText}: it does not take workload traffic, which a pod's own label asks for (needs workload or all).`,
    );
  if (use === 'namespace' && traffic === 'none')
    causes.push(`Waypoint ${waypoint} has ${WAYPOINT_FOR_LABEL}=none: it takes no traffic at all.`);
  return causes;
}

function labelText(object: KubeObject | undefined): string {
  const labels = object?.metadata?.labels ?? {};
  const ns = labels['istio.io/use-waypoint-namespace'];
  return `istio.io/use-waypoint=${labels['istio.io/use-waypoint'] ?? '?'}${ns ? ` and istio.io/use-waypoint-namespace=${ns}` : ''}`;
}

/** AuthorizationPolicies and HTTPRoutes that target these Services and so are not applied while they skip the waypoint. */
function targetingPolicies(view: ClusterView, services: ObjectRef[]): ObjectRef[] {
  const targets = (o: KubeObject, refs: { kind?: string; name?: string; namespace?: string }[]) =>
    refs.some((t) =>
      services.some(
        (s) =>
          (t.kind === 'Service' || t.kind === 'ServiceEntry') &&
          t.kind === s.kind &&
          t.name === s.name &&
          (t.namespace ?? o.metadata?.namespace) === s.namespace,
      ),
    );
  const policies = view
    .list<AuthorizationPolicy>('AuthorizationPolicy')
    .filter((p) => targets(p, [...(p.spec?.targetRefs ?? []), ...(p.spec?.targetRef ? [p.spec.targetRef] : [])]));
  const routes = view
    .list<KubeObject & { spec?: { parentRefs?: { kind?: string; name?: string; namespace?: string }[] } }>('HTTPRoute')
    .filter((r) => targets(r, r.spec?.parentRefs ?? []));
  return [...policies.map((p) => refOf(p, 'AuthorizationPolicy')), ...routes.map((r) => refOf(r, 'HTTPRoute'))];
}

/**
 * Objects whose istio.io/use-waypoint label istiod refuses: WaypointBound=False on Services and ServiceEntries
 * (AttachmentDenied, UnsupportedTrafficType, or WaypointIsNotReady for a waypoint that does not exist), and, from
 * the objects themselves, labels on namespaces, Services and pods naming a waypoint that does not exist, whose
 * allowedRoutes do not admit the namespace, or whose istio.io/waypoint-for does not cover that use.
 */
export const detectWaypointBindingRejected: Detector = ({ view, target }) => {
  const gatewaysRead = view.captured(GATEWAY_API_GATEWAY);
  if (!gatewaysRead && !view.captured('Service'))
    return { drafts: [], skipped: 'no Services or Gateway API Gateways read', detail: '' };
  const rejections = new Map<string, Rejection>();
  const rejection = (labelledBy: ObjectRef, waypoint: string): Rejection => {
    const key = `${refText(labelledBy)} ${waypoint}`;
    const found = rejections.get(key);
    if (found) return found;
    const made: Rejection = { labelledBy, waypoint, reported: [], causes: [], pods: 0 };
    rejections.set(key, made);
    return made;
  };
  const addCauses = (r: Rejection, causes: string[]) => {
    for (const c of causes) if (!r.causes.includes(c)) r.causes.push(c);
  };
  let labelled = 0;

  // What istiod wrote on Services and ServiceEntries.
  for (const kind of SERVICE_KINDS)
    for (const o of view.list(kind)) {
      const c = conditionOf(o, WAYPOINT_BOUND);
      const use = serviceWaypoint(view, o);
      if (use) labelled++;
      if (c?.status !== 'False' || !REFUSALS.has(c.reason ?? '')) continue;
      const waypoint = waypointInMessage(c.message) ?? use?.waypoint;
      if (!waypoint) continue;
      const gateway = gatewayOf(view, waypoint);
      // A waypoint that exists but is not ready is waypoint-not-ready's finding.
      if (c.reason === 'WaypointIsNotReady' && (!gatewaysRead || (gateway && isWaypointGateway(gateway)))) continue;
      const r = rejection(use?.labelledBy ?? refOf(o, kind), waypoint);
      if (gateway && !isWaypointGateway(gateway))
        addCauses(r, [
          `Gateway ${waypoint} is of class ${gateway.spec?.gatewayClassName ?? '(none)'}, not istio-waypoint: it is not a waypoint.`,
        ]);
      r.reported.push({
        ref: refOf(o, kind),
        text: `${WAYPOINT_BOUND}=False (${c.reason ?? 'no reason'}): ${c.message ?? ''}`.trim(),
        at: c.lastTransitionTime ?? null,
      });
      addCauses(r, refusalCauses(view, waypoint, o.metadata?.namespace ?? '', 'service'));
    }

  // Labels istiod has said nothing about (no WaypointBound condition), read from the objects.
  const hasCondition = (o: KubeObject) => conditionOf(o, WAYPOINT_BOUND) !== undefined;
  for (const kind of SERVICE_KINDS)
    for (const o of view.list(kind)) {
      const use = serviceWaypoint(view, o);
      if (!use || use.labelledBy.kind === 'Namespace' || hasCondition(o)) continue;
      const causes = refusalCauses(view, use.waypoint, o.metadata?.namespace ?? '', 'service');
      if (causes.length > 0) addCauses(rejection(use.labelledBy, use.waypoint), causes);
    }
  for (const ns of view.list('Namespace')) {
    const name = ns.metadata?.name ?? '';
    const waypoint = labelledWaypoint(ns, name);
    if (!waypoint || waypoint === 'none') continue;
    labelled++;
    const inheriting = SERVICE_KINDS.flatMap((k) => view.list(k)).filter(
      (s) =>
        serviceWaypoint(view, s)?.waypoint === waypoint && serviceWaypoint(view, s)?.labelledBy.kind === 'Namespace',
    );
    if (inheriting.some(hasCondition)) continue;
    const causes = refusalCauses(view, waypoint, name, 'namespace');
    if (causes.length > 0) addCauses(rejection(refOf(ns, 'Namespace'), waypoint), causes);
  }
  for (const pod of view.pods()) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const namespace = pod.metadata?.namespace ?? '';
    const waypoint = labelledWaypoint(pod, namespace);
    if (!waypoint || waypoint === 'none') continue;
    const mode = podDataplane(view, pod).mode;
    if (mode === 'sidecar' || mode === 'none') continue;
    labelled++;
    const causes = refusalCauses(view, waypoint, namespace, 'workload');
    if (causes.length === 0) continue;
    const r = rejection(view.workloadOfPod(pod), waypoint);
    r.pods++;
    addCauses(r, causes);
  }

  const drafts: Draft[] = [];
  for (const r of [...rejections.values()].sort((a, b) =>
    `${refText(a.labelledBy)} ${a.waypoint}`.localeCompare(`${refText(b.labelledBy)} ${b.waypoint}`),
  )) {
    const reportedRefs = uniqueRefs(r.reported.map((x) => x.ref));
    const inScope =
      !target.namespace ||
      [r.labelledBy, waypointRef(r.waypoint), ...reportedRefs].some(
        (x) => x.namespace === target.namespace || (x.kind === 'Namespace' && x.name === target.namespace),
      );
    if (!inScope) continue;
    const labelledObject = view.object(r.labelledBy);
    const facts: string[] = [];
    if (r.pods > 0) {
      const sample = view.pods().find((p) => sameRef(view.workloadOfPod(p), r.labelledBy));
      facts.push(
        `${r.pods} pod(s) of ${refText(r.labelledBy)} carry ${labelText(sample as Pod | undefined)}, naming waypoint ${r.waypoint}; istiod writes no status on pods, so only the objects show the refusal.`,
      );
    } else facts.push(`${refText(r.labelledBy)} carries ${labelText(labelledObject)}, naming waypoint ${r.waypoint}.`);
    for (const x of r.reported) facts.push(`${refText(x.ref)} reports ${x.text}${x.at ? ` (since ${x.at})` : ''}.`);
    facts.push(...r.causes);
    const services = reportedRefs.filter((x) => SERVICE_KINDS.includes(x.kind));
    const workloads = uniqueRefs(
      services
        .filter((s) => s.kind === 'Service')
        .flatMap((s) => workloadsOfService(view, view.object<Service>(s) ?? { metadata: {} })),
    );
    if (workloads.length > 0)
      facts.push(`Workloads behind the refused Services: ${workloads.map(refText).join(', ')}.`);
    const skipped = targetingPolicies(view, services);
    if (skipped.length > 0)
      facts.push(
        `Not applied to this traffic while it skips the waypoint: ${skipped.map(refText).join(', ')} (they target the refused Services).`,
      );
    facts.push(
      r.pods > 0 && r.reported.length === 0
        ? 'Requests are not refused because of this: traffic sent to these pods directly (not through a Service bound to a waypoint) reaches them without the waypoint, so its HTTP routing, L7 AuthorizationPolicies and L7 telemetry do not apply to it.'
        : 'Requests are not refused because of this: ztunnel carries the traffic without the waypoint, so the HTTP routing, L7 AuthorizationPolicies and L7 telemetry meant to apply to it do not.',
    );
    const evidence: EvidenceItem[] = [
      ...r.reported.slice(0, 3).map((x) => fromObject(x.ref, x.text, x.at)),
      ...(r.reported.length === 0 ? [fromObject(r.labelledBy, `${r.causes[0] ?? ''}`)] : []),
    ];
    drafts.push({
      resources: uniqueRefs([r.labelledBy, waypointRef(r.waypoint), ...reportedRefs, ...workloads]),
      evidence,
      confidence: confidence(r.reported.length > 0 ? 0.95 : 0.8),
      facts,
      severity: 'warning',
    });
  }
  return {
    drafts,
    detail: `${labelled} object(s) naming a waypoint in istio.io/use-waypoint checked against the waypoints read and the WaypointBound status`,
  };
};
