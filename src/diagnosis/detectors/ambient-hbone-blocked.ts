import { noSymptomFact } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, LogLine, ObjectRef, PatchProposal } from '../evidence';
import { confidence, fromLog, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { Pod } from '../kube-types';
import { occurrenceText } from '../log-groups';
import type { NetworkPolicy } from '../network-policies';
import { ingressPoliciesOf, ruleAdmitsPort } from '../network-policies';
import { HBONE_PORT, networkPolicyHbonePort } from '../patch-templates';
import type { IndexedIngressRule } from '../patch-templates';
import { podOfIp } from '../services';
import type { ZtunnelAccess } from '../ztunnel';
import { ipOfAddr, portOfAddr, ztunnelAccess } from '../ztunnel';
import type { PatchTemplate } from '../../runbooks/schema';

/** The signature of ztunnel's HBONE connect timeout, which names a NetworkPolicy as the likely cause. */
const HBONE_TIMEOUT = 'ztunnel-hbone-timeout';

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

/** The Kubernetes NetworkPolicies that limit ingress to the pod, and the Cilium policies that do. */
function ingressPolicies(view: ClusterView, pod: Pod): { kube: NetworkPolicy[]; other: ObjectRef[] } {
  const all = ingressPoliciesOf(view, pod);
  return {
    kube: all.filter((p) => p.ref.kind === 'NetworkPolicy').map((p) => p.object as NetworkPolicy),
    other: all.filter((p) => p.ref.kind !== 'NetworkPolicy').map((p) => p.ref),
  };
}

/** `TCP 8080`, `TCP 9000-9100`, `TCP http`, `UDP 53`, `all TCP ports`. */
function portText(p: PolicyPort): string {
  const protocol = p.protocol ?? 'TCP';
  if (p.port === undefined) return `all ${protocol} ports`;
  return `${protocol} ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
}

/** How the pods of one workload stand with the NetworkPolicies that select them. */
interface PolicyStand {
  /** Policies that select the pod and admit TCP 15008 in some rule (from their peers). */
  open: NetworkPolicy[];
  /** Policies with ingress rules that list ports, none of them 15008. */
  lacking: NetworkPolicy[];
  /** Policies that select the pod and allow no ingress at all (default deny). */
  denyAll: NetworkPolicy[];
  /** Cilium policies that select the pod for ingress (read, not judged here). */
  cilium: ObjectRef[];
}

function standOf(view: ClusterView, pod: Pod): PolicyStand {
  const { kube, other } = ingressPolicies(view, pod);
  const stand: PolicyStand = { open: [], lacking: [], denyAll: [], cilium: other };
  for (const np of kube) {
    const rules = np.spec?.ingress ?? [];
    if (rules.some((r) => ruleAdmitsPort(pod, r, HBONE_PORT))) stand.open.push(np);
    else if (rules.length === 0) stand.denyAll.push(np);
    else stand.lacking.push(np);
  }
  return stand;
}

/** What ztunnel logged about one destination workload. */
interface Seen {
  workload: ObjectRef;
  pod: Pod | undefined;
  lines: LogLine[];
  records: ZtunnelAccess[];
}

/** The destination pod of a record: by its IP at the time of the line, else by ztunnel's workload name. */
function destinationOf(view: ClusterView, record: ZtunnelAccess, line: LogLine): Pod | undefined {
  const ip = ipOfAddr(record.dstAddr);
  const byIp = ip ? podOfIp(view, ip, line.ms) : undefined;
  return byIp ?? (record.dstWorkload ? view.get<Pod>('Pod', record.dstNamespace, record.dstWorkload) : undefined);
}

/** The workload of the caller: its pod by name as ztunnel gives it, else by its address. */
function callerOf(view: ClusterView, record: ZtunnelAccess, line: LogLine): string {
  const named = record.srcWorkload ? view.get<Pod>('Pod', record.srcNamespace, record.srcWorkload) : undefined;
  const ip = ipOfAddr(record.srcAddr);
  const pod = named ?? (ip ? podOfIp(view, ip, line.ms) : undefined);
  if (pod) return refText(view.workloadOfPod(pod));
  if (record.srcWorkload) return refText(view.workloadOfPodName(record.srcNamespace, record.srcWorkload));
  return record.srcAddr ? `address ${ip ?? record.srcAddr}` : 'an unknown source';
}

function seenByWorkload(view: ClusterView): Seen[] {
  const timed = view
    .logsWith(HBONE_TIMEOUT)
    .map((line) => ({ line, record: ztunnelAccess(line.text) }))
    .filter(
      (t): t is { line: LogLine; record: ZtunnelAccess } => !!t.record?.error?.includes(`HBONE port ${HBONE_PORT}`),
    )
    .sort((a, b) => (a.line.ms ?? 0) - (b.line.ms ?? 0));
  const seen = new Map<string, Seen>();
  for (const { line, record } of timed) {
    const pod = destinationOf(view, record, line);
    const workload = pod
      ? view.workloadOfPod(pod)
      : record.dstWorkload
        ? view.workloadOfPodName(record.dstNamespace, record.dstWorkload)
        : { kind: 'Pod', namespace: record.dstNamespace, name: ipOfAddr(record.dstAddr) ?? 'unknown' };
    const key = refText(workload);
    const entry = seen.get(key) ?? { workload, pod, lines: [], records: [] };
    entry.pod ??= pod;
    entry.lines.push(line);
    entry.records.push(record);
    seen.set(key, entry);
  }
  return [...seen.values()];
}

function counted(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([v, n]) => `${v} (${n})`)
    .join(', ');
}

/** A port entry with its keys in one order, as the API server compares them in a JSON patch `test` anyway. */
function canonicalPort(p: PolicyPort): PolicyPort {
  return {
    ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.endPort !== undefined ? { endPort: p.endPort } : {}),
  };
}

/**
 * The ingress rules of a policy to open to HBONE: those with a port list, and among them the ones that admit
 * an application port seen in the failing connections, when there are such.
 */
function rulesToOpen(np: NetworkPolicy, pod: Pod, appPorts: number[]): IndexedIngressRule[] {
  const listed = (np.spec?.ingress ?? [])
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => (rule.ports ?? []).length > 0);
  const serving = listed.filter(({ rule }) => appPorts.some((port) => ruleAdmitsPort(pod, rule, port)));
  return (serving.length > 0 ? serving : listed).map(({ rule, index }) => ({
    index,
    ports: (rule.ports ?? []).map(canonicalPort),
  }));
}

/** The one policy to patch, with its rules: the only lacking policy, or the only one serving the app ports. */
function patchOf(
  template: PatchTemplate | undefined,
  lacking: NetworkPolicy[],
  pod: Pod,
  appPorts: number[],
): { patch: PatchProposal; command: string; rules: number[]; listed: number[] } | null {
  if (!template) return null;
  const serving = lacking.filter((np) =>
    (np.spec?.ingress ?? []).some((r) => appPorts.some((port) => ruleAdmitsPort(pod, r, port))),
  );
  const chosen = lacking.length === 1 ? lacking[0] : serving.length === 1 ? serving[0] : undefined;
  if (!chosen) return null;
  const ref = refOf(chosen, 'NetworkPolicy');
  const rules = rulesToOpen(chosen, pod, appPorts);
  const built = networkPolicyHbonePort(template, ref, rules);
  if (!('patch' in built)) return null;
  const command = `kubectl -n ${ref.namespace} patch networkpolicy ${ref.name} --type=json -p '${JSON.stringify(built.patch.patch)}'`;
  const listed = (chosen.spec?.ingress ?? []).flatMap((r, i) => ((r.ports ?? []).length > 0 ? [i] : []));
  return { patch: built.patch, command, rules: rules.map((r) => r.index), listed };
}

function policyRef(np: NetworkPolicy): ObjectRef {
  return refOf(np, 'NetworkPolicy');
}

function lackingText(np: NetworkPolicy): string {
  const rules = (np.spec?.ingress ?? []).map(
    (r, i) => `${(r.ports ?? []).map(portText).join(', ') || 'all ports'} (rule ${i})`,
  );
  return `allows ingress on ${rules.join(' and ')}, never on TCP ${HBONE_PORT}`;
}

/** Facts and evidence about the policies, shared by the log-backed and the object-only findings. */
function policyFacts(stand: PolicyStand, podName: string): { facts: string[]; evidence: EvidenceItem[] } {
  const facts: string[] = [];
  const evidence: EvidenceItem[] = [];
  for (const np of stand.lacking) {
    const ref = policyRef(np);
    facts.push(
      `${refText(ref)} selects pod ${podName} and ${lackingText(np)}. In ambient mode connections from the mesh arrive on TCP ${HBONE_PORT} (HBONE, ztunnel's tunnel), not on the application port, so these rules do not admit them.`,
    );
    evidence.push(fromObject(ref, `selects ${podName}; ${lackingText(np)}`));
  }
  for (const np of stand.denyAll) {
    facts.push(`${refText(policyRef(np))} selects pod ${podName} and admits no ingress at all (a default deny).`);
  }
  if (stand.lacking.length === 0 && stand.denyAll.length > 0 && stand.open.length === 0) {
    facts.push(
      `No NetworkPolicy admits any traffic to pod ${podName}: add one that allows TCP ${HBONE_PORT} from the callers' namespaces.`,
    );
  }
  if (stand.cilium.length > 0) {
    facts.push(
      `${stand.cilium.map(refText).join(', ')} also select${stand.cilium.length === 1 ? 's' : ''} pod ${podName} for ingress: it must allow TCP ${HBONE_PORT} from the callers as well.`,
    );
  }
  for (const np of stand.open) {
    facts.push(
      `${refText(policyRef(np))} does admit TCP ${HBONE_PORT} to pod ${podName}, but only from the peers of its rules: check that they include the callers.`,
    );
  }
  return { facts, evidence };
}

function patchFacts(fix: ReturnType<typeof patchOf>, stand: PolicyStand): string[] {
  if (fix) {
    const left = fix.listed.filter((i) => !fix.rules.includes(i));
    const untouched = left.length
      ? ` Rule ${left.join(', ')} is left as it is: no failing connection went to its ports.`
      : '';
    return [
      `Add TCP ${HBONE_PORT} to ingress rule ${fix.rules.join(', ')} of ${refText(fix.patch.target)}: ${fix.command} (the JSON patch first tests that the rule's ports are still the ones read).${untouched}`,
    ];
  }
  if (stand.lacking.length > 1) {
    return [
      `Several NetworkPolicies select the pods without TCP ${HBONE_PORT}: add it to the ingress rules whose peers are the callers, by hand.`,
    ];
  }
  return [];
}

function loggedDraft(view: ClusterView, nowMs: number | null, s: Seen, template: PatchTemplate | undefined): Draft {
  const newest = s.lines.at(-1)!;
  const appPorts = [...new Set(s.records.map((r) => portOfAddr(r.hboneAddr)).filter((p): p is number => p !== null))];
  const ips = [...new Set(s.records.map((r) => ipOfAddr(r.dstAddr)).filter((ip): ip is string => ip !== null))];
  const callers = counted(s.lines.map((line, i) => callerOf(view, s.records[i]!, line)));
  const ztunnels = [...new Set(s.lines.map((l) => `${l.namespace ?? '?'}/${l.pod ?? '?'}`))].join(', ');
  const facts = [
    `Connections to ${refText(s.workload)} (pod IP ${ips.join(', ') || 'not logged'}${appPorts.length ? `, application port ${appPorts.join(', ')}` : ''}) timed out on HBONE port ${HBONE_PORT} with nothing sent or received: ${occurrenceText(s.lines, nowMs)}. The source node's ztunnel (${ztunnels}) says a NetworkPolicy may be blocking the port.`,
    `Callers: ${callers}.`,
  ];
  const evidence: EvidenceItem[] = [fromLog(newest, `${s.lines.length} HBONE connection(s) timed out; latest: `)];
  if (s.lines.length > 1) evidence.push(fromLog(s.lines[0]!, 'first: '));
  const pod = s.pod;
  let policies: ObjectRef[] = [];
  let fix: ReturnType<typeof patchOf> = null;
  let admitted = false;
  if (!pod) {
    facts.push(
      `The destination pod is not among the pods read, so the NetworkPolicies selecting it were not checked: kubectl -n ${s.workload.namespace ?? 'NAMESPACE'} get networkpolicy.`,
    );
  } else if (!view.captured('NetworkPolicy')) {
    facts.push(
      `NetworkPolicies were not read: check those selecting pod ${pod.metadata?.name} for TCP ${HBONE_PORT} ingress.`,
    );
  } else {
    const stand = standOf(view, pod);
    admitted = stand.open.length > 0;
    const described = policyFacts(stand, pod.metadata?.name ?? '?');
    facts.push(...described.facts);
    evidence.push(...described.evidence);
    // At fault: the policies without 15008; else one that admits it from peers the callers may not be; else the default deny.
    policies = [stand.lacking, stand.open, stand.denyAll].find((l) => l.length > 0)?.map(policyRef) ?? [];
    fix = patchOf(template, stand.lacking, pod, appPorts);
    facts.push(...patchFacts(fix, stand));
    if (policies.length === 0) {
      facts.push(
        `No Kubernetes NetworkPolicy limits ingress to pod ${pod.metadata?.name}: look for other policies on the path (CiliumNetworkPolicy, Calico GlobalNetworkPolicy, AdminNetworkPolicy, cloud firewall rules between nodes) that drop TCP ${HBONE_PORT}.`,
      );
    }
  }
  return {
    resources: uniqueRefs([s.workload, ...policies]),
    evidence,
    confidence: confidence(policies.length === 0 ? (pod ? 0.6 : 0.5) : admitted ? 0.8 : 0.95),
    facts,
    ...(fix ? { patches: [fix.patch] } : {}),
  };
}

/** Running ambient pods whose NetworkPolicies list ingress ports without 15008 and none admits it. */
function objectDrafts(view: ClusterView, logged: Set<string>, template: PatchTemplate | undefined): Draft[] {
  const drafts = new Map<string, Draft>();
  for (const pod of view.pods()) {
    if (pod.status?.phase !== 'Running') continue;
    const mode = podDataplane(view, pod).mode;
    if (mode !== 'ambient' && mode !== 'ambient-waypoint') continue;
    const workload = view.workloadOfPod(pod);
    const key = refText(workload);
    if (logged.has(key) || drafts.has(key)) continue;
    const stand = standOf(view, pod);
    if (stand.lacking.length === 0 || stand.open.length > 0) continue;
    const described = policyFacts(stand, pod.metadata?.name ?? '?');
    const fix = patchOf(template, stand.lacking, pod, []);
    drafts.set(key, {
      resources: uniqueRefs([workload, ...stand.lacking.map(policyRef)]),
      evidence: described.evidence,
      confidence: confidence(0.7),
      facts: [
        `${refText(workload)} runs in ambient mode (${mode === 'ambient' ? 'ztunnel only' : 'with a waypoint'}), so callers in the mesh reach its pods on TCP ${HBONE_PORT}.`,
        ...described.facts,
        ...patchFacts(fix, stand),
        noSymptomFact(view),
      ],
      severity: 'warning',
      ...(fix ? { patches: [fix.patch] } : {}),
    });
  }
  return [...drafts.values()];
}

/**
 * NetworkPolicies that keep HBONE (TCP 15008) from ambient pods: ztunnel's outbound `connection timed out,
 * maybe a NetworkPolicy is blocking HBONE port 15008`, tied to the destination pod (by IP or ztunnel's
 * workload name) and to the policies selecting it whose ingress rules list ports without 15008; and, from
 * the objects alone, running ambient pods whose policies list ports but never 15008 (a warning).
 */
export const detectAmbientHboneBlocked: Detector = ({ view, entry, nowMs }) => {
  const noLogs = view.evidence.logLinesRead === 0;
  if (noLogs && !(view.captured('Pod') && view.captured('NetworkPolicy'))) {
    return { drafts: [], skipped: 'no logs were read, and no pods and NetworkPolicies to check', detail: '' };
  }
  const seen = seenByWorkload(view);
  const logged = seen.map((s) => loggedDraft(view, nowMs, s, entry.patch));
  const fromObjects = view.captured('NetworkPolicy')
    ? objectDrafts(view, new Set(seen.map((s) => refText(s.workload))), entry.patch)
    : [];
  const lines = seen.reduce((n, s) => n + s.lines.length, 0);
  return {
    drafts: [...logged, ...fromObjects],
    detail: `${lines} ztunnel HBONE timeout line(s) and ${view.list('NetworkPolicy').length} NetworkPolicies on ambient pods checked`,
  };
};
