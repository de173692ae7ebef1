import { toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef, PatchProposal } from '../evidence';
import { fromEvent, fromObject, refText } from '../evidence-items';
import type { InjectorHook } from '../injection-webhooks';
import { injectorHooks, injectorsCalledFor } from '../injection-webhooks';
import type { ContainerSpec, KubeObject, Pod, Workload } from '../kube-types';
import { namespaceInjectionLabel, POD_TEMPLATE_KINDS, rolloutRestart } from '../patch-templates';
import { istioWebhookConfigs, servedInjection } from '../webhooks';

/** The placeholder image Istio's gateway injection template replaces. */
const AUTO = 'auto';

function autoContainers(
  spec: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] } | undefined,
): string[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]
    .filter((c) => c.image === AUTO)
    .map((c) => c.name ?? '?');
}

/** A workload (or bare pod) that asks for `image: auto` and that no injector would fill in. */
interface Uninjected {
  ref: ObjectRef;
  namespace: KubeObject | undefined;
  containers: string[];
  failing: { pod: Pod; reason: string; message: string }[];
}

function waiting(pod: Pod, containers: string[]): { reason: string; message: string } | null {
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    if (!containers.includes(s.name ?? '') || !s.state?.waiting) continue;
    return { reason: s.state.waiting.reason ?? 'Waiting', message: s.state.waiting.message ?? '' };
  }
  return null;
}

function candidates(view: ClusterView, hooks: InjectorHook[]): Uninjected[] {
  const found = new Map<string, Uninjected>();
  const nsOf = (name: string | undefined) => view.get('Namespace', null, name ?? '');
  const missed = (nsName: string | undefined, labels: Record<string, string> | undefined) =>
    injectorsCalledFor(hooks, nsOf(nsName)?.metadata?.labels ?? {}, labels ?? {}).length === 0;
  for (const kind of POD_TEMPLATE_KINDS) {
    for (const w of view.list<Workload>(kind)) {
      const template = w.spec?.template;
      const containers = autoContainers(template?.spec);
      if (containers.length === 0 || !missed(w.metadata?.namespace, template?.metadata?.labels)) continue;
      const ref: ObjectRef = { kind, namespace: w.metadata?.namespace ?? null, name: w.metadata?.name ?? '' };
      found.set(refText(ref), { ref, namespace: nsOf(w.metadata?.namespace), containers, failing: [] });
    }
  }
  for (const pod of view.pods()) {
    const containers = autoContainers(pod.spec);
    if (containers.length === 0 || !missed(pod.metadata?.namespace, pod.metadata?.labels)) continue;
    const ref = view.workloadOfPod(pod);
    const entry = found.get(refText(ref)) ?? { ref, namespace: nsOf(pod.metadata?.namespace), containers, failing: [] };
    const state = waiting(pod, containers);
    if (state) entry.failing.push({ pod, ...state });
    found.set(refText(ref), entry);
  }
  return [...found.values()];
}

function whyMissed(u: Uninjected, served: ReturnType<typeof servedInjection>): string {
  const labels = u.namespace?.metadata?.labels ?? {};
  const ns = u.ref.namespace ?? '';
  if (labels['istio-injection'] === 'disabled') return `namespace ${ns} is labelled istio-injection=disabled`;
  if (labels['istio.io/rev'] !== undefined && !served.revisions.has(labels['istio.io/rev'] ?? ''))
    return `namespace ${ns} asks for revision ${labels['istio.io/rev']}, which no injector serves`;
  if (!served.defaultLabel && served.revisions.size > 0)
    return `only revisioned injectors are installed (${[...served.revisions].join(', ')}) and neither namespace ${ns} nor the pod template carries istio.io/rev`;
  return `no injector webhook selects namespace ${ns} with the pod template's labels`;
}

function patchesFor(
  view: ClusterView,
  u: Uninjected,
  entry: Parameters<Detector>[0]['entry'],
  served: ReturnType<typeof servedInjection>,
  at: string,
): PatchProposal[] {
  const labels = u.namespace?.metadata?.labels ?? {};
  if (!entry.patch || !u.namespace || 'istio-injection' in labels) return [];
  const revision = served.defaultLabel ? null : ([...served.revisions].find((r) => r !== 'default') ?? null);
  if (!served.defaultLabel && !revision) return [];
  const patches: PatchProposal[] = [];
  const label = namespaceInjectionLabel(entry.patch, u.ref.namespace ?? '', labels, revision);
  if ('patch' in label) patches.push(label.patch);
  const restart = rolloutRestart(entry.patch, u.ref, at);
  if ('patch' in restart && view.object(u.ref)) patches.push(restart.patch);
  return patches;
}

/** Gateways and other workloads with `image: auto` that no sidecar injector fills in. */
export const detectImageAutoNotInjected: Detector = ({ view, entry, nowMs }) => {
  if (!view.captured('Pod') && !view.captured('Deployment'))
    return { drafts: [], skipped: 'neither pods nor Deployments were read', detail: '' };
  if (!view.captured('MutatingWebhookConfiguration'))
    return { drafts: [], skipped: 'mutating webhook configurations were not read', detail: '' };
  const hooks = injectorHooks(istioWebhookConfigs(view));
  const served = servedInjection(view);
  const at = nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs);
  const drafts: Draft[] = candidates(view, hooks).map((u) => {
    const nsRef: ObjectRef = { kind: 'Namespace', namespace: null, name: u.ref.namespace ?? '' };
    const events = u.failing.flatMap((f) =>
      view
        .eventsFor('Pod', f.pod.metadata?.namespace ?? null, f.pod.metadata?.name ?? '')
        .filter((e) => e.message.includes(`"${AUTO}"`))
        .slice(-1),
    );
    const evidence: EvidenceItem[] = [
      ...events.slice(0, 2).map((e) => fromEvent(e)),
      ...u.failing
        .slice(0, 3)
        .map((f) =>
          fromObject(
            { kind: 'Pod', namespace: f.pod.metadata?.namespace ?? null, name: f.pod.metadata?.name ?? '' },
            `container ${u.containers.join(', ')} (image "auto") waiting: ${f.reason}${f.message ? ` ${f.message}` : ''}`,
          ),
        ),
      fromObject(u.ref, `containers with image "auto": ${u.containers.join(', ')}`),
      fromObject(
        nsRef,
        `labels: ${
          Object.entries(u.namespace?.metadata?.labels ?? {})
            .filter(([k]) => /istio/.test(k))
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'no injection label'
        }`,
      ),
    ];
    const facts = [
      `${refText(u.ref)} uses image "auto", a placeholder the sidecar injector replaces with the proxy image, but ${whyMissed(u, served)}, so the image is never filled in.`,
      u.failing.length > 0
        ? `${u.failing.length} pod(s) cannot start (${[...new Set(u.failing.map((f) => f.reason))].join(', ')}).`
        : 'No pod of it is failing right now (none exists or none was read); the next pods it creates will fail to pull image "auto".',
    ];
    return {
      resources: [u.ref, nsRef],
      evidence,
      confidence: u.failing.length > 0 ? 0.95 : 0.8,
      facts,
      patches: patchesFor(view, u, entry, served, at),
      ...(u.failing.length > 0 ? {} : { severity: 'warning' as const }),
    };
  });
  return { drafts, detail: `${hooks.length} injector webhook(s) matched against workloads with image "auto"` };
};
