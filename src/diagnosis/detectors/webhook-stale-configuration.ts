import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef } from '../evidence';
import { fromLog, fromObject, refText } from '../evidence-items';
import type { Service, WebhookConfiguration } from '../kube-types';
import { configRef, VALIDATING } from '../webhooks';

export const OBJECT_MODIFIED = 'webhook-object-modified';

const FAILED_UPDATE = /Failed to update validatingwebhookconfiguration ([a-z0-9.-]+)/i;

/** Istio validating configurations whose service is gone while another istiod is installed. */
function staleValidators(view: ClusterView) {
  if (!view.captured('Service')) return [];
  const istiods = view.list<Service>('Service').filter((s) => /^istiod/.test(s.metadata?.name ?? ''));
  if (istiods.length === 0) return [];
  return view.list<WebhookConfiguration>(VALIDATING).filter((c) =>
    (c.webhooks ?? []).some((w) => {
      const svc = w.clientConfig?.service;
      return (
        /istio\.io$/.test(w.name ?? '') &&
        svc?.name &&
        !view.get<Service>('Service', svc.namespace ?? 'istio-system', svc.name)
      );
    }),
  );
}

/** Validating webhook configurations left over from a removed revision conflict with the installed one. */
export const detectWebhookStaleConfiguration: Detector = ({ view }) => {
  const lines = view.logsWith(OBJECT_MODIFIED);
  const stale = staleValidators(view);
  if (lines.length === 0 && stale.length === 0)
    return { drafts: [], detail: `${view.list(VALIDATING).length} validating webhook configuration(s) checked` };
  const refs = new Map<string, { ref: ObjectRef; evidence: EvidenceItem[]; score: number }>();
  const add = (ref: ObjectRef, item: EvidenceItem, score: number) => {
    const k = refText(ref);
    const existing = refs.get(k);
    if (existing) {
      existing.evidence.push(item);
      existing.score += score;
    } else refs.set(k, { ref, evidence: [item], score });
  };
  for (const line of lines) {
    const name = FAILED_UPDATE.exec(line.text)?.[1];
    add({ kind: VALIDATING, namespace: null, name: name ?? 'unknown' }, fromLog(line), 0.7);
  }
  for (const config of stale) {
    const ref = configRef(config, VALIDATING);
    const svc = config.webhooks?.find((w) => w.clientConfig?.service)?.clientConfig?.service;
    add(ref, fromObject(ref, `calls Service ${svc?.namespace}/${svc?.name}, which no longer exists`), 0.6);
  }
  const drafts: Draft[] = [...refs.values()].map(({ ref, evidence, score }) => ({
    resources: [ref],
    evidence: evidence.slice(0, 4),
    confidence: score,
    facts: [
      `Delete ${ref.kind} ${ref.name} if it belongs to a revision that is no longer installed (kubectl delete validatingwebhookconfiguration ${ref.name}).`,
    ],
  }));
  return {
    drafts,
    detail: `${lines.length} update conflict line(s); ${stale.length} validator(s) calling a missing Service`,
  };
};
