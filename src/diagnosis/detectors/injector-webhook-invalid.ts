import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef } from '../evidence';
import { fromObject, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod, Webhook } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import { liveImpact, proxyRevision } from '../proxies';
import type { InjectorHook } from '../injection-webhooks';
import { injectorHooks, injectorsCalledFor } from '../injection-webhooks';
import type { IstioWebhookConfig } from '../webhooks';
import { istioWebhookConfigs } from '../webhooks';

/** A namespace (and the pods in it) for which webhooks of several injector configurations are called. */
interface Overlap {
  namespace: KubeObject;
  configs: ObjectRef[];
  hooks: InjectorHook[];
  pods: Pod[];
}

function overlaps(view: ClusterView, hooks: InjectorHook[]): Overlap[] {
  const found: Overlap[] = [];
  for (const ns of view.list('Namespace')) {
    const name = ns.metadata?.name ?? '';
    const nsLabels = ns.metadata?.labels ?? {};
    const pods = view.podsIn(name);
    // A new pod with no labels of its own, then the label sets of the pods that exist.
    const labelSets = [{}, ...pods.map((p) => p.metadata?.labels ?? {})];
    let worst: InjectorHook[] = [];
    for (const labels of labelSets) {
      const called = injectorsCalledFor(hooks, nsLabels, labels);
      if (new Set(called.map((h) => h.config.name)).size > new Set(worst.map((h) => h.config.name)).size)
        worst = called;
    }
    const configs = uniqueRefs(worst.map((h) => h.config));
    if (configs.length < 2) continue;
    const hit = pods.filter(
      (p) => new Set(injectorsCalledFor(hooks, nsLabels, p.metadata?.labels ?? {}).map((h) => h.config.name)).size > 1,
    );
    found.push({ namespace: ns, configs, hooks: worst, pods: hit });
  }
  return found;
}

function overlapDraft(view: ClusterView, o: Overlap): Draft {
  const name = o.namespace.metadata?.name ?? '';
  const nsRef: ObjectRef = { kind: 'Namespace', namespace: null, name };
  const workloads = uniqueRefs(o.pods.map((p) => view.workloadOfPod(p)));
  const impact = liveImpact(view, workloads, 'warning');
  const first = [...o.configs].sort((a, b) => a.name.localeCompare(b.name))[0];
  const revisions = [...new Set(o.pods.filter(hasSidecar).map((p) => proxyRevision(p) ?? 'unknown'))];
  const created = o.configs
    .map((c) => ({ ref: c, at: view.object(c)?.metadata?.creationTimestamp ?? null }))
    .filter((c): c is { ref: ObjectRef; at: string } => c.at !== null)
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
  const labels = Object.entries(o.namespace.metadata?.labels ?? {})
    .filter(([k]) => /istio/.test(k))
    .map(([k, v]) => `${k}=${v}`);
  const evidence: EvidenceItem[] = [
    ...o.configs.map((c) =>
      fromObject(
        c,
        `${o.hooks
          .filter((h) => h.config.name === c.name)
          .map((h) => h.hook.name)
          .join(', ')} select(s) namespace ${name}`,
      ),
    ),
    fromObject(nsRef, `labels: ${labels.join(', ') || 'no Istio label'}`),
    ...impact.evidence,
  ];
  return {
    resources: [...o.configs, nsRef, ...workloads],
    evidence,
    confidence: 0.9,
    facts: [
      `Pods created in namespace ${name} are sent to the injectors of ${o.configs.map(refText).join(' and ')}: their selectors overlap, so injection can happen twice. The API server calls mutating webhooks in the order of their configuration's name, so ${first?.name ?? 'the first'} injects first and the revision a pod ends up with depends on that order, not on the namespace's labels.`,
      ...(created ? [`The overlap exists since ${created.ref.name} was created at ${created.at}.`] : []),
      workloads.length > 0
        ? `Pods of ${workloads.map(refText).join(', ')} were created under the overlap${revisions.length > 0 ? `; their proxies come from revision(s) ${revisions.join(', ')}` : ''}.`
        : 'No pod exists in the namespace yet; the next ones created there meet the overlap.',
      impact.fact,
    ],
    ...(impact.severity ? { severity: impact.severity } : {}),
  };
}

function unreachableDraft(config: IstioWebhookConfig, hooks: Webhook[]): Draft {
  return {
    resources: [config.ref],
    evidence: hooks.map((h) => fromObject(config.ref, `webhook ${h.name}: clientConfig has neither service nor url`)),
    confidence: 0.95,
    facts: [
      `${refText(config.ref)} has ${hooks.length} webhook(s) the API server cannot call (no Service and no URL): ${hooks.map((h) => h.name).join(', ')}. Reinstall it from the control plane's manifests.`,
    ],
  };
}

/**
 * Istio injector webhooks that cannot work as installed: several injector configurations selecting the same
 * namespace and pods (double or wrong-revision injection), or webhooks with neither a Service nor a URL.
 * A Service that does not exist is reported by webhook-service-not-found.
 */
export const detectInjectorWebhookInvalid: Detector = ({ view }) => {
  if (!view.captured('MutatingWebhookConfiguration') && !view.captured('ValidatingWebhookConfiguration'))
    return { drafts: [], skipped: 'webhook configurations were not read', detail: '' };
  const configs = istioWebhookConfigs(view);
  const drafts: Draft[] = [];
  for (const config of configs) {
    const bad = config.hooks.filter((h) => !h.clientConfig?.service && !h.clientConfig?.url);
    if (bad.length > 0) drafts.push(unreachableDraft(config, bad));
  }
  const hooks = injectorHooks(configs);
  if (view.captured('Namespace')) drafts.push(...overlaps(view, hooks).map((o) => overlapDraft(view, o)));
  const detail = `${configs.length} Istio webhook configuration(s) checked${view.captured('Namespace') ? ' against the namespaces' : '; namespaces not read, overlaps not checked'}`;
  return { drafts, detail };
};
