import type { ObjectRef } from './evidence';
import type { Webhook } from './kube-types';
import type { IstioWebhookConfig } from './webhooks';
import { selectorMatches } from './webhooks';

/** One Istio injector webhook, with the configuration holding it. */
export interface InjectorHook {
  config: ObjectRef;
  hook: Webhook;
}

/** Every injector webhook of the Istio webhook configurations. */
export function injectorHooks(configs: IstioWebhookConfig[]): InjectorHook[] {
  return configs.filter((c) => c.role === 'injector').flatMap((c) => c.hooks.map((hook) => ({ config: c.ref, hook })));
}

/** The injector webhooks the API server calls for a pod with these labels in a namespace with those labels. */
export function injectorsCalledFor(
  hooks: InjectorHook[],
  nsLabels: Record<string, string>,
  podLabels: Record<string, string>,
): InjectorHook[] {
  return hooks.filter(
    (h) => selectorMatches(h.hook.namespaceSelector, nsLabels) && selectorMatches(h.hook.objectSelector, podLabels),
  );
}
