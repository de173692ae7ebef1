import { namespaceInjectionLabel, rolloutRestart } from '../patch-templates';
import { toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft, DraftEvidence, Phrase } from '../detector';
import { phraseText } from '../detector';
import type { ObjectRef, PatchProposal, Target } from '../evidence';
import { fromLog, fromObject, refText, sameRef, uniqueRefs } from '../evidence-items';
import type { RefusedClients } from '../injection-intent';
import { refusedCallsReason, refusedPlaintextClients } from '../injection-intent';
import type { KubeObject, Pod, Workload } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import { injectorConfigs, servedInjection } from '../webhooks';
import { isAmbientInfrastructurePod } from '../ztunnel';

/** Platform namespaces never meant for injection (besides the control plane's own). */
const SYSTEM_NAMESPACES = /^(kube-|gke-|gmp-|config-management|anthos|asm-system$|cert-manager$|local-path-storage$)/;
const ISTIO_CONFIG_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Sidecar',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'RequestAuthentication',
];
const MAX_RESTARTS = 10;

function optedOut(pod: Pod): boolean {
  const meta = pod.metadata ?? {};
  return (
    meta.labels?.['sidecar.istio.io/inject'] === 'false' || meta.annotations?.['sidecar.istio.io/inject'] === 'false'
  );
}

/** True when a pod or pod template asks for a sidecar itself (label, or the older annotation). */
function asksForInjection(
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): boolean {
  return (
    meta.labels?.['sidecar.istio.io/inject'] === 'true' || meta.annotations?.['sidecar.istio.io/inject'] === 'true'
  );
}

/** True when ztunnel carries the pod's traffic: it or its namespace asks for ambient mode, or istio-cni redirected it. */
function inAmbient(view: ClusterView, pod: Pod): boolean {
  const mode = podDataplane(view, pod).mode;
  return mode === 'ambient' || mode === 'ambient-waypoint';
}

/** Pods that should carry a sidecar and do not (ambient pods and the ambient data plane's own pods are meshed without one). */
function uninjected(view: ClusterView, pods: Pod[]): Pod[] {
  return pods.filter(
    (p) =>
      !hasSidecar(p) &&
      !optedOut(p) &&
      !p.spec?.hostNetwork &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed' &&
      !inAmbient(view, p) &&
      !isAmbientInfrastructurePod(view, p),
  );
}

/** Pods with an injected sidecar (a waypoint's or ztunnel's istio-proxy is not one). */
function injected(view: ClusterView, pods: Pod[]): boolean {
  return pods.some((p) => hasSidecar(p) && !isAmbientInfrastructurePod(view, p));
}

/** Signs that a namespace without any injection label is meant to be in the mesh. */
function meshIntent(
  view: ClusterView,
  namespace: string,
  pods: Pod[],
  target: Target,
  refused: RefusedClients | undefined,
): Phrase | null {
  if (refused) return refusedCallsReason(refused);
  if (injected(view, pods)) return (t) => t('sidecar-injection.intent.others-injected');
  const config = ISTIO_CONFIG_KINDS.flatMap((k) => view.inNamespace(k, namespace))[0];
  if (config) {
    const object = `${config.kind} ${config.metadata?.namespace}/${config.metadata?.name}`;
    return (t) => t('sidecar-injection.intent.configured', { object });
  }
  if (pods.some((p) => p.metadata?.labels?.['sidecar.istio.io/inject'] === 'true'))
    return (t) => t('sidecar-injection.intent.pods-ask');
  if (target.namespace === namespace) return (t) => t('sidecar-injection.intent.target');
  return null;
}

interface Verdict {
  problem: Phrase;
  confidence: number;
  relabel: boolean;
}

function judge(
  view: ClusterView,
  ns: KubeObject,
  pods: Pod[],
  target: Target,
  served: ReturnType<typeof servedInjection>,
  refused: RefusedClients | undefined,
): Verdict | null {
  const name = ns.metadata?.name ?? '';
  const labels = ns.metadata?.labels ?? {};
  const injection = labels['istio-injection'];
  const rev = labels['istio.io/rev'];
  if (rev !== undefined && !served.revisions.has(rev) && injection !== 'enabled') {
    const live =
      [...served.revisions].join(', ') || (served.defaultLabel ? 'the default (istio-injection=enabled)' : 'none');
    return {
      problem: (t) => t('sidecar-injection.problem.unknown-revision', { namespace: name, rev, installed: live }),
      confidence: 0.9,
      relabel: true,
    };
  }
  if (injection !== undefined && injection !== 'enabled' && rev === undefined) {
    return {
      problem: (t) => t('sidecar-injection.problem.wrong-value', { namespace: name, value: injection }),
      confidence: 0.9,
      relabel: true,
    };
  }
  if (injection === 'enabled' || rev !== undefined) {
    return {
      problem: (t) => t('sidecar-injection.problem.created-before', { namespace: name }),
      confidence: 0.75,
      relabel: false,
    };
  }
  const intent = meshIntent(view, name, pods, target, refused);
  if (!intent) return null;
  return {
    problem: (t) => t('sidecar-injection.problem.no-label', { namespace: name, intent: phraseText(intent, t) }),
    confidence: refused ? 0.85 : target.namespace === name ? 0.65 : 0.8,
    relabel: true,
  };
}

/**
 * Workloads in a namespace labelled istio-injection=disabled whose pods (or pod templates) ask for a sidecar
 * with sidecar.istio.io/inject=true and have none: the namespace label wins, since every injector webhook
 * that honours the pod's own request requires the namespace to have no istio-injection label at all.
 */
function overruledRequests(view: ClusterView, namespace: string, pods: Pod[]): { refs: ObjectRef[]; examples: Pod[] } {
  const asking = uninjected(view, pods).filter((p) => asksForInjection(p.metadata));
  const refs = asking.map((p) => view.workloadOfPod(p));
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    for (const w of view.inNamespace<Workload>(kind, namespace)) {
      const template = w.spec?.template;
      if (!asksForInjection(template?.metadata) || hasSidecar(template)) continue;
      const ref: ObjectRef = { kind, namespace, name: w.metadata?.name ?? '' };
      if (view.podsOfWorkload(ref).length === 0) refs.push(ref);
    }
  }
  return { refs: uniqueRefs(refs), examples: asking };
}

function disabledNamespaceDraft(view: ClusterView, ns: KubeObject, pods: Pod[]): Draft | null {
  const name = ns.metadata?.name ?? '';
  const { refs, examples } = overruledRequests(view, name, pods);
  if (refs.length === 0) return null;
  const nsRef: ObjectRef = { kind: 'Namespace', namespace: null, name };
  const evidence: DraftEvidence[] = [
    fromObject(nsRef, (t) => t('sidecar-injection.evidence.labels', { labels: 'istio-injection=disabled' })),
    ...examples.slice(0, 3).map((p) =>
      fromObject({ kind: 'Pod', namespace: name, name: p.metadata?.name ?? '' }, (t) =>
        t('sidecar-injection.evidence.asks-but-none', {
          containers: (p.spec?.containers ?? []).map((c) => c.name).join(', '),
        }),
      ),
    ),
  ];
  return {
    resources: [nsRef, ...refs],
    evidence,
    confidence: 0.85,
    facts: [
      (t) =>
        t('sidecar-injection.fact.overruled', {
          workloads: refs.map(refText).join(', '),
          count: refs.length,
          namespace: name,
        }),
    ],
    steps: [
      (t) => t('sidecar-injection.step.remove-disabled', { namespace: name }),
      (t) => t('sidecar-injection.step.stay-out'),
    ],
  };
}

/** Application pods without istio-proxy because of the namespace's (or pod's) injection labels. */
export const detectSidecarNotInjected: Detector = ({ view, entry, target, controlPlaneNamespaces, nowMs }) => {
  const meshInstalled = injectorConfigs(view).length > 0 || view.pods().some(hasSidecar);
  if (!meshInstalled)
    return { drafts: [], skipped: 'no sidecar injector and no injected pods in the evidence', detail: '' };
  const served = servedInjection(view);
  const refusedByNamespace = refusedPlaintextClients(view, controlPlaneNamespaces);
  const drafts: Draft[] = [];
  const namespaces = view.list('Namespace');
  let checked = 0;
  for (const ns of namespaces) {
    const name = ns.metadata?.name ?? '';
    if (SYSTEM_NAMESPACES.test(name) || controlPlaneNamespaces.includes(name)) continue;
    if (ns.metadata?.labels?.['istio.io/dataplane-mode'] === 'ambient') continue;
    const pods = view.podsIn(name);
    if (ns.metadata?.labels?.['istio-injection'] === 'disabled') {
      checked++;
      const overruled = disabledNamespaceDraft(view, ns, pods);
      if (overruled) drafts.push(overruled);
      continue;
    }
    const missing = uninjected(view, pods);
    checked++;
    if (missing.length === 0) continue;
    const refused = refusedByNamespace.get(name);
    const verdict = judge(view, ns, pods, target, served, refused);
    if (!verdict) continue;
    const nsRef: ObjectRef = { kind: 'Namespace', namespace: null, name };
    const callers = (refused?.clients ?? []).filter((c) => missing.some((p) => sameRef(view.workloadOfPod(p), c)));
    const workloads = uniqueRefs([...callers, ...missing.map((p) => view.workloadOfPod(p))]);
    const istioLabels = Object.entries(ns.metadata?.labels ?? {})
      .filter(([k]) => /istio/.test(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const evidence: DraftEvidence[] = [
      ...(refused
        ? refused.lines.slice(-2).map((l) => fromLog(l, (t) => t('sidecar-injection.evidence.refused-plaintext')))
        : []),
      ...(refused?.strict ? [fromObject(refused.strict, (t) => t('sidecar-injection.evidence.strict'))] : []),
      fromObject(nsRef, (t) =>
        istioLabels
          ? t('sidecar-injection.evidence.labels', { labels: istioLabels })
          : t('sidecar-injection.evidence.no-label'),
      ),
      ...missing.slice(0, 3).map((p) =>
        fromObject({ kind: 'Pod', namespace: name, name: p.metadata?.name ?? '' }, (t) =>
          t('sidecar-injection.evidence.no-sidecar', {
            containers: (p.spec?.containers ?? []).map((c) => c.name).join(', '),
          }),
        ),
      ),
    ];
    const patches: PatchProposal[] = [];
    const facts: Phrase[] = [
      (t) =>
        t('sidecar-injection.fact.pods-without', {
          problem: phraseText(verdict.problem, t),
          count: missing.length,
          workloads: workloads.map(refText).join(', '),
        }),
    ];
    if (entry.patch) {
      const installedRevision = [...served.revisions].find((r) => r !== 'default') ?? null;
      const usesRevisions = 'istio.io/rev' in (ns.metadata?.labels ?? {}) || !served.defaultLabel;
      const revision = usesRevisions ? installedRevision : null;
      if (verdict.relabel) {
        const label = namespaceInjectionLabel(entry.patch, name, ns.metadata?.labels ?? {}, revision);
        if ('patch' in label) patches.push(label.patch);
      }
      const at = nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs);
      for (const w of workloads.slice(0, MAX_RESTARTS)) {
        const restart = rolloutRestart(entry.patch, w, at);
        if ('patch' in restart) patches.push(restart.patch);
      }
    }
    drafts.push({ resources: [nsRef, ...workloads], evidence, confidence: verdict.confidence, facts, patches });
  }
  return { drafts, detail: `${checked} application namespace(s) checked for injection labels` };
};
