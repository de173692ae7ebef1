import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft, DraftEvidence, Phrase } from '../detector';
import { phraseText } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import type { Translate } from '../../i18n/translate';
import { fromEvent, fromLog, fromObject, refText } from '../evidence-items';
import { createFailures } from '../failed-create';
import type { KubeObject, Pod, Workload } from '../kube-types';
import { containerStatus } from '../pod-facts';

export const IPTABLES_ERROR = 'istio-init-iptables-error';
export const CNI_VALIDATION = 'istio-cni-validation-failed';

const INIT_NAMES = new Set(['istio-init', 'istio-validation']);

interface Case {
  ref: ObjectRef;
  evidence: DraftEvidence[];
  /** The likely causes, each once (by what it says in English). */
  causes: Map<string, Phrase>;
  score: number;
}

/** The state of a failed init container, in the report's language: `CrashLoopBackOff, exit code 1 (Error), 4 restarts`. */
function failedInit(pod: Pod): { name: string; text: Phrase } | null {
  for (const name of INIT_NAMES) {
    const s = containerStatus(pod, name);
    if (!s) continue;
    const waiting = s.state?.waiting?.reason;
    const stillFailing = waiting !== undefined || pod.status?.phase === 'Pending';
    const term = s.state?.terminated ?? (stillFailing ? s.lastState?.terminated : undefined);
    if ((term && term.exitCode !== 0) || waiting === 'CrashLoopBackOff') {
      const text = (t: Translate) =>
        [
          waiting,
          term
            ? term.reason
              ? t('istio-init.exit-code-reason', { code: String(term.exitCode), reason: term.reason })
              : t('istio-init.exit-code', { code: String(term.exitCode) })
            : '',
          t('istio-init.restarts', { count: s.restartCount ?? 0 }),
        ]
          .filter(Boolean)
          .join(', ');
      return { name, text };
    }
  }
  return null;
}

function namespaceCause(view: ClusterView, namespace: string | null): Phrase | null {
  const ns = namespace ? view.get<KubeObject>('Namespace', null, namespace) : undefined;
  const level = ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  return level === 'restricted' || level === 'baseline'
    ? (t) => t('istio-init.cause.pod-security', { namespace: namespace ?? '', level })
    : null;
}

function causeOf(line: LogLine): Phrase {
  if (line.signatures.includes(CNI_VALIDATION)) return (t) => t('istio-init.cause.cni');
  return (t) => t('istio-init.cause.iptables');
}

/** Adds a likely cause once. */
function addCause(c: Case, cause: Phrase): void {
  c.causes.set(phraseText(cause), cause);
}

/** The Istio CNI DaemonSet (preferring one in a control-plane namespace) when not all its pods are ready. */
function cniNotReady(view: ClusterView, controlPlane: readonly string[]): { ref: ObjectRef; text: Phrase } | null {
  const all = view.list<Workload>('DaemonSet').filter((d) => /istio-cni/.test(d.metadata?.name ?? ''));
  const ds = all.find((d) => controlPlane.includes(d.metadata?.namespace ?? '')) ?? all[0];
  if (!ds) return null;
  const desired = ds.status?.desiredNumberScheduled ?? 0;
  const ready = ds.status?.numberReady ?? 0;
  const ref = refOf(ds, 'DaemonSet');
  return ready < desired
    ? {
        ref,
        text: (t) => t('istio-init.cni-not-ready', { daemonset: `${ref.namespace}/${ref.name}`, ready, desired }),
      }
    : null;
}

/** istio-init (or the CNI validation init container) fails, or admission forbids its capabilities. */
export const detectIstioInitFailure: Detector = ({ view, catalog, controlPlaneNamespaces }) => {
  const cases = new Map<string, Case>();
  const caseFor = (ref: ObjectRef): Case => {
    const k = refText(ref);
    let c = cases.get(k);
    if (!c) {
      c = { ref, evidence: [], causes: new Map(), score: 0.5 };
      cases.set(k, c);
    }
    return c;
  };
  for (const pod of view.pods()) {
    const failed = failedInit(pod);
    if (!failed) continue;
    const c = caseFor(view.workloadOfPod(pod));
    const podRef: ObjectRef = {
      kind: 'Pod',
      namespace: pod.metadata?.namespace ?? null,
      name: pod.metadata?.name ?? '',
    };
    c.evidence.push(
      fromObject(podRef, (t) =>
        t('istio-init.evidence.failed', { container: failed.name, status: phraseText(failed.text, t) }),
      ),
    );
    c.score += 0.2;
    const nsCause = namespaceCause(view, podRef.namespace);
    if (nsCause) addCause(c, nsCause);
  }
  for (const line of [...view.logsWith(IPTABLES_ERROR), ...view.logsWith(CNI_VALIDATION)]) {
    if (line.container && !INIT_NAMES.has(line.container) && !/cni/.test(line.container)) continue;
    if (!line.pod) continue;
    const c = caseFor(view.workloadOfPodName(line.namespace, line.pod));
    if (!c.evidence.some((e) => e.source === 'log')) {
      c.evidence.unshift(fromLog(line));
      c.score += 0.2;
    }
    addCause(c, causeOf(line));
  }
  for (const failure of createFailures(view, catalog).get('istio-init-failure') ?? []) {
    if (!failure.current) continue;
    const c = caseFor(failure.workload);
    c.evidence.unshift(fromEvent(failure.events[0]!));
    c.score += 0.35;
    addCause(c, (t) => t('istio-init.cause.admission'));
  }
  const cni = cniNotReady(view, controlPlaneNamespaces);
  const drafts: Draft[] = [...cases.values()].map((c) => ({
    resources: [c.ref],
    evidence: cni ? [...c.evidence, fromObject(cni.ref, cni.text)] : c.evidence,
    confidence: c.score,
    facts: [...c.causes.values(), ...(cni ? [cni.text] : [])].map(
      (cause): Phrase =>
        (t) =>
          t('istio-init.fact.likely-cause', { cause: phraseText(cause, t) }),
    ),
  }));
  return { drafts, detail: `${view.pods().length} pods checked for failing istio-init` };
};
