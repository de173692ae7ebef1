import type { ClusterView } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { LabelSelector, Webhook, WebhookConfiguration } from './kube-types';

export const MUTATING = 'MutatingWebhookConfiguration';
export const VALIDATING = 'ValidatingWebhookConfiguration';

const INJECTOR = /sidecar-injector\.istio\.io$/;
const ISTIO_WEBHOOK = /(^|\.)istio\.io$/;

export function isInjectorWebhook(webhook: Webhook): boolean {
  return INJECTOR.test(webhook.name ?? '');
}

/** True for a webhook Istio registers: the injector (`*.sidecar-injector.istio.io`) or a validator (`*.validation.istio.io`). */
export function isIstioWebhook(webhook: Webhook): boolean {
  return ISTIO_WEBHOOK.test(webhook.name ?? '');
}

/** One webhook configuration of Istio: its kind, whether it injects or validates, and its Istio webhooks. */
export interface IstioWebhookConfig {
  config: WebhookConfiguration;
  ref: ObjectRef;
  role: 'injector' | 'validator';
  hooks: Webhook[];
}

/**
 * Every Istio webhook configuration (each revision and tag): mutating ones carrying the sidecar injector,
 * validating ones carrying an `*.istio.io` webhook.
 */
export function istioWebhookConfigs(view: ClusterView): IstioWebhookConfig[] {
  const found: IstioWebhookConfig[] = [];
  for (const [kind, role] of [
    [MUTATING, 'injector'],
    [VALIDATING, 'validator'],
  ] as const) {
    for (const config of view.list<WebhookConfiguration>(kind)) {
      const hooks = (config.webhooks ?? []).filter(role === 'injector' ? isInjectorWebhook : isIstioWebhook);
      if (hooks.length > 0) found.push({ config, ref: configRef(config, kind), role, hooks });
    }
  }
  return found;
}

/**
 * Whether labels satisfy a Kubernetes label selector (matchLabels and the In, NotIn, Exists and DoesNotExist
 * expressions). An absent or empty selector selects everything, as the API server reads it.
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (have[k] !== v) return false;
  for (const expr of selector?.matchExpressions ?? []) {
    const key = expr.key ?? '';
    const present = Object.prototype.hasOwnProperty.call(have, key);
    const values = expr.values ?? [];
    const ok =
      expr.operator === 'In'
        ? present && values.includes(have[key] ?? '')
        : expr.operator === 'NotIn'
          ? !present || !values.includes(have[key] ?? '')
          : expr.operator === 'Exists'
            ? present
            : expr.operator === 'DoesNotExist'
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

/** True when a selector asks for labels (so only objects that opt in are selected), false when it selects everything. */
export function selectorRequiresLabels(selector: LabelSelector | undefined): boolean {
  if (Object.keys(selector?.matchLabels ?? {}).length > 0) return true;
  return (selector?.matchExpressions ?? []).some((e) => e.operator === 'In' || e.operator === 'Exists');
}

/** Mutating webhook configurations that carry Istio's sidecar injector. */
export function injectorConfigs(view: ClusterView): WebhookConfiguration[] {
  return view.list<WebhookConfiguration>(MUTATING).filter((c) => (c.webhooks ?? []).some(isInjectorWebhook));
}

export function configRef(config: WebhookConfiguration, kind: string): ObjectRef {
  return { kind: config.kind ?? kind, namespace: null, name: config.metadata?.name ?? '' };
}

/** The webhook configuration holding a webhook of that name, preferring one that calls the given service. */
export function findWebhookConfig(
  view: ClusterView,
  webhook: string | null,
  service: { name: string; namespace: string } | null,
): ObjectRef | null {
  const candidates: { ref: ObjectRef; hook: Webhook }[] = [];
  for (const kind of [MUTATING, VALIDATING]) {
    for (const config of view.list<WebhookConfiguration>(kind)) {
      for (const hook of config.webhooks ?? []) {
        if (webhook && hook.name === webhook) candidates.push({ ref: configRef(config, kind), hook });
        else if (!webhook && service && hook.clientConfig?.service?.name === service.name && kind === MUTATING) {
          candidates.push({ ref: configRef(config, kind), hook });
        }
      }
    }
  }
  const exact = candidates.find((c) => service && c.hook.clientConfig?.service?.name === service.name);
  return (exact ?? candidates[0])?.ref ?? null;
}

function revisionsIn(selector: LabelSelector | undefined, into: Set<string>): boolean {
  let usesDefault = false;
  const rev = selector?.matchLabels?.['istio.io/rev'];
  if (rev) into.add(rev);
  if (selector?.matchLabels?.['istio-injection'] === 'enabled') usesDefault = true;
  for (const expr of selector?.matchExpressions ?? []) {
    if (expr.key === 'istio.io/rev' && expr.operator === 'In') for (const v of expr.values ?? []) into.add(v);
    if (expr.key === 'istio-injection' && expr.operator === 'In' && expr.values?.includes('enabled'))
      usesDefault = true;
  }
  return usesDefault;
}

/** Which injection labels the installed injectors answer: the default label and/or revisions. */
export function servedInjection(view: ClusterView): { defaultLabel: boolean; revisions: Set<string> } {
  const revisions = new Set<string>();
  let defaultLabel = false;
  for (const config of injectorConfigs(view)) {
    for (const hook of config.webhooks ?? []) {
      if (!isInjectorWebhook(hook)) continue;
      if (revisionsIn(hook.namespaceSelector, revisions)) defaultLabel = true;
      if (revisionsIn(hook.objectSelector, revisions)) defaultLabel = true;
    }
    const tag = /^istio-revision-tag-(.+)$/.exec(config.metadata?.name ?? '')?.[1];
    if (tag) revisions.add(tag);
    if (tag === 'default') defaultLabel = true;
  }
  return { defaultLabel, revisions };
}
