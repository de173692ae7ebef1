import { namespaceInjectionLabel, rolloutRestart } from '../patch-templates';
import { toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef, PatchProposal, Target } from '../evidence';
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
): string | null {
  if (refused) return refusedCallsReason(refused);
  if (injected(view, pods)) return 'other pods in the namespace have sidecars';
  const config = ISTIO_CONFIG_KINDS.flatMap((k) => view.inNamespace(k, namespace))[0];
  if (config) return `${config.kind} ${config.metadata?.namespace}/${config.metadata?.name} configures traffic for it`;
  if (pods.some((p) => p.metadata?.labels?.['sidecar.istio.io/inject'] === 'true'))
    return 'its pods ask for injection (sidecar.istio.io/inject=true)';
  if (target.namespace === namespace) return 'it was named as the diagnosis target';
  return null;
}

interface Verdict {
  problem: string;
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
      problem: `namespace ${name} has istio.io/rev=${rev}, but no installed injector serves that revision (installed: ${live})`,
      confidence: 0.9,
      relabel: true,
    };
  }
  if (injection !== undefined && injection !== 'enabled' && rev === undefined) {
    return {
      problem: `namespace ${name} has istio-injection=${injection}; only the value "enabled" turns injection on`,
      confidence: 0.9,
      relabel: true,
    };
  }
  if (injection === 'enabled' || rev !== undefined) {
    return {
      problem: `namespace ${name} is enabled for injection, but these pods were created without a sidecar (created before the label, or the injector was unavailable)`,
      confidence: 0.75,
      relabel: false,
    };
  }
  const intent = meshIntent(view, name, pods, target, refused);
  if (!intent) return null;
  return {
    problem: `namespace ${name} has no injection label although ${intent}`,
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
  const evidence: EvidenceItem[] = [
    fromObject(nsRef, 'labels: istio-injection=disabled'),
    ...examples
      .slice(0, 3)
      .map((p) =>
        fromObject(
          { kind: 'Pod', namespace: name, name: p.metadata?.name ?? '' },
          `asks for injection (sidecar.istio.io/inject=true) but has no istio-proxy (containers: ${(p.spec?.containers ?? []).map((c) => c.name).join(', ')})`,
        ),
      ),
  ];
  return {
    resources: [nsRef, ...refs],
    evidence,
    confidence: 0.85,
    facts: [
      `${refs.map(refText).join(', ')} ask(s) for a sidecar with sidecar.istio.io/inject=true, but namespace ${name} is labelled istio-injection=disabled, which takes precedence: the injector webhooks consider a pod's own request only in namespaces without an istio-injection label, so these pods are never sent to the injector.`,
    ],
    steps: [
      `To inject them: remove the namespace label (kubectl label namespace ${name} istio-injection-), keep sidecar.istio.io/inject: "true" as a pod-template label (the annotation alone is not matched by the webhooks), then restart the workloads. Pods in the namespace without that label stay uninjected.`,
      'If the namespace is meant to stay out of the mesh, remove sidecar.istio.io/inject from the pod templates so they no longer claim to be in it.',
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
    const evidence: EvidenceItem[] = [
      ...(refused ? refused.lines.slice(-2).map((l) => fromLog(l, 'refused plaintext: ')) : []),
      ...(refused?.strict ? [fromObject(refused.strict, 'requires mutual TLS (mode STRICT)')] : []),
      fromObject(
        nsRef,
        `labels: ${
          Object.entries(ns.metadata?.labels ?? {})
            .filter(([k]) => /istio/.test(k))
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'no injection label'
        }`,
      ),
      ...missing
        .slice(0, 3)
        .map((p) =>
          fromObject(
            { kind: 'Pod', namespace: name, name: p.metadata?.name ?? '' },
            `containers: ${(p.spec?.containers ?? []).map((c) => c.name).join(', ')} (no istio-proxy)`,
          ),
        ),
    ];
    const patches: PatchProposal[] = [];
    const facts = [
      `${verdict.problem}: ${missing.length} pod(s) of ${workloads.map(refText).join(', ')} run without a sidecar.`,
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
