import type { ClusterView } from '../cluster-view';
import { isAppContainer } from '../cluster-view';
import { istiodDeployments } from '../control-plane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, LogLine, MeshEvent, ObjectRef } from '../evidence';
import { fromEvent, fromLog, fromObject, refText } from '../evidence-items';
import type { KubeObject, LabelSelector, Pod } from '../kube-types';
import { byWorkloadWithNotes, newestFirst } from '../log-groups';
import { managedMesh } from '../mesh-kind';
import { nativeSidecar, probeText, startupBudgetSeconds } from '../native-sidecars';
import { containerStatus, fieldPathIs, SIDECAR } from '../pod-facts';
import { selectorMatches } from '../webhooks';
import { formatDuration, toIso, toMs } from '../../util/time';

export const UPSTREAM_FAILED = 'xds-proxy-upstream-failed';
const NOT_READY = 'sidecar-not-ready';
const NO_UPSTREAM = 'xds-no-healthy-upstream';
const REJECTED = 'xds-config-rejected';

/** A startup probe failing this long (or this often) is not an ordinary few-second start. */
const STUCK_MS = 30_000;
const STUCK_COUNT = 20;

const UPSTREAM_ADDRESS = /failed to connect to upstream ([^ ]+):/;

interface Blocked {
  ref: ObjectRef;
  pod: Pod;
  podRef: ObjectRef;
  failures: MeshEvent[];
  count: number;
  sinceMs: number | null;
  logs: LogLine[];
}

function stuckState(pod: Pod): string {
  const inits = pod.spec?.initContainers ?? [];
  const done = inits.filter((c) => {
    const s = containerStatus(pod, c.name ?? '');
    return s?.state?.terminated?.exitCode === 0 || (c.restartPolicy === 'Always' && s?.started === true);
  }).length;
  const waiting = (pod.status?.containerStatuses ?? [])
    .filter((s) => isAppContainer(s.name))
    .map((s) => s.state?.waiting?.reason)
    .find((r) => !!r);
  return `phase ${pod.status?.phase ?? '?'}, Init:${done}/${inits.length}${waiting ? `, application containers ${waiting}` : ''}`;
}

function judge(view: ClusterView, pod: Pod, nowMs: number | null): Blocked | string | null {
  const proxy = nativeSidecar(pod.spec);
  if (!proxy) return null;
  const namespace = pod.metadata?.namespace ?? null;
  const name = pod.metadata?.name ?? '';
  const status = containerStatus(pod, SIDECAR);
  const failures = view
    .eventsFor('Pod', namespace, name)
    .filter((e) => e.reason === 'Unhealthy' && /startup probe failed/i.test(e.message))
    .filter((e) => fieldPathIs(e.object.fieldPath, SIDECAR))
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  if (status?.started === true)
    return failures.length > 0 ? `${name}: istio-proxy started after its probe failures` : null;
  if (failures.length === 0) return null;
  const count = failures.reduce((n, e) => n + e.count, 0);
  const sinceMs = toMs(failures[0]?.firstTime ?? null) ?? failures[0]?.ms ?? null;
  const untilMs = nowMs ?? failures[failures.length - 1]?.ms ?? null;
  const failingFor = sinceMs !== null && untilMs !== null ? untilMs - sinceMs : 0;
  if (count < STUCK_COUNT && failingFor < STUCK_MS) return `${name}: ${count} startup-probe failure(s) so far`;
  const logs = view
    .logsOfPod(namespace, name)
    .filter((l) => l.container === SIDECAR || l.container === null)
    .filter((l) => [NOT_READY, NO_UPSTREAM, REJECTED, UPSTREAM_FAILED].some((id) => l.signatures.includes(id)));
  const podRef: ObjectRef = { kind: 'Pod', namespace, name };
  return { ref: view.workloadOfPod(pod), pod, podRef, failures, count, sinceMs, logs };
}

/** What the proxy's own log says about its configuration, most telling first. */
function logFacts(logs: LogLine[]): { evidence: EvidenceItem[]; facts: string[] } {
  const newest = newestFirst(logs);
  const rejected = newest.find((l) => l.signatures.includes(REJECTED));
  const unreachable = newest.find((l) => l.signatures.includes(UPSTREAM_FAILED) || l.signatures.includes(NO_UPSTREAM));
  const notReady = newest.find((l) => l.signatures.includes(NOT_READY));
  const facts: string[] = [];
  if (rejected)
    facts.push('Envoy rejects the configuration istiod sends (see xds-config-rejected; usually an EnvoyFilter).');
  if (unreachable) {
    const address = UPSTREAM_ADDRESS.exec(unreachable.text)?.[1];
    facts.push(
      `The proxy cannot reach istiod${address ? ` at ${address}` : ''}: check istiod's pods and Service, NetworkPolicies and firewalls for port 15012, and the discoveryAddress in the mesh config.`,
    );
  } else if (notReady && /config not received/.test(notReady.text)) {
    facts.push('The proxy has received no configuration from istiod yet (pilot-agent: config not received).');
  }
  const picked = [rejected, unreachable, notReady].filter((l): l is LogLine => !!l);
  return { evidence: picked.map((l) => fromLog(l, 'istio-proxy: ')), facts };
}

interface NetworkPolicy extends KubeObject {
  spec?: { podSelector?: LabelSelector; policyTypes?: string[] };
}

/** Egress NetworkPolicies that select the pod: each must let it reach istiod on port 15012. */
function egressPolicies(view: ClusterView, pod: Pod): string[] {
  return view
    .list<NetworkPolicy>('NetworkPolicy')
    .filter((np) => np.metadata?.namespace === pod.metadata?.namespace)
    .filter((np) => np.spec?.policyTypes?.includes('Egress'))
    .filter((np) => selectorMatches(np.spec?.podSelector, pod.metadata?.labels))
    .map((np) => `${np.metadata?.namespace}/${np.metadata?.name}`);
}

/** Where the configuration should come from: istiod's availability, or the managed control plane. */
function controlPlaneFacts(view: ClusterView): string[] {
  const managed = managedMesh(view);
  if (managed) {
    return [
      'The control plane is managed Cloud Service Mesh: check the ControlPlaneRevision status (kubectl -n istio-system get controlplanerevision) and csm-control-plane-unhealthy.',
    ];
  }
  return istiodDeployments(view)
    .filter((d) => (d.spec?.replicas ?? 1) > 0 && (d.status?.availableReplicas ?? 0) === 0)
    .map(
      (d) =>
        `Deployment ${d.metadata?.namespace}/${d.metadata?.name} (istiod) has no available replica, so no proxy can get its configuration.`,
    );
}

function draftOf(view: ClusterView, group: Blocked[], nowMs: number | null): Draft {
  const lead = [...group].sort((a, b) => b.logs.length - a.logs.length || b.count - a.count)[0]!;
  const proxy = nativeSidecar(lead.pod.spec);
  const first = lead.failures[0]!;
  const last = lead.failures[lead.failures.length - 1]!;
  const since = lead.sinceMs !== null && nowMs !== null ? ` for ${formatDuration(nowMs - lead.sinceMs)}` : '';
  const budget = startupBudgetSeconds(proxy?.startupProbe);
  const evidence: EvidenceItem[] = [
    fromObject(
      lead.podRef,
      `stuck before its application starts (${stuckState(lead.pod)}); istio-proxy is a native sidecar (init container, restartPolicy Always), startupProbe ${probeText(proxy?.startupProbe)}`,
      lead.sinceMs !== null ? toIso(lead.sinceMs) : null,
    ),
    fromEvent(last, first === last ? 'startup probe failing: ' : 'still failing: '),
  ];
  if (first !== last) evidence.splice(1, 0, fromEvent(first, 'first failure: '));
  const logs = logFacts(lead.logs);
  evidence.push(...logs.evidence);
  const restarts = containerStatus(lead.pod, SIDECAR)?.restartCount ?? 0;
  const policies = egressPolicies(view, lead.pod);
  const facts = [
    `${group.length} pod(s) of ${refText(lead.ref)} wait for istio-proxy: its startup probe has failed ${lead.count} time(s)${since}, and Kubernetes starts the remaining init containers and the application only after it passes${budget !== null ? ` (the probe allows about ${formatDuration(budget * 1000)} before the kubelet restarts istio-proxy${restarts > 0 ? `; restarted ${restarts} time(s) already` : ''})` : ''}.`,
    ...logs.facts,
    ...(policies.length
      ? [
          `Egress of these pods is limited by NetworkPolicy ${policies.join(', ')}: it must allow TCP 15012 to istiod's pods in the control-plane namespace.`,
        ]
      : []),
    ...controlPlaneFacts(view),
    'holdApplicationUntilProxyStarts does not apply to native sidecars (Istio ignores it there); the fix is whatever keeps istio-proxy from becoming ready.',
  ];
  return {
    resources: [lead.ref],
    evidence,
    confidence: 0.7 + (logs.evidence.length > 0 ? 0.15 : 0) + (group.length > 1 ? 0.05 : 0),
    facts,
  };
}

/** istio-proxy runs as a native sidecar and its startup probe keeps failing: pods stuck in Init / PodInitializing. */
export const detectNativeSidecarStartupBlocked: Detector = ({ view, nowMs }) => {
  if (!view.captured('Pod')) return { drafts: [], skipped: 'no pods captured', detail: '' };
  const pods = view.pods().filter((p) => nativeSidecar(p.spec));
  const { groups, notes } = byWorkloadWithNotes(pods.map((pod) => judge(view, pod, nowMs)));
  const drafts = groups.map((group) => draftOf(view, group, nowMs));
  const detail =
    `${pods.length} pod(s) with istio-proxy as a native sidecar checked` +
    (notes.length ? `; ${notes.slice(0, 3).join('; ')}` : '');
  return { drafts, detail };
};
