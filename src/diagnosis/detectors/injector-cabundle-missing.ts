import { rolloutRestart } from '../patch-templates';
import { toIso } from '../../util/time';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject } from '../evidence-items';
import { workloadOfService } from '../services';
import { configRef, injectorConfigs, isInjectorWebhook, MUTATING } from '../webhooks';
import { homeNamespace } from '../control-plane';

/** The sidecar injector's webhook configuration has no CA bundle, so the API server cannot call it. */
export const detectInjectorCabundleMissing: Detector = ({ view, entry, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured(MUTATING)) return { drafts: [], skipped: 'no MutatingWebhookConfigurations captured', detail: '' };
  const configs = injectorConfigs(view);
  const drafts: Draft[] = [];
  for (const config of configs) {
    const empty = (config.webhooks ?? []).filter(
      (w) => isInjectorWebhook(w) && !(w.clientConfig?.caBundle ?? '').trim(),
    );
    if (empty.length === 0) continue;
    const ref = configRef(config, MUTATING);
    const service = empty.find((w) => w.clientConfig?.service)?.clientConfig?.service;
    const facts: string[] = [];
    const draft: Draft = {
      resources: [ref],
      evidence: [
        fromObject(
          ref,
          `caBundle is empty on ${empty.map((w) => w.name).join(', ')} (${empty.length} of ${config.webhooks?.length ?? 0} webhooks)`,
        ),
      ],
      confidence: 0.9,
      facts,
    };
    if (service?.name) {
      const namespace = service.namespace ?? homeNamespace(controlPlaneNamespaces);
      const istiod: ObjectRef = workloadOfService(view, namespace, service.name) ?? {
        kind: 'Deployment',
        namespace,
        name: service.name,
      };
      draft.resources.push(istiod);
      facts.push(
        `Restart ${istiod.kind} ${namespace}/${istiod.name} so that istiod writes the CA bundle back into ${ref.name}.`,
      );
      if (entry.patch) {
        const result = rolloutRestart(entry.patch, istiod, nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs));
        if ('patch' in result) draft.patches = [result.patch];
      }
    } else {
      facts.push(
        'The webhook calls a URL (managed control plane): contact support rather than restarting anything in the cluster.',
      );
    }
    drafts.push(draft);
  }
  return { drafts, detail: `${configs.length} sidecar-injector webhook configuration(s) checked` };
};
