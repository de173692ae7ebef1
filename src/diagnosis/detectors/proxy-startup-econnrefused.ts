import { parse as parseYaml } from 'yaml';
import { annotationJsonMerge } from '../patch-templates';
import { formatDuration, toIso, toMs } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import { isAppContainer } from '../cluster-view';
import type { Detector, Draft, DraftEvidence, Phrase } from '../detector';
import type { Translate } from '../../i18n/translate';
import type { LogLine, MeshEvent, ObjectRef } from '../evidence';
import { fromEvent, fromLog, fromObject, labelled, refText } from '../evidence-items';
import { byWorkloadWithNotes } from '../log-groups';
import { groupBy } from '../../util/group-by';
import type { Pod, Workload } from '../kube-types';
import { SIDECAR, annotations, conditionTrueAt, containerStatus, fieldPathIs, hasSidecar } from '../pod-facts';
import { NATIVE_SIDECAR_ANNOTATION, nativeSidecar, nativeSidecarsOffFact } from '../native-sidecars';

export const REFUSED = 'app-connection-refused';
export const SIDECAR_READY = 'sidecar-ready';
export const SIDECAR_NOT_READY = 'sidecar-not-ready';

/** Signatures of a sidecar that cannot get its configuration: then refusals are not a start-up race. */
const XDS_FAILURES = ['xds-no-healthy-upstream', 'xds-config-rejected'];

/** A refusal this soon after the sidecar became ready still counts (clock skew, probe period). */
const READY_GRACE_MS = 3_000;
/** Refusals this long before the sidecar started belong to an earlier pod life. */
const START_SLACK_MS = 5_000;

/** What is known of when one pod's sidecar started and became ready. */
interface SidecarTimeline {
  startMs: number | null;
  startEvidence: DraftEvidence | null;
  failures: MeshEvent[];
  notReadyLogs: LogLine[];
  /** Latest time the sidecar is known to have been not ready (last failing probe or NOT ready log). */
  lastNotReadyMs: number | null;
  /** Earliest time the sidecar is known to have been ready. */
  readyMs: number | null;
  readyEvidence: DraftEvidence | null;
  present: boolean;
}

function timeline(view: ClusterView, namespace: string | null, podName: string, pod: Pod | undefined): SidecarTimeline {
  const events = view.eventsFor('Pod', namespace, podName).filter((e) => fieldPathIs(e.object.fieldPath, SIDECAR));
  const started = events.filter((e) => e.reason === 'Started').sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0];
  const status = containerStatus(pod, SIDECAR);
  const startMs = started?.ms ?? toMs(status?.state?.running?.startedAt) ?? toMs(pod?.status?.startTime);
  const startEvidence = started
    ? fromEvent(started)
    : startMs !== null
      ? fromObject(
          { kind: 'Pod', namespace, name: podName },
          (t) => t('proxy-startup.evidence.started-at', { at: toIso(startMs) ?? '' }),
          toIso(startMs),
        )
      : null;
  const failures = events.filter(
    (e) => e.reason === 'Unhealthy' && /(readiness|startup) probe failed/i.test(e.message),
  );
  const logs = view.logsOfPod(namespace, podName).filter((l) => l.container === SIDECAR || l.container === null);
  const notReadyLogs = logs.filter((l) => l.signatures.includes(SIDECAR_NOT_READY));
  const failureTimes = [...failures.map((e) => e.ms), ...notReadyLogs.map((l) => l.ms)].filter(
    (t): t is number => t !== null,
  );
  const lastNotReadyMs = failureTimes.length > 0 ? Math.max(...failureTimes) : null;
  const readyLog = logs.find(
    (l) => l.signatures.includes(SIDECAR_READY) && l.ms !== null && (startMs === null || l.ms >= startMs),
  );
  const readyCondition = conditionTrueAt(pod, 'ContainersReady') ?? conditionTrueAt(pod, 'Ready');
  let readyMs: number | null = readyLog?.ms ?? null;
  let readyEvidence: DraftEvidence | null = readyLog ? fromLog(readyLog) : null;
  if (readyCondition !== null && (readyMs === null || readyCondition < readyMs) && status?.ready !== false) {
    readyMs = readyCondition;
    readyEvidence = fromObject(
      { kind: 'Pod', namespace, name: podName },
      (t) => t('proxy-startup.evidence.all-ready'),
      toIso(readyCondition),
    );
  }
  const present = hasSidecar(pod) || events.length > 0 || logs.some((l) => l.container === SIDECAR);
  return { startMs, startEvidence, failures, notReadyLogs, lastNotReadyMs, readyMs, readyEvidence, present };
}

/** A readiness probe period: with no "ready" record, the sidecar is taken as ready this long after its last failure. */
const PROBE_PERIOD_MS = 10_000;

/**
 * Whether the sidecar was not ready at a moment: before it first became ready (start-up), or within a
 * probe period of a later failing probe or NOT-ready log. Null when nothing bounds the start-up.
 */
function notReadyAt(t: SidecarTimeline, stillNotReady: boolean): ((ms: number) => boolean) | null {
  const failures = [...t.failures.map((e) => e.ms), ...t.notReadyLogs.map((l) => l.ms)].filter(
    (x): x is number => x !== null,
  );
  let startupEnd: number;
  if (t.readyMs !== null) startupEnd = t.readyMs + READY_GRACE_MS;
  else if (stillNotReady) startupEnd = Number.POSITIVE_INFINITY;
  else if (t.lastNotReadyMs !== null) startupEnd = t.lastNotReadyMs + PROBE_PERIOD_MS;
  else return null;
  return (ms) => ms <= startupEnd || failures.some((f) => ms >= f - PROBE_PERIOD_MS && ms <= f + READY_GRACE_MS);
}

/** Whether holdApplicationUntilProxyStarts is already on for this pod. */
function holdsApplication(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const parsed = parseYaml(value) as Record<string, unknown> | null;
    return parsed?.holdApplicationUntilProxyStarts === true;
  } catch {
    return false;
  }
}

/** True when the injector held the application for this pod: its istio-proxy waits in a postStart hook. */
function waitsInPostStart(pod: Pod | undefined): boolean {
  const proxy = pod?.spec?.containers?.find((c) => c.name === SIDECAR) as
    { lifecycle?: { postStart?: { exec?: { command?: string[] } } } } | undefined;
  const command = proxy?.lifecycle?.postStart?.exec?.command ?? [];
  return command.includes('pilot-agent') && command.includes('wait');
}

/** How the sidecar of a pod starts relative to the application. */
type StartOrder = 'classic' | 'held' | 'native-unprobed';

interface PodVerdict {
  ref: ObjectRef;
  podName: string;
  firstRefusal: LogLine;
  refusalsInWindow: number;
  order: StartOrder;
  line: Draft;
}

/**
 * The start order of a pod's sidecar, or why the race cannot happen: a native sidecar with a startup probe
 * holds the application until the proxy is ready (Kubernetes does it; Istio ignores the hold setting there).
 */
function startOrder(pod: Pod | undefined): StartOrder | string {
  const native = nativeSidecar(pod?.spec);
  if (native) {
    return native.startupProbe
      ? 'istio-proxy is a native sidecar with a startup probe, so the application started after it was ready'
      : 'native-unprobed';
  }
  const held = holdsApplication(annotations(pod)['proxy.istio.io/config']) || waitsInPostStart(pod);
  return held ? 'held' : 'classic';
}

function judgePod(
  view: ClusterView,
  namespace: string | null,
  podName: string,
  refusals: LogLine[],
): PodVerdict | string {
  const pod = view.get<Pod>('Pod', namespace, podName);
  const t = timeline(view, namespace, podName, pod);
  if (!t.present) return `${podName}: no sidecar`;
  const order = startOrder(pod);
  if (order !== 'classic' && order !== 'held' && order !== 'native-unprobed') return `${podName}: ${order}`;
  const timed = refusals.filter((l) => l.ms !== null && (t.startMs === null || l.ms >= t.startMs - START_SLACK_MS));
  const first = timed[0];
  if (!first || first.ms === null) return `${podName}: refusals have no usable time`;
  const neverReady = t.readyMs === null;
  const xdsDown = view.logsOfPod(namespace, podName).some((l) => l.signatures.some((id) => XDS_FAILURES.includes(id)));
  if (neverReady && xdsDown)
    return `${podName}: the sidecar never became ready because it gets no configuration (xDS errors)`;
  const during = notReadyAt(t, containerStatus(pod, SIDECAR)?.ready === false);
  const hasNotReadySignal = t.failures.length > 0 || t.notReadyLogs.length > 0;
  if (during === null) return `${podName}: no sidecar readiness timeline`;
  if (!during(first.ms)) {
    const after = t.readyMs !== null ? ` ${formatDuration(first.ms - t.readyMs)} after the sidecar was ready` : '';
    return `${podName}: refusals began${after}; the sidecar was ready (backend down?)`;
  }
  const inWindow = timed.filter((l) => l.ms !== null && during(l.ms)).length;
  let score = 0.55;
  if (hasNotReadySignal) score += 0.2;
  if (t.startMs !== null) score += 0.05;
  if (t.readyMs !== null) score += 0.05;
  if (inWindow > 1) score += 0.05;
  const evidence: DraftEvidence[] = [];
  const after = t.startMs !== null ? formatDuration(first.ms - t.startMs) : null;
  evidence.push(
    fromLog(first, (say) =>
      after === null
        ? say('proxy-startup.evidence.first-error')
        : say('proxy-startup.evidence.first-error-after', { after }),
    ),
  );
  if (t.startEvidence) evidence.push(labelled(t.startEvidence, (say) => say('proxy-startup.evidence.sidecar-started')));
  const failures = [...t.failures].sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  const firstFailure = failures[0];
  const lastFailure = failures[failures.length - 1];
  const notReady = (say: Translate) => say('proxy-startup.evidence.not-ready');
  if (firstFailure) evidence.push(fromEvent(firstFailure, notReady));
  if (lastFailure && lastFailure !== firstFailure)
    evidence.push(fromEvent(lastFailure, (say) => say('proxy-startup.evidence.still-not-ready')));
  else if (t.notReadyLogs[0]) evidence.push(fromLog(t.notReadyLogs[0], notReady));
  if (t.readyEvidence) evidence.push(labelled(t.readyEvidence, (say) => say('proxy-startup.evidence.ready')));
  else
    evidence.push(
      fromObject({ kind: 'Pod', namespace, name: podName }, (say) => say('proxy-startup.evidence.never-ready')),
    );
  const [firstError, ...sidecarTimeline] = evidence;
  sidecarTimeline.sort((a, b) => (toMs(a.timestamp) ?? 0) - (toMs(b.timestamp) ?? 0));
  const ref = pod ? view.workloadOfPod(pod) : view.workloadOfPodName(namespace, podName);
  const readyAt = t.readyMs !== null ? toIso(t.readyMs) : null;
  return {
    ref,
    podName,
    firstRefusal: first,
    refusalsInWindow: inWindow,
    order,
    line: {
      resources: [ref],
      evidence: firstError ? [firstError, ...sidecarTimeline] : [],
      confidence: score,
      facts: [
        (say) =>
          readyAt === null
            ? say('proxy-startup.fact.refused-never-ready', { pod: podName, at: first.time ?? '', count: inWindow })
            : say('proxy-startup.fact.refused-then-ready', {
                pod: podName,
                at: first.time ?? '',
                readyAt,
                count: inWindow,
              }),
      ],
    },
  };
}

function restartCommand(ref: ObjectRef): string {
  return `kubectl -n ${ref.namespace} rollout restart ${ref.kind.toLowerCase()}/${ref.name}`;
}

/** The workload's template already holds the application; the pods that logged the errors predate that. */
function rolloutPendingSteps(lead: PodVerdict, setting: 'hold' | 'native'): Phrase[] {
  const values = { workload: refText(lead.ref), pod: lead.podName, annotation: NATIVE_SIDECAR_ANNOTATION };
  return [
    (say) => say(setting === 'hold' ? 'proxy-startup.step.pending-hold' : 'proxy-startup.step.pending-native', values),
    (say) => say('proxy-startup.step.restart', { command: restartCommand(lead.ref) }),
    (say) => say(setting === 'hold' ? 'proxy-startup.step.check-hold' : 'proxy-startup.step.check-native'),
  ];
}

/** The running pods already hold the application, yet refusals continue: not the start-up race. */
function stillRefusedSteps(held: PodVerdict): Phrase[] {
  return [
    (say) => say('proxy-startup.step.held-cause', { pod: held.podName }),
    (say) => say('proxy-startup.step.held-init'),
    (say) => say('proxy-startup.step.held-backend'),
    (say) => say('proxy-startup.step.held-readiness'),
  ];
}

/** A native sidecar without a startup probe: Kubernetes starts the application as soon as the proxy runs. */
function nativeWithoutProbeSteps(verdict: PodVerdict): Phrase[] {
  return [
    (say) => say('proxy-startup.step.unprobed-cause', { pod: verdict.podName }),
    (say) => say('proxy-startup.step.unprobed-annotation'),
    (say) => say('proxy-startup.step.unprobed-probe'),
  ];
}

/** Connection refused from the application while the same pod's sidecar was not yet ready. */
export const detectProxyStartupEconnrefused: Detector = ({ view, entry }) => {
  const lines = view.logsWith(REFUSED).filter((l) => l.pod && (l.container === null || isAppContainer(l.container)));
  if (lines.length === 0) return { drafts: [], detail: 'no connection-refused lines from application containers' };
  const byPod = groupBy(lines, (l) => `${l.namespace ?? ''}\u0000${l.pod}`);
  const { groups, notes } = byWorkloadWithNotes(
    [...byPod].map(([k, refusals]) => {
      const [namespace, podName] = k.split('\u0000') as [string, string];
      return judgePod(view, namespace || null, podName, refusals);
    }),
  );
  const drafts: Draft[] = [];
  for (const verdicts of groups) {
    verdicts.sort((a, b) => (a.firstRefusal.ms ?? 0) - (b.firstRefusal.ms ?? 0));
    const lead = verdicts[0] as PodVerdict;
    const draft: Draft = { ...lead.line, confidence: lead.line.confidence + (verdicts.length > 1 ? 0.05 : 0) };
    if (verdicts.length > 1)
      draft.facts = [
        ...(draft.facts ?? []),
        (say) => say('proxy-startup.fact.same-race', { count: verdicts.length, workload: refText(lead.ref) }),
      ];
    const workload = view.object<Workload>(lead.ref);
    const templateValue = workload?.spec?.template?.metadata?.annotations?.['proxy.istio.io/config'];
    const held = verdicts.find((v) => v.order === 'held');
    const unprobed = verdicts.find((v) => v.order === 'native-unprobed');
    if (unprobed) {
      draft.steps = nativeWithoutProbeSteps(unprobed);
    } else if (held) {
      draft.severity = 'warning';
      draft.confidence -= 0.3;
      draft.steps = stillRefusedSteps(held);
    } else if (holdsApplication(templateValue)) {
      draft.steps = rolloutPendingSteps(lead, 'hold');
    } else if (workload?.spec?.template?.metadata?.annotations?.[NATIVE_SIDECAR_ANNOTATION] === 'true') {
      draft.steps = rolloutPendingSteps(lead, 'native');
    } else if (entry.patch) {
      // The patch merges into the workload's template; the pod's value stands in only when the workload was not read.
      const current = workload
        ? templateValue
        : annotations(view.get<Pod>('Pod', lead.ref.namespace, lead.podName))['proxy.istio.io/config'];
      const result = annotationJsonMerge(entry.patch, lead.ref, current);
      if ('patch' in result) draft.patches = [result.patch];
      else
        draft.facts = [...(draft.facts ?? []), (say) => say('proxy-startup.fact.no-patch', { reason: result.reason })];
    }
    const pod = view.get<Pod>('Pod', lead.ref.namespace, lead.podName);
    const nativeOff = pod && !unprobed ? nativeSidecarsOffFact(view, pod) : null;
    if (nativeOff) draft.facts = [...(draft.facts ?? []), nativeOff];
    drafts.push(draft);
  }
  const detail =
    `${byPod.size} pod(s) with connection-refused lines` +
    (notes.length > 0 ? `; not a start-up race: ${notes.slice(0, 3).join('; ')}` : '');
  return { drafts, detail };
};
