import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import { refOf, type ClusterView } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, MeshEvent, ObjectRef } from '../evidence';
import { confidence, fromEvent, fromObject, refText, sameRef, uniqueRefs } from '../evidence-items';
import type { Pod, Workload } from '../kube-types';
import type { Condition } from '../kube-types';
import { GATEWAY_NAME_LABEL } from '../policies';
import { workloadsOfPods } from '../routing';
import { isWaypointGateway } from '../ztunnel';
import {
  conditionOf,
  GATEWAY_API_GATEWAY,
  gatewayOf,
  labelledWaypoint,
  SERVICE_KINDS,
  serviceWaypoint,
  WAYPOINT_BOUND,
  waypointGateways,
  waypointInMessage,
  waypointKey,
  waypointRef,
  type WaypointGateway,
} from '../waypoints';

interface PodCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** One object istiod says it could not bind because the waypoint is not ready. */
interface NotReadyBinding {
  ref: ObjectRef;
  condition: Condition;
}

/** Objects (Services, ServiceEntries) whose WaypointBound condition says WaypointIsNotReady, by waypoint. */
function notReadyBindings(view: ClusterView): Map<string, NotReadyBinding[]> {
  const out = new Map<string, NotReadyBinding[]>();
  for (const kind of SERVICE_KINDS)
    for (const o of view.list(kind)) {
      const c = conditionOf(o, WAYPOINT_BOUND);
      if (c?.status !== 'False' || c.reason !== 'WaypointIsNotReady') continue;
      const key = waypointInMessage(c.message) ?? serviceWaypoint(view, o)?.waypoint;
      if (!key) continue;
      out.set(key, [...(out.get(key) ?? []), { ref: refOf(o, kind), condition: c }]);
    }
  return out;
}

/** What is wrong with one waypoint pod, or null when it runs and is ready. */
function podProblem(pod: Pod): string | null {
  const conditions = (pod.status?.conditions ?? []) as PodCondition[];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (pod.status?.phase === 'Pending' && scheduled?.status === 'False')
    return `Pending, not scheduled (${scheduled.reason ?? 'no reason'}${scheduled.message ? `: ${scheduled.message}` : ''})`;
  const parts: string[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = s.state?.waiting;
    const last = s.lastState?.terminated;
    if (!waiting && s.ready !== false) continue;
    const lastText = last ? `, last exit ${last.reason ?? 'unknown'} (code ${last.exitCode ?? '?'})` : '';
    const restarts = s.restartCount ? `, ${s.restartCount} restart(s)` : '';
    parts.push(
      `${s.name ?? '?'} ${waiting ? `waiting: ${waiting.reason ?? 'unknown'}${waiting.message ? ` (${waiting.message})` : ''}` : 'not ready'}${lastText}${restarts}`,
    );
  }
  if (parts.length > 0) return `${pod.status?.phase ?? 'unknown phase'}, ${parts.join('; ')}`;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return `${pod.status?.phase ?? 'unknown phase'}, not ready`;
  return null;
}

/** The Deployment's state when it runs no ready pod (null when at least one is ready). */
function deploymentProblem(deployment: Workload): string | null {
  const desired = deployment.spec?.replicas ?? 1;
  if (desired === 0) return 'is scaled to 0 replicas';
  const ready = deployment.status?.readyReplicas ?? 0;
  if (ready > 0) return null;
  const available = deployment.status?.conditions?.find((c) => c.type === 'Available' && c.status === 'False');
  const failure = deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  const why = [available, failure]
    .filter((c) => c !== undefined)
    .map((c) => `${c.type}=${c.status} (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`);
  return `has 0 of ${desired} replica(s) ready${why.length ? `; ${why.join('; ')}` : ''}`;
}

/** Warning events (and the cluster autoscaler's) about the waypoint's pods, ReplicaSets and Deployment, newest first. */
function waypointEvents(view: ClusterView, deployment: ObjectRef, pods: Pod[]): MeshEvent[] {
  const replicaSets = view
    .list<Workload>('ReplicaSet')
    .filter(
      (rs) =>
        rs.metadata?.namespace === deployment.namespace &&
        (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === deployment.name),
    );
  const events = [
    ...view.eventsFor('Deployment', deployment.namespace, deployment.name),
    ...replicaSets.flatMap((rs) => view.eventsFor('ReplicaSet', deployment.namespace, rs.metadata?.name ?? '')),
    ...pods.flatMap((p) => view.eventsFor('Pod', deployment.namespace, p.metadata?.name ?? '')),
  ];
  return events
    .filter((e) => e.type === 'Warning' || e.reason === 'NotTriggerScaleUp')
    .sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0));
}

/** Whether the pods and Deployments of a namespace were read (all of them, or the target's and the control plane's). */
function workloadsRead(
  view: ClusterView,
  namespace: string,
  target: { namespace: string | null },
  controlPlaneNamespaces: readonly string[],
): boolean {
  return (
    view.captured('Deployment') &&
    (!target.namespace || namespace === target.namespace || controlPlaneNamespaces.includes(namespace))
  );
}

/** The objects that name a waypoint (namespaces, Services, ServiceEntries, pods) and the workloads behind them. */
function boundTo(view: ClusterView, key: string, extra: ObjectRef[]) {
  const namespaces = view
    .list('Namespace')
    .filter((ns) => labelledWaypoint(ns, ns.metadata?.name ?? '') === key)
    .map((ns) => refOf(ns, 'Namespace'));
  const services = uniqueRefs([
    ...SERVICE_KINDS.flatMap((kind) =>
      view
        .list(kind)
        .filter((s) => serviceWaypoint(view, s)?.waypoint === key)
        .map((s) => refOf(s, kind)),
    ),
    ...extra,
  ]);
  const running = view.pods().filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const labelledPods = running.filter((p) => labelledWaypoint(p, p.metadata?.namespace ?? '') === key);
  const ambient = running.filter((p) => podDataplane(view, p).waypoint === key);
  return {
    namespaces,
    services,
    labelledPods,
    workloads: workloadsOfPods(view, [...new Set([...ambient, ...labelledPods])]),
  };
}

function listText(refs: ObjectRef[], max = 6): string {
  const shown = refs.slice(0, max).map(refText).join(', ');
  return refs.length > max ? `${shown} and ${refs.length - max} more` : shown;
}

/**
 * Waypoints (Gateways of class istio-waypoint) that are not programmed or run no ready pod: Programmed=False on the
 * Gateway, a Deployment with no ready replica (Programmed only says the Service got an address), or Services whose
 * WaypointBound condition says WaypointIsNotReady. Names the Gateway, its Deployment and pods, and everything bound
 * to it; the waypoint's own 503 access-log lines raise the severity.
 */
export const detectWaypointNotReady: Detector = ({ view, target, controlPlaneNamespaces, nowMs }) => {
  const gatewaysRead = view.captured(GATEWAY_API_GATEWAY);
  if (!gatewaysRead && !view.captured('Service'))
    return { drafts: [], skipped: 'no Gateway API Gateways or Services read', detail: '' };
  const byStatus = notReadyBindings(view);
  const keys = new Set<string>(
    waypointGateways(view).map((g) => waypointKey(g.metadata?.namespace, g.metadata?.name ?? '')),
  );
  // A binding to a waypoint that does not exist, or to a Gateway that is no waypoint, is waypoint-binding-rejected's.
  for (const key of byStatus.keys()) {
    const gateway = gatewayOf(view, key);
    if (!gatewaysRead || (gateway && isWaypointGateway(gateway))) keys.add(key);
  }
  const drafts: Draft[] = [];
  for (const key of [...keys].sort()) {
    const gwRef = waypointRef(key);
    const ns = gwRef.namespace ?? '';
    const gateway: WaypointGateway | undefined = gatewayOf(view, key);
    const statusBindings = byStatus.get(key) ?? [];
    const bound = boundTo(
      view,
      key,
      statusBindings.map((b) => b.ref),
    );
    const inScope =
      !target.namespace ||
      ns === target.namespace ||
      [...bound.namespaces, ...bound.services, ...bound.workloads].some(
        (r) => r.namespace === target.namespace || (r.kind === 'Namespace' && r.name === target.namespace),
      );
    if (!inScope) continue;

    const facts: string[] = [];
    const evidence: EvidenceItem[] = [];
    let broken = false;

    const programmed = gateway ? conditionOf(gateway, 'Programmed') : undefined;
    if (programmed?.status === 'False') {
      broken = true;
      const text = `Programmed=False (${programmed.reason ?? 'no reason'}): ${programmed.message ?? ''}`.trim();
      evidence.push(fromObject(gwRef, text, programmed.lastTransitionTime ?? null));
      facts.push(
        `${refText(gwRef)} reports ${text}${programmed.lastTransitionTime ? ` (since ${programmed.lastTransitionTime})` : ''}.`,
      );
    }

    const depRef: ObjectRef = { kind: 'Deployment', namespace: ns, name: gwRef.name };
    const read = workloadsRead(view, ns, target, controlPlaneNamespaces);
    const deployment = view.object<Workload>(depRef);
    const pods = view
      .pods()
      .filter(
        (p) =>
          p.metadata?.namespace === ns &&
          p.metadata?.labels?.[GATEWAY_NAME_LABEL] === gwRef.name &&
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed',
      );
    if (gateway && read && !deployment) {
      broken = true;
      facts.push(
        `No Deployment ${ns}/${gwRef.name} exists: istiod has not deployed the waypoint (check the Gateway's Accepted condition and istiod's log).`,
      );
    } else if (deployment) {
      const problem = deploymentProblem(deployment);
      if (problem) {
        broken = true;
        evidence.push(fromObject(depRef, problem));
        facts.push(
          `${refText(depRef)} ${problem}${programmed?.status === 'True' ? ' (the Gateway still says Programmed=True: that condition only reflects the Service address)' : ''}.`,
        );
      }
    } else if (!read) {
      facts.push(
        `The waypoint's Deployment and pods in namespace ${ns} were not read, so whether it runs ready pods is not known.`,
      );
    }
    if (!broken && statusBindings.length === 0) continue;
    if (!gatewaysRead)
      facts.push(
        'Gateway API Gateways were not read, so whether this waypoint exists is not known; if it does not, the label names the wrong waypoint.',
      );

    for (const b of statusBindings) {
      const c = b.condition;
      facts.push(
        `${refText(b.ref)} reports ${WAYPOINT_BOUND}=False (${c.reason}): ${c.message ?? ''}${c.lastTransitionTime ? ` (since ${c.lastTransitionTime})` : ''}.`,
      );
    }
    if (statusBindings[0])
      evidence.push(
        fromObject(
          statusBindings[0].ref,
          `${WAYPOINT_BOUND}=False (${statusBindings[0].condition.reason}): ${statusBindings[0].condition.message ?? ''}`,
          statusBindings[0].condition.lastTransitionTime ?? null,
        ),
      );

    const badPods = pods
      .map((p) => ({ pod: p, problem: podProblem(p) }))
      .filter((p): p is { pod: Pod; problem: string } => p.problem !== null);
    for (const p of badPods.slice(0, 4)) facts.push(`Waypoint pod ${ns}/${p.pod.metadata?.name ?? '?'}: ${p.problem}.`);
    if (badPods.length > 4) facts.push(`${badPods.length - 4} more waypoint pod(s) are not ready.`);
    if (read && deployment && pods.length === 0 && (deployment.spec?.replicas ?? 1) > 0)
      facts.push(
        `No pod of the waypoint exists (label ${GATEWAY_NAME_LABEL}=${gwRef.name}): the ReplicaSet creates none.`,
      );
    const events = waypointEvents(view, depRef, pods);
    for (const e of events.slice(0, 2)) evidence.push(fromEvent(e));

    const addresses = (gateway?.status?.addresses ?? []).map((a) => a.value).filter((v): v is string => !!v);
    if (gateway && addresses.length === 0)
      facts.push(
        'The Gateway has no address (status.addresses is empty), so istiod binds nothing to it: the Services that name it report WaypointBound=False and their traffic goes through ztunnel alone, without the waypoint (its HTTP routes and L7 AuthorizationPolicies are not applied).',
      );
    else if (gateway && broken)
      facts.push(
        `The Gateway keeps its address ${addresses.join(', ')}, so ztunnel still sends the bound traffic to the waypoint; with no ready waypoint pod those connections fail.`,
      );

    const named: ObjectRef[] = uniqueRefs([...bound.namespaces, ...bound.services]);
    if (named.length > 0) facts.push(`Bound to this waypoint (istio.io/use-waypoint): ${listText(named)}.`);
    if (bound.labelledPods.length > 0)
      facts.push(
        `${bound.labelledPods.length} pod(s) name it in their own istio.io/use-waypoint label (${listText(workloadsOfPods(view, bound.labelledPods))}).`,
      );
    if (bound.workloads.length > 0)
      facts.push(`Workloads whose L7 traffic depends on this waypoint: ${listText(bound.workloads)}.`);

    const symptoms = accessSymptoms(view, (r) => r.code === 503, ['envoy-access-503']).filter((s) =>
      s.loggedBy.some((w) => sameRef(w, depRef)),
    );
    for (const s of symptoms.slice(0, 2)) {
      facts.push(`The waypoint's access log: ${symptomText(s, nowMs)}.`);
      evidence.unshift(symptomEvidence(s));
    }
    const anyBound = named.length > 0 || bound.workloads.length > 0 || bound.labelledPods.length > 0;
    if (!anyBound)
      facts.push('Nothing read names this waypoint in istio.io/use-waypoint, so no traffic depends on it yet.');
    if (symptoms.length === 0) facts.push(noSymptomFact(view));

    drafts.push({
      resources: uniqueRefs([
        gwRef,
        ...(deployment ? [depRef] : []),
        ...named,
        ...bound.workloads.filter((w) => !sameRef(w, depRef)),
      ]),
      evidence,
      confidence: confidence(broken && statusBindings.length > 0 ? 0.95 : broken ? 0.85 : 0.75),
      facts,
      severity: symptoms.length > 0 ? 'critical' : anyBound ? 'warning' : 'info',
    });
  }
  return {
    drafts,
    detail: `${keys.size} waypoint(s) checked (Programmed condition, Deployment readiness, WaypointBound status of the Services)`,
  };
};
