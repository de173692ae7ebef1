import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, LogLine, ObjectRef } from '../evidence';
import { fromEvent, fromLog, fromObject, refText } from '../evidence-items';
import { createFailures } from '../failed-create';
import type { KubeObject, Pod, Workload } from '../kube-types';
import { containerStatus } from '../pod-facts';

export const IPTABLES_ERROR = 'istio-init-iptables-error';
export const CNI_VALIDATION = 'istio-cni-validation-failed';

const INIT_NAMES = new Set(['istio-init', 'istio-validation']);

interface Case {
  ref: ObjectRef;
  evidence: EvidenceItem[];
  causes: Set<string>;
  score: number;
}

function failedInit(pod: Pod): { name: string; text: string } | null {
  for (const name of INIT_NAMES) {
    const s = containerStatus(pod, name);
    if (!s) continue;
    const waiting = s.state?.waiting?.reason;
    const stillFailing = waiting !== undefined || pod.status?.phase === 'Pending';
    const term = s.state?.terminated ?? (stillFailing ? s.lastState?.terminated : undefined);
    if ((term && term.exitCode !== 0) || waiting === 'CrashLoopBackOff') {
      const exit = term ? `exit code ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}` : '';
      return { name, text: [waiting, exit, `${s.restartCount ?? 0} restarts`].filter(Boolean).join(', ') };
    }
  }
  return null;
}

function namespaceCause(view: ClusterView, namespace: string | null): string | null {
  const ns = namespace ? view.get<KubeObject>('Namespace', null, namespace) : undefined;
  const level = ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  return level === 'restricted' || level === 'baseline'
    ? `namespace ${namespace} enforces Pod Security "${level}", which forbids NET_ADMIN/NET_RAW`
    : null;
}

function causeOf(line: LogLine): string {
  if (line.signatures.includes(CNI_VALIDATION))
    return 'the Istio CNI plugin did not set up the pod network (istio-cni-node not ready on the node or incomplete install)';
  return 'istio-init may not program iptables (missing CAP_NET_ADMIN/NET_RAW or a restrictive pod security policy)';
}

/** The Istio CNI DaemonSet (preferring one in a control-plane namespace) when not all its pods are ready. */
function cniNotReady(view: ClusterView, controlPlane: readonly string[]): { ref: ObjectRef; text: string } | null {
  const all = view.list<Workload>('DaemonSet').filter((d) => /istio-cni/.test(d.metadata?.name ?? ''));
  const ds = all.find((d) => controlPlane.includes(d.metadata?.namespace ?? '')) ?? all[0];
  if (!ds) return null;
  const desired = ds.status?.desiredNumberScheduled ?? 0;
  const ready = ds.status?.numberReady ?? 0;
  const ref = refOf(ds, 'DaemonSet');
  return ready < desired
    ? { ref, text: `DaemonSet ${ref.namespace}/${ref.name} has ${ready}/${desired} pods ready` }
    : null;
}

/** istio-init (or the CNI validation init container) fails, or admission forbids its capabilities. */
export const detectIstioInitFailure: Detector = ({ view, catalog, controlPlaneNamespaces }) => {
  const cases = new Map<string, Case>();
  const caseFor = (ref: ObjectRef): Case => {
    const k = refText(ref);
    let c = cases.get(k);
    if (!c) {
      c = { ref, evidence: [], causes: new Set(), score: 0.5 };
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
    c.evidence.push(fromObject(podRef, `${failed.name} failed: ${failed.text}`));
    c.score += 0.2;
    const nsCause = namespaceCause(view, podRef.namespace);
    if (nsCause) c.causes.add(nsCause);
  }
  for (const line of [...view.logsWith(IPTABLES_ERROR), ...view.logsWith(CNI_VALIDATION)]) {
    if (line.container && !INIT_NAMES.has(line.container) && !/cni/.test(line.container)) continue;
    if (!line.pod) continue;
    const c = caseFor(view.workloadOfPodName(line.namespace, line.pod));
    if (!c.evidence.some((e) => e.source === 'log')) {
      c.evidence.unshift(fromLog(line));
      c.score += 0.2;
    }
    c.causes.add(causeOf(line));
  }
  for (const failure of createFailures(view, catalog).get('istio-init-failure') ?? []) {
    if (!failure.current) continue;
    const c = caseFor(failure.workload);
    c.evidence.unshift(fromEvent(failure.events[0]!));
    c.score += 0.35;
    c.causes.add(
      'admission (Pod Security or a PodSecurityPolicy) rejects the NET_ADMIN/NET_RAW capabilities istio-init needs, so pods are not even created',
    );
  }
  const cni = cniNotReady(view, controlPlaneNamespaces);
  const drafts: Draft[] = [...cases.values()].map((c) => ({
    resources: [c.ref],
    evidence: cni ? [...c.evidence, fromObject(cni.ref, cni.text)] : c.evidence,
    confidence: c.score,
    facts: [...c.causes, ...(cni ? [cni.text] : [])].map((s) => `Likely cause: ${s}.`),
  }));
  return { drafts, detail: `${view.pods().length} pods checked for failing istio-init` };
};
