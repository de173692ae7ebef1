import { groupBy } from '../../util/group-by';
import { toMs } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import { podDataplane, REDIRECTION_ANNOTATION } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, MeshEvent, ObjectRef } from '../evidence';
import { fromEvent, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { Pod, Workload } from '../kube-types';
import { podReady } from '../pod-facts';
import type { IngressPolicy, PortRef } from '../network-policies';
import { ingressAllowed, ingressPoliciesOf, policiesRead, resolvePort } from '../network-policies';
import { signatureRegex } from '../signatures';

/** The address istio-cni gives the kubelet's probes to ambient pods, so ztunnel lets them through unproxied. */
export const PROBE_SOURCE = '169.254.7.127';
const PROBE_TIMEOUT = 'kubelet-probe-timeout';
/** A liveness failure this recent still restarts the pod. */
const RECENT_MS = 10 * 60_000;

const PROBE_FIELD = { Readiness: 'readinessProbe', Liveness: 'livenessProbe', Startup: 'startupProbe' } as const;
type ProbeKind = keyof typeof PROBE_FIELD;

interface ProbeSpec {
  httpGet?: { port?: PortRef };
  tcpSocket?: { port?: PortRef };
  grpc?: { port?: number };
  exec?: unknown;
}

interface ProbedContainer {
  name?: string;
  readinessProbe?: ProbeSpec;
  livenessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
}

/** An ambient pod whose network probes time out behind ingress policies that do not admit the probe address. */
interface Blocked {
  pod: Pod;
  workload: ObjectRef;
  policies: IngressPolicy[];
  failures: MeshEvent[];
  /** The failing probes: kind (`readiness`, ...) and port. */
  probes: { kind: string; port: number }[];
}

function kindOf(message: string): ProbeKind | null {
  const m = /^(Readiness|Liveness|Startup) probe failed/.exec(message);
  return m ? (m[1] as ProbeKind) : null;
}

function containerOf(pod: Pod, fieldPath: string | null): ProbedContainer | undefined {
  const name = /\{([^}]+)\}$/.exec(fieldPath ?? '')?.[1];
  const containers = (pod.spec?.containers ?? []) as ProbedContainer[];
  return name ? containers.find((c) => c.name === name) : containers[0];
}

/** The port a network probe reaches, or null for an exec probe (or none): those never cross a policy. */
function probePort(pod: Pod, probe: ProbeSpec | undefined): number | null {
  if (!probe || probe.exec) return null;
  return resolvePort(pod, probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port);
}

function restartsOf(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

/**
 * Whether the failures are current: the pod is not Ready, or it is restarted by a liveness or startup probe
 * that failed within the last minutes (a pod without a readiness probe is Ready between restarts).
 */
function current(pod: Pod, failures: MeshEvent[], nowMs: number | null): boolean {
  if (!podReady(pod)) return true;
  if (restartsOf(pod) === 0 || nowMs === null) return false;
  return failures.some((e) => kindOf(e.message) !== 'Readiness' && (e.ms ?? 0) >= nowMs - RECENT_MS);
}

function judge(view: ClusterView, pod: Pod, timeout: RegExp, nowMs: number | null): Blocked | null {
  if (pod.spec?.hostNetwork || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return null;
  const plane = podDataplane(view, pod);
  if (plane.mode !== 'ambient' && plane.mode !== 'ambient-waypoint') return null;
  const namespace = pod.metadata?.namespace ?? null;
  const events = view
    .eventsFor('Pod', namespace, pod.metadata?.name ?? '')
    .filter((e) => e.reason === 'Unhealthy' && timeout.test(e.message))
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  if (events.length === 0) return null;
  const policies = ingressPoliciesOf(view, pod);
  if (policies.length === 0) return null;
  const failures: MeshEvent[] = [];
  const probes: { kind: string; port: number }[] = [];
  for (const event of events) {
    const kind = kindOf(event.message);
    if (!kind) continue;
    const port = probePort(pod, containerOf(pod, event.object.fieldPath)?.[PROBE_FIELD[kind]]);
    if (port === null || ingressAllowed(policies, PROBE_SOURCE, port)) continue;
    failures.push(event);
    const k = kind.toLowerCase();
    if (!probes.some((p) => p.kind === k && p.port === port)) probes.push({ kind: k, port });
  }
  if (failures.length === 0 || !current(pod, failures, nowMs)) return null;
  return { pod, workload: view.workloadOfPod(pod), policies, failures, probes };
}

/** The Cilium agent DaemonSet (GKE Dataplane V2 calls it anetd), when one was read. */
function ciliumAgent(view: ClusterView): string | null {
  const ds = view
    .list<Workload>('DaemonSet')
    .find((d) => d.metadata?.name === 'cilium' || d.metadata?.name === 'anetd');
  if (!ds) return null;
  const where = `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}`;
  return ds.metadata?.name === 'anetd' ? `${where}, GKE Dataplane V2` : where;
}

function policyText(policy: IngressPolicy): string {
  return policy.denyAll ? `${refText(policy.ref)} (no ingress rule: denies all)` : refText(policy.ref);
}

const KIND_ORDER = ['readiness', 'liveness', 'startup'];

/** `readiness and liveness probes on port 8080`. */
function probesText(probes: { kind: string; port: number }[]): string {
  const byPort = groupBy(probes, (p) => String(p.port));
  return [...byPort.entries()]
    .map(([port, list]) => {
      const kinds = [...new Set(list.map((p) => p.kind))].sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
      return `${kinds.join(' and ')} probe${kinds.length > 1 ? 's' : ''} on port ${port}`;
    })
    .join(', ');
}

/** The latest failure of each probe kind, readiness first. */
function latestPerKind(failures: MeshEvent[]): MeshEvent[] {
  const byKind = groupBy(failures, (e) => kindOf(e.message) ?? '');
  return [...byKind.entries()]
    .sort(([a], [b]) => KIND_ORDER.indexOf(a.toLowerCase()) - KIND_ORDER.indexOf(b.toLowerCase()))
    .map(([, list]) => list.reduce((x, y) => ((y.ms ?? 0) > (x.ms ?? 0) ? y : x)));
}

function firstMs(e: MeshEvent): number {
  return toMs(e.firstTime) ?? e.ms ?? 0;
}

/** Where to add the allowing rule: a policy that already admits some traffic, else a new one. */
function whereToAllow(policies: IngressPolicy[], namespace: string | null): string {
  const open = policies.find((p) => !p.denyAll && p.ref.kind === 'NetworkPolicy');
  const rule = `an ingress rule from ipBlock ${PROBE_SOURCE}/32`;
  return open
    ? `${rule} in ${refText(open.ref)}, or a NetworkPolicy of its own in ${namespace ?? 'the namespace'} selecting these pods`
    : `a NetworkPolicy in ${namespace ?? 'the namespace'} selecting these pods with ${rule}`;
}

function policyEvidence(p: IngressPolicy, pod: string): EvidenceItem {
  const text = p.denyAll
    ? `selects ${pod} for ingress and has no ingress rule: denies all ingress`
    : `selects ${pod} for ingress; no rule admits ${PROBE_SOURCE} on the probed port`;
  return fromObject(p.ref, text, p.object.metadata?.creationTimestamp ?? null);
}

function draftOf(view: ClusterView, group: Blocked[]): Draft {
  const lead = group[0]!;
  const policies = lead.policies;
  const workloads = uniqueRefs(group.map((b) => b.workload));
  const failures = group.flatMap((b) => b.failures);
  const first = failures.reduce((x, y) => (firstMs(y) < firstMs(x) ? y : x));
  const last = failures.reduce((x, y) => ((y.ms ?? 0) > (x.ms ?? 0) ? y : x));
  const count = failures.reduce((n, e) => n + e.count, 0);
  const restarts = group.reduce((n, b) => n + restartsOf(b.pod), 0);
  const unready = group.filter((b) => !podReady(b.pod)).length;
  const state =
    unready === group.length
      ? 'are not Ready'
      : `are restarted by their liveness probe${unready > 0 ? ` (${unready} not Ready)` : ''}`;
  const agent = ciliumAgent(view);
  const podName = lead.pod.metadata?.name ?? '';
  const namespace = lead.pod.metadata?.namespace ?? null;
  const evidence: EvidenceItem[] = [
    ...latestPerKind(failures).map((e) => fromEvent(e)),
    ...policies.slice(0, 2).map((p) => policyEvidence(p, podName)),
    fromObject(
      { kind: 'Pod', namespace, name: podName },
      `ambient mode (${REDIRECTION_ANNOTATION}: ${lead.pod.metadata?.annotations?.[REDIRECTION_ANNOTATION] ?? 'not set'}), ${podReady(lead.pod) ? 'Ready' : 'not Ready'}, phase ${lead.pod.status?.phase ?? '?'}, ${restartsOf(lead.pod)} restart(s)`,
      lead.pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? null,
    ),
  ];
  const since = first.firstTime ?? first.time;
  const span = since && last.time && since !== last.time ? ` from ${since} to ${last.time}` : '';
  const firstFailure = firstMs(first);
  const before = [
    ...groupBy(
      policies.filter((p) => {
        const at = toMs(p.object.metadata?.creationTimestamp);
        return at !== null && at <= firstFailure;
      }),
      (p) => p.object.metadata?.creationTimestamp ?? '',
    ).entries(),
  ].map(
    ([at, list]) =>
      `${list.map((p) => refText(p.ref)).join(' and ')} ${list.length > 1 ? 'were' : 'was'} created at ${at}`,
  );
  const these = policies.length === 1 ? 'The policy' : 'The policies';
  const facts = [
    `${group.length} pod(s) of ${workloads.map(refText).join(', ')} run in ambient mode and ${state}: the kubelet's ${probesText(group.flatMap((b) => b.probes))} timed out ${count} time(s)${span}${restarts > 0 ? `; their containers restarted ${restarts} time(s)` : ''}.`,
    `In ambient mode istio-cni makes the kubelet's probes to a pod come from ${PROBE_SOURCE}, so ztunnel can tell them from mesh traffic. ${these} ${policies.map(policyText).join(', ')} select${policies.length === 1 ? 's' : ''} these pods for ingress, and no rule of any policy selecting them admits ${PROBE_SOURCE}/32 (an ipBlock) or all sources on the probed port, so the probes are dropped where the CNI enforces the policy.`,
    ...(before.length > 0 ? [`${before.join('; ')}, before the first failure.`] : []),
    agent
      ? `The cluster runs Cilium (${agent}), which does not count the rewritten probe address as the node, so its default deny applies to the probes.`
      : 'CNIs that recognise the node by its address (Cilium, and GKE Dataplane V2 which is built on it) no longer see these probes as coming from the node, so the default deny applies to them.',
    `Allow the probe address: ${whereToAllow(policies, namespace)} (on Cilium, one CiliumClusterwideNetworkPolicy with fromCIDR ${PROBE_SOURCE}/32 covers every ambient pod).`,
  ];
  return {
    resources: [...policies.map((p) => p.ref), ...workloads],
    evidence,
    confidence: agent ? 0.9 : 0.8,
    facts,
  };
}

/** Ambient pods whose kubelet probes time out behind an ingress policy that does not admit 169.254.7.127. */
export const detectAmbientProbeBlocked: Detector = ({ view, catalog, nowMs }) => {
  if (!view.captured('Pod')) return { drafts: [], skipped: 'pods were not read', detail: '' };
  if (!policiesRead(view)) return { drafts: [], skipped: 'NetworkPolicies were not read', detail: '' };
  const timeout = signatureRegex(catalog, PROBE_TIMEOUT);
  const blocked = view.pods().flatMap((pod) => judge(view, pod, timeout, nowMs) ?? []);
  const groups = groupBy(
    blocked,
    (b) => `${b.pod.metadata?.namespace ?? ''} ${b.policies.map((p) => refText(p.ref)).join(',')}`,
  );
  const drafts = [...groups.values()].map((group) => draftOf(view, group));
  const ambient = view.pods().filter((p) => {
    const mode = podDataplane(view, p).mode;
    return mode === 'ambient' || mode === 'ambient-waypoint';
  }).length;
  return {
    drafts,
    detail: `${ambient} ambient pod(s) checked for probe timeouts behind ingress policies`,
  };
};
