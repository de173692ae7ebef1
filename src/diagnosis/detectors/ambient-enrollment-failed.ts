import { groupBy } from '../../util/group-by';
import { toIso, toMs } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import { podDataplane, REDIRECTION_ANNOTATION } from '../dataplane';
import type { Detector, DetectorContext, Draft } from '../detector';
import type { EvidenceItem, LogLine, MeshEvent, ObjectRef, PatchProposal } from '../evidence';
import { fromEvent, fromLog, fromObject, refText, sameRef, uniqueRefs } from '../evidence-items';
import type { Pod } from '../kube-types';
import { occurrenceText } from '../log-groups';
import { rolloutRestart } from '../patch-templates';
import { conditionTrueAt, podReady } from '../pod-facts';
import { signatureRegex } from '../signatures';
import { isIstioCniPod, isZtunnelPod, istioCniPods, nodeOf, ztunnelPods } from '../ztunnel';

/** istio-cni could not hand a pod to ztunnel (`failed to add pod to ztunnel`, `was not enrolled`). */
const ADD_FAILED = 'istio-cni-ztunnel-add-failed';
/** The istio-cni plugin could not reach its node agent (kubelet sandbox events, plugin log). */
const AGENT_UNREACHABLE = 'istio-cni-agent-unreachable';
/** ztunnel could not reach the istio-cni node agent. */
const ZTUNNEL_NO_AGENT = 'ztunnel-cni-agent-unreachable';

const MAX_RESTARTS = 10;
/** The istio-cni lines that say what happened to a pod, preferred over the retries. */
const TELLING = /pending status|was not enrolled|failed to (contact|signal) node/;
const MAX_NODES = 4;
/** The node agent answered, but had no ztunnel to hand the pod to (releases up to 1.24 fail the sandbox). */
const NO_ZTUNNEL = /no ztunnel connection/;

type Why = 'sandbox' | 'pending' | 'never';

/** An ambient pod istio-cni did not hand to ztunnel. */
interface Stuck {
  pod: Pod;
  workload: ObjectRef;
  node: string | null;
  why: Why;
  /** Sandbox-creation failures naming the istio-cni node agent. */
  events: MeshEvent[];
  /** When the node's istio-cni pod became Ready (for `never`), or null. */
  cniReadyAt: string | null;
}

/** The ambient node components of one node. */
interface NodeAgents {
  node: string;
  cni: Pod | undefined;
  ztunnel: Pod | undefined;
  cniLines: LogLine[];
  ztunnelLines: LogLine[];
}

function podRef(pod: Pod): ObjectRef {
  return { kind: 'Pod', namespace: pod.metadata?.namespace ?? null, name: pod.metadata?.name ?? '' };
}

/** When the pod last became Ready, as the API wrote it, or null when it is not Ready. */
function readyAt(pod: Pod | undefined): string | null {
  const ready = pod?.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? (ready.lastTransitionTime ?? null) : null;
}

/** A pod whose containers have never started (sandbox not created, still ContainerCreating). */
function notStarted(pod: Pod): boolean {
  if (pod.status?.phase !== 'Pending' && pod.status?.phase !== undefined) return false;
  return !(pod.status?.containerStatuses ?? []).some((s) => s.state?.running || s.state?.terminated);
}

function startMs(pod: Pod): number | null {
  return toMs(pod.status?.startTime) ?? toMs(pod.metadata?.creationTimestamp);
}

function onNode(pods: Pod[], node: string | null): Pod | undefined {
  if (!node) return undefined;
  const here = pods.filter((p) => nodeOf(p) === node);
  return here.find((p) => p.status?.phase === 'Running') ?? here[0];
}

function judge(view: ClusterView, pod: Pod, sandboxFailure: RegExp, cniPods: Pod[]): Stuck | null {
  if (pod.spec?.hostNetwork || isZtunnelPod(pod) || isIstioCniPod(pod)) return null;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return null;
  const plane = podDataplane(view, pod);
  if ((plane.mode !== 'ambient' && plane.mode !== 'ambient-waypoint') || !plane.enrolled) return null;
  const node = nodeOf(pod);
  const base = { pod, workload: view.workloadOfPod(pod), node, events: [] as MeshEvent[], cniReadyAt: null };
  if (plane.redirection === 'enabled') return null;
  const events = view
    .eventsFor('Pod', pod.metadata?.namespace ?? null, pod.metadata?.name ?? '')
    .filter((e) => e.reason === 'FailedCreatePodSandBox' && sandboxFailure.test(e.message))
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  if (events.length > 0 && notStarted(pod)) return { ...base, why: 'sandbox', events };
  if (plane.redirection === 'pending') return { ...base, why: 'pending' };
  if (plane.redirection !== null || pod.status?.phase !== 'Running') return null;
  // No annotation: istio-cni never enrolled the pod. Said only when the node's agent came up after the pod.
  const cni = onNode(cniPods, node);
  if (!cni) return null;
  const ready = conditionTrueAt(cni, 'Ready');
  const started = startMs(pod);
  if (ready !== null && (started === null || ready <= started)) return null;
  return { ...base, why: 'never', cniReadyAt: readyAt(cni) };
}

/** `Ready since T, 2 restart(s)` or `not Ready (CrashLoopBackOff, 5 restart(s))`. */
function stateText(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  const waiting = statuses.map((s) => s.state?.waiting?.reason).find((r) => !!r);
  const since = readyAt(pod);
  const restartText = restarts > 0 ? `, ${restarts} restart(s)` : '';
  return podReady(pod)
    ? `Ready${since ? ` since ${since}` : ''}${restartText}`
    : `not Ready (${waiting ?? `phase ${pod.status?.phase ?? '?'}`}${restartText})`;
}

function stateOf(pod: Pod | undefined, what: string): string {
  if (!pod) return `no ${what} pod was found on the node`;
  return `${what} ${pod.metadata?.namespace}/${pod.metadata?.name} ${stateText(pod)}`;
}

function nodesOf(view: ClusterView, stuck: Stuck[], nowLines: { cni: LogLine[]; zt: LogLine[] }): NodeAgents[] {
  const cniPods = istioCniPods(view);
  const ztPods = ztunnelPods(view);
  const names = [...new Set(stuck.map((s) => s.node).filter((n): n is string => n !== null))].sort();
  return names.map((node) => {
    const cni = onNode(cniPods, node);
    const ztunnel = onNode(ztPods, node);
    const byPod = (p: Pod | undefined) => (l: LogLine) =>
      !!p && l.namespace === p.metadata?.namespace && l.pod === p.metadata?.name;
    return {
      node,
      cni,
      ztunnel,
      cniLines: nowLines.cni.filter(byPod(cni)),
      ztunnelLines: nowLines.zt.filter(byPod(ztunnel)),
    };
  });
}

function podList(items: Stuck[]): string {
  const workloads = uniqueRefs(items.map((s) => s.workload));
  return `${items.length} pod(s) of ${workloads.map(refText).join(', ')}`;
}

function nodeText(items: Stuck[]): string {
  const nodes = [...new Set(items.map((s) => s.node ?? 'an unknown node'))];
  return nodes.length === 1 ? `node ${nodes[0]}` : `nodes ${nodes.join(', ')}`;
}

function whyFacts(stuck: Stuck[]): string[] {
  const facts: string[] = [];
  const sandbox = stuck.filter((s) => s.why === 'sandbox');
  const pending = stuck.filter((s) => s.why === 'pending');
  const never = stuck.filter((s) => s.why === 'never');
  if (sandbox.length > 0) {
    const events = sandbox.flatMap((s) => s.events).sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
    const count = events.reduce((n, e) => n + e.count, 0);
    const first = events[0]?.firstTime ?? events[0]?.time;
    const last = events[events.length - 1]?.time;
    const noZtunnel = events.some((e) => NO_ZTUNNEL.test(e.message));
    const why = noZtunnel
      ? 'because the istio-cni node agent has no connection to ztunnel on the node (the plugin got status 500: no ztunnel connection)'
      : 'because the istio-cni plugin could not reach the istio-cni node agent';
    facts.push(
      `${podList(sandbox)} on ${nodeText(sandbox)} cannot start: the kubelet failed to create their sandbox ${count} time(s)${first && last && first !== last ? ` from ${first} to ${last}` : ''}, ${why}, and it keeps retrying.`,
    );
  }
  if (pending.length > 0) {
    facts.push(
      `${podList(pending)} on ${nodeText(pending)} carry ${REDIRECTION_ANNOTATION}=pending: istio-cni redirected their traffic inside the pod but could not hand them to ztunnel, so nothing serves the redirected connections and traffic to and from them fails.`,
    );
  }
  if (never.length > 0) {
    const lead = never[0]!;
    const started = lead.pod.status?.startTime ?? lead.pod.metadata?.creationTimestamp ?? 'an unknown time';
    const cni = lead.cniReadyAt ? `became Ready at ${lead.cniReadyAt}` : 'is not Ready';
    facts.push(
      `${podList(never)} on ${nodeText(never)} have no ${REDIRECTION_ANNOTATION} annotation although their namespace asks for ambient mode: they started (${lead.pod.metadata?.name} at ${started}) while the node's istio-cni agent was not ready (it ${cni}), so they were never enrolled and their traffic bypasses ztunnel: no mTLS, no ambient AuthorizationPolicy, no waypoint.`,
    );
  }
  return facts;
}

function nodeFacts(nodes: NodeAgents[], nowMs: number | null): string[] {
  const facts = nodes
    .slice(0, MAX_NODES)
    .map(
      (n) =>
        `Node ${n.node}: ${stateOf(n.cni, 'istio-cni')}; ${stateOf(n.ztunnel, 'ztunnel')}.${n.cniLines.length > 0 ? ` istio-cni reported failures to enrol pods (${occurrenceText(n.cniLines, nowMs)}).` : ''}${n.ztunnelLines.length > 0 ? ` ztunnel could not connect to the istio-cni node agent (${occurrenceText(n.ztunnelLines, nowMs)}).` : ''}`,
    );
  if (nodes.length > MAX_NODES) facts.push(`${nodes.length - MAX_NODES} more node(s) are affected.`);
  return facts;
}

function healthy(n: NodeAgents | undefined): boolean {
  return !!n && podReady(n.cni) && podReady(n.ztunnel);
}

/** Rollout restarts for workloads whose unenrolled pods all sit on nodes where istio-cni and ztunnel are Ready. */
function restarts(
  stuck: Stuck[],
  nodes: NodeAgents[],
  ctx: DetectorContext,
): { patches: PatchProposal[]; facts: string[] } {
  const candidates = stuck.filter((s) => s.why !== 'sandbox');
  const workloads = uniqueRefs(candidates.map((s) => s.workload));
  const ready: ObjectRef[] = [];
  const blocked: ObjectRef[] = [];
  for (const w of workloads) {
    const mine = candidates.filter((s) => sameRef(s.workload, w));
    const ok = mine.every((s) => healthy(nodes.find((n) => n.node === s.node)));
    (ok ? ready : blocked).push(w);
  }
  const facts: string[] = [];
  const patches: PatchProposal[] = [];
  if (ready.length > 0) {
    facts.push(
      `istio-cni and ztunnel are Ready on the nodes of ${ready.map(refText).join(', ')} now: a rollout restart re-creates those pods, and istio-cni enrols the new ones.`,
    );
    const at = ctx.nowMs === null ? '1970-01-01T00:00:00Z' : toIso(ctx.nowMs);
    if (ctx.entry.patch) {
      for (const w of ready.slice(0, MAX_RESTARTS)) {
        const r = rolloutRestart(ctx.entry.patch, w, at);
        if ('patch' in r) patches.push(r.patch);
      }
    }
  }
  if (blocked.length > 0) {
    const sick = nodes.filter((n) => !healthy(n)).map((n) => n.node);
    facts.push(
      `Restarting ${blocked.map(refText).join(', ')} does not help yet: istio-cni or ztunnel is not Ready on ${sick.length > 0 ? `node ${sick.join(', ')}` : 'their node'}, so new pods would be left the same way. Make both Ready first (their logs; kubectl -n istio-system rollout restart daemonset/ztunnel), then restart.`,
    );
  }
  if (stuck.some((s) => s.why === 'sandbox')) {
    facts.push(
      'Pods waiting for their sandbox need no restart: the kubelet retries, and they start once istio-cni and ztunnel on their node are connected.',
    );
  }
  return { patches, facts };
}

function evidenceOf(stuck: Stuck[], nodes: NodeAgents[]): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  const sandbox = stuck.find((s) => s.why === 'sandbox');
  const lastEvent = sandbox?.events[sandbox.events.length - 1];
  if (lastEvent) items.push(fromEvent(lastEvent));
  const pending = stuck.find((s) => s.why === 'pending');
  if (pending)
    items.push(
      fromObject(
        podRef(pending.pod),
        `${REDIRECTION_ANNOTATION}: pending, on node ${pending.node ?? '?'}`,
        pending.pod.status?.startTime ?? null,
      ),
    );
  const never = stuck.find((s) => s.why === 'never');
  if (never)
    items.push(
      fromObject(
        podRef(never.pod),
        `no ${REDIRECTION_ANNOTATION} annotation; started ${never.pod.status?.startTime ?? '?'}, istio-cni on node ${never.node ?? '?'} ${never.cniReadyAt ? `Ready at ${never.cniReadyAt}` : 'not Ready'}`,
        never.pod.status?.startTime ?? null,
      ),
    );
  const cniLines = nodes.flatMap((n) => n.cniLines).sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0));
  const cniLine = cniLines.find((l) => TELLING.test(l.text)) ?? cniLines[0];
  if (cniLine) items.push(fromLog(cniLine));
  const ztLine = nodes.flatMap((n) => n.ztunnelLines).sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0))[0];
  if (ztLine) items.push(fromLog(ztLine));
  const sick = nodes.find((n) => !healthy(n));
  if (sick) {
    const pod = !podReady(sick.ztunnel) ? sick.ztunnel : sick.cni;
    if (pod) {
      const since = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? null;
      items.push(
        fromObject(
          podRef(pod),
          `${isZtunnelPod(pod) ? 'ztunnel' : 'istio-cni'} on node ${sick.node}, ${stateText(pod)}`,
          since,
        ),
      );
    }
  }
  return items;
}

/** One namespace's unenrolled pods, with the agents of their nodes. */
function draftOf(ctx: DetectorContext, stuck: Stuck[], lines: { cni: LogLine[]; zt: LogLine[] }): Draft {
  const nodes = nodesOf(ctx.view, stuck, lines);
  const errors =
    stuck.some((s) => s.why !== 'never') || nodes.some((n) => n.cniLines.length > 0 || n.ztunnelLines.length > 0);
  const fix = restarts(stuck, nodes, ctx);
  const facts = [...whyFacts(stuck), ...nodeFacts(nodes, ctx.nowMs), ...fix.facts];
  if (!errors)
    facts.push(
      'Lower severity: no istio-cni, ztunnel or kubelet error about these pods was read; they run, but outside ztunnel.',
    );
  const workloads = uniqueRefs(stuck.map((s) => s.workload));
  const agents = nodes.flatMap((n) => [n.cni, n.ztunnel]).filter((p): p is Pod => !!p);
  return {
    resources: [...workloads, ...agents.map(podRef)],
    evidence: evidenceOf(stuck, nodes),
    confidence: stuck.some((s) => s.why !== 'never') ? 0.9 : errors ? 0.8 : 0.7,
    facts,
    patches: fix.patches,
    ...(errors ? {} : { severity: 'warning' as const }),
  };
}

/** Ambient pods that istio-cni could not hand to ztunnel: sandbox failures, `pending` redirection, never enrolled. */
export const detectAmbientEnrollmentFailed: Detector = (ctx) => {
  const { view, catalog } = ctx;
  if (!view.captured('Pod')) return { drafts: [], skipped: 'pods were not read', detail: '' };
  const cniPods = istioCniPods(view);
  const sandboxFailure = signatureRegex(catalog, AGENT_UNREACHABLE);
  const stuck = view.pods().flatMap((pod) => judge(view, pod, sandboxFailure, cniPods) ?? []);
  const ambient = view.pods().filter((p) => podDataplane(view, p).enrolled).length;
  const detail = `${ambient} pod(s) asking for ambient mode checked for enrolment by istio-cni (${cniPods.length} istio-cni pod(s) read)`;
  if (stuck.length === 0) return { drafts: [], detail };
  const lines = {
    cni: [...view.logsWith(ADD_FAILED), ...view.logsWith(AGENT_UNREACHABLE)].sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0)),
    zt: [...view.logsWith(ZTUNNEL_NO_AGENT)].sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0)),
  };
  const byNamespace = groupBy(stuck, (s) => s.pod.metadata?.namespace ?? '');
  const drafts = [...byNamespace.values()].map((group) => draftOf(ctx, group, lines));
  return { drafts, detail };
};
