import { rolloutRestart } from '../patch-templates';
import { toIso } from '../../util/time';
import type { Detector, Draft } from '../detector';
import { refText } from '../evidence-items';
import { emptyCaBundleDrafts, webhookChains } from '../webhook-chain';
import { MUTATING, VALIDATING } from '../webhooks';

/**
 * An Istio webhook configuration (injector or validator, any revision or tag) that calls istiod through a
 * Service with an empty caBundle, so the API server cannot verify istiod. URL webhooks (a managed control
 * plane) are verified with the API server's own trust roots and are not checked.
 */
export const detectInjectorCabundleMissing: Detector = ({ view, entry, controlPlaneNamespaces, target, nowMs }) => {
  if (!view.captured(MUTATING)) return { drafts: [], skipped: 'no MutatingWebhookConfigurations captured', detail: '' };
  const chains = webhookChains(view, controlPlaneNamespaces, target);
  const drafts: Draft[] = emptyCaBundleDrafts(chains).map(({ chain, draft }) => {
    const service = chain.service!;
    const facts = [...(draft.facts ?? [])];
    const istiod = chain.deployment?.ref;
    const result: Draft = { ...draft, facts };
    if (istiod) {
      result.resources = [...draft.resources, service, istiod];
      facts.push(
        `Restart ${refText(istiod)} (it ${chain.deployment?.how === 'selects' ? `runs the pods Service ${service.name} selects` : `is the istiod of revision ${chain.revision}`}) so that istiod writes the CA bundle back into ${chain.config.name}.`,
      );
      if (entry.patch) {
        const patch = rolloutRestart(entry.patch, istiod, nowMs === null ? '1970-01-01T00:00:00Z' : toIso(nowMs));
        if ('patch' in patch) result.patches = [patch.patch];
      }
    } else {
      result.resources = [...draft.resources, service];
      if (chain.deploymentsRead) {
        facts.push(`No Deployment runs the pods ${refText(service)} selects, so no istiod can write the CA bundle.`);
        result.steps = [
          `Install (or restore) the istiod${chain.revision ? ` of revision ${chain.revision}` : ''} behind ${refText(service)}: when it starts it writes the CA bundle into ${chain.config.name}.`,
          `If that revision was removed on purpose, delete the leftover configuration instead: kubectl delete ${chain.config.kind.toLowerCase()} ${chain.config.name}.`,
          'Do not re-apply webhook manifests with an empty caBundle: istiod owns that field.',
        ];
      } else {
        facts.push(
          `Restart the istiod Deployment behind ${refText(service)} so that it writes the CA bundle back into ${chain.config.name}.`,
        );
      }
    }
    return result;
  });
  const validators = view.captured(VALIDATING) ? '' : '; validating configurations not read';
  return { drafts, detail: `${chains.length} Istio webhook call chain(s) checked for a caBundle${validators}` };
};
