import { noSymptomFact } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import { GATEWAY_API_GROUP, type KubeObject } from '../kube-types';

interface Crd extends KubeObject {
  spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] };
}

const BUNDLE = 'gateway.networking.k8s.io/bundle-version';
/** Kinds istiod reads at v1beta1 (istioctl precheck: UnsupportedGatewayAPIVersion, IST0156). */
const NEEDS_BETA = new Set(['Gateway', 'GatewayClass', 'HTTPRoute', 'ReferenceGrant']);
/** Kinds current istiod reads at v1 (istioctl precheck: FutureUnsupportedGatewayAPIVersion). */
const NEEDS_V1 = new Set(['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute']);

/** The versions a Gateway API CRD must serve for Istio and does not, with the level of the gap. */
export function missingVersions(crd: Crd): { version: string; level: 'unsupported' | 'future' }[] {
  if (crd.spec?.group !== GATEWAY_API_GROUP) return [];
  const kind = crd.spec.names?.kind ?? '';
  const served = new Set((crd.spec.versions ?? []).filter((v) => v.served).map((v) => v.name ?? ''));
  const out: { version: string; level: 'unsupported' | 'future' }[] = [];
  if (NEEDS_BETA.has(kind) && !served.has('v1beta1')) out.push({ version: 'v1beta1', level: 'unsupported' });
  if (NEEDS_V1.has(kind) && !served.has('v1')) out.push({ version: 'v1', level: 'future' });
  return out;
}

/**
 * Gateway API CRDs that do not serve the versions Istio reads, as `istioctl x precheck` checks them: v1beta1
 * for Gateway, GatewayClass, HTTPRoute and ReferenceGrant (IST0156), v1 for Gateway, GatewayClass, HTTPRoute
 * and GRPCRoute. The bundle-version annotation names the release installed.
 */
export const detectGatewayApiCrdTooOld: Detector = ({ view }) => {
  if (!view.captured('CustomResourceDefinition'))
    return { drafts: [], skipped: 'no CustomResourceDefinitions read', detail: '' };
  const crds = view.list<Crd>('CustomResourceDefinition').filter((c) => c.spec?.group === GATEWAY_API_GROUP);
  const drafts: Draft[] = [];
  for (const crd of crds) {
    const missing = missingVersions(crd);
    if (missing.length === 0) continue;
    const ref = refOf(crd, 'CustomResourceDefinition');
    const served =
      (crd.spec?.versions ?? [])
        .filter((v) => v.served)
        .map((v) => v.name)
        .join(',') || 'none';
    const bundle = crd.metadata?.annotations?.[BUNDLE];
    const text = `${crd.spec?.names?.kind ?? '?'} serves ${served}${bundle ? ` (Gateway API ${bundle})` : ''}; Istio reads ${missing.map((m) => m.version).join(' and ')}`;
    const unsupported = missing.some((m) => m.level === 'unsupported');
    const facts = [
      `${refText(ref)} ${text}${unsupported ? ': istiod ignores these objects (IST0156)' : ': current Istio releases need v1, so an Istio upgrade will stop reading these objects (IST0172)'}.`,
    ];
    if (crd.metadata?.creationTimestamp)
      facts.push(`${refText(ref)} was installed at ${crd.metadata.creationTimestamp}.`);
    facts.push(noSymptomFact(view));
    drafts.push({
      resources: [ref],
      evidence: [fromObject(ref, text, crd.metadata?.creationTimestamp ?? null)],
      confidence: confidence(0.9),
      facts,
      severity: unsupported ? 'warning' : 'info',
    });
  }
  return { drafts, detail: `${crds.length} Gateway API CRD(s) checked for the versions Istio reads` };
};
