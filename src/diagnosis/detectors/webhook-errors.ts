import type { Catalog } from '../../runbooks/catalog';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, MeshEvent, ObjectRef } from '../evidence';
import { fromEvent, fromLog, fromObject, refText } from '../evidence-items';
import { createFailures, isIstioCall, webhookCall } from '../failed-create';
import type { Endpoints, Service, Workload } from '../kube-types';
import { signatureRegex } from '../signatures';
import { findWebhookConfig } from '../webhooks';

/** What differs between the webhook-error runbooks. */
interface WebhookErrorSpec {
  signature: string;
  /** Which object the finding names first: the one a person must fix. */
  lead: 'workload' | 'webhook' | 'service';
  facts?: (view: ClusterView, message: string) => { facts: string[]; evidence: EvidenceItem[] };
}

interface Occurrence {
  message: string;
  item: EvidenceItem;
  workload: ObjectRef | null;
  ms: number | null;
}

const NO_ENDPOINTS_FOR = /no endpoints available for service "([^"]+)"/;
const NOT_FOUND = /[Ss]ervice "([^"]+)" not found/;

function serviceRef(message: string, pattern: RegExp): ObjectRef | null {
  const name = pattern.exec(message)?.[1];
  const url = webhookCall(message).service;
  return name ? { kind: 'Service', namespace: url?.namespace ?? 'istio-system', name } : null;
}

function occurrences(view: ClusterView, catalog: Catalog, runbook: string, signature: string): Occurrence[] {
  const found: Occurrence[] = [];
  for (const failure of createFailures(view, catalog).get(runbook) ?? []) {
    if (!failure.current) continue;
    const latest = failure.events[0] as MeshEvent;
    found.push({ message: latest.message, item: fromEvent(latest), workload: failure.workload, ms: latest.ms });
  }
  const re = signatureRegex(catalog, signature);
  for (const line of view.logsWith(signature)) {
    if (!re.test(line.text) || !isIstioCall(webhookCall(line.text), line.text)) continue;
    found.push({ message: line.text, item: fromLog(line), workload: null, ms: line.ms });
  }
  return found;
}

function leadRef(spec: WebhookErrorSpec, view: ClusterView, o: Occurrence): ObjectRef[] {
  const call = webhookCall(o.message);
  const webhook = findWebhookConfig(view, call.webhook, call.service);
  const service = serviceRef(o.message, spec.lead === 'service' ? NO_ENDPOINTS_FOR : NOT_FOUND);
  const refs: (ObjectRef | null)[] =
    spec.lead === 'service'
      ? [service, o.workload, webhook]
      : spec.lead === 'webhook'
        ? [webhook, o.workload]
        : [o.workload, webhook];
  return refs.filter((r): r is ObjectRef => r !== null);
}

/** Builds the detector of one webhook-error runbook: FailedCreate events and logs with its signature. */
export function webhookErrorDetector(runbook: string, spec: WebhookErrorSpec): Detector {
  return ({ view, catalog }) => {
    const found = occurrences(view, catalog, runbook, spec.signature);
    if (found.length === 0) return { drafts: [], detail: `no current ${spec.signature} errors on Istio webhooks` };
    const groups = new Map<string, { refs: ObjectRef[]; items: Occurrence[] }>();
    for (const o of found) {
      const refs = leadRef(spec, view, o);
      if (refs.length === 0)
        refs.push({
          kind: 'MutatingWebhookConfiguration',
          namespace: null,
          name: webhookCall(o.message).webhook ?? 'unknown',
        });
      const k = refText(refs[0] as ObjectRef);
      const group = groups.get(k);
      if (group) {
        group.items.push(o);
        for (const r of refs) if (!group.refs.some((g) => refText(g) === refText(r))) group.refs.push(r);
      } else groups.set(k, { refs, items: [o] });
    }
    const drafts: Draft[] = [...groups.values()].map(({ refs, items }) => {
      items.sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0));
      const extra = spec.facts?.(view, items[0]!.message) ?? { facts: [], evidence: [] };
      const affected = refs.filter((r) => r.kind !== 'Service' && !r.kind.endsWith('WebhookConfiguration'));
      const facts = [
        ...(affected.length ? [`Pod creation is blocked for ${affected.map(refText).join(', ')}.`] : []),
        ...extra.facts,
      ];
      return {
        resources: refs,
        evidence: [...items.slice(0, 3).map((o) => o.item), ...extra.evidence],
        confidence: 0.75 + (items.length > 1 ? 0.1 : 0) + (items.some((o) => o.workload) ? 0.05 : 0),
        facts,
      };
    });
    return { drafts, detail: `${found.length} current ${spec.signature} error(s)` };
  };
}

/** Facts about an istiod Service that has no endpoints. */
function noEndpointFacts(view: ClusterView, message: string): { facts: string[]; evidence: EvidenceItem[] } {
  const svc = serviceRef(message, NO_ENDPOINTS_FOR);
  if (!svc) return { facts: [], evidence: [] };
  const evidence: EvidenceItem[] = [];
  const facts: string[] = [];
  const endpoints = view.get<Endpoints>('Endpoints', svc.namespace, svc.name);
  if (endpoints) {
    const ready = (endpoints.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    evidence.push(
      fromObject({ kind: 'Endpoints', namespace: svc.namespace, name: svc.name }, `${ready} ready address(es)`),
    );
  }
  const deploy = view.get<Workload>('Deployment', svc.namespace, svc.name);
  if (deploy) {
    const available = deploy.status?.availableReplicas ?? 0;
    evidence.push(
      fromObject(
        { kind: 'Deployment', namespace: svc.namespace, name: svc.name },
        `${available}/${deploy.spec?.replicas ?? '?'} replicas available`,
      ),
    );
    if (available === 0)
      facts.push(
        `Deployment ${svc.namespace}/${svc.name} has no available replicas: find out why its pods are not ready (kubectl -n ${svc.namespace} describe pods -l app=istiod).`,
      );
  }
  return { facts, evidence };
}

/** Facts about a webhook that calls a Service that does not exist. */
function notFoundFacts(view: ClusterView, message: string): { facts: string[]; evidence: EvidenceItem[] } {
  const svc = serviceRef(message, NOT_FOUND);
  if (!svc || !view.captured('Service')) return { facts: [], evidence: [] };
  if (view.get<Service>('Service', svc.namespace, svc.name)) return { facts: [], evidence: [] };
  const others = view
    .list<Service>('Service')
    .filter((s) => s.metadata?.namespace === svc.namespace && /^istiod/.test(s.metadata?.name ?? ''))
    .map((s) => s.metadata?.name);
  return {
    facts: [
      `Service ${svc.namespace}/${svc.name} does not exist${others.length ? `; the installed istiod Service(s): ${others.join(', ')}` : ''}. Point the webhook at the installed revision or delete the configuration of the removed one.`,
    ],
    evidence: [fromObject(svc, 'not found in the cluster')],
  };
}

export const detectWebhookConnectTimeout = webhookErrorDetector('webhook-connect-timeout', {
  signature: 'webhook-client-timeout',
  lead: 'workload',
});
export const detectWebhookNoEndpoints = webhookErrorDetector('webhook-no-endpoints', {
  signature: 'webhook-no-endpoints',
  lead: 'service',
  facts: noEndpointFacts,
});
export const detectWebhookServiceNotFound = webhookErrorDetector('webhook-service-not-found', {
  signature: 'webhook-service-not-found',
  lead: 'webhook',
  facts: notFoundFacts,
});
export const detectWebhookX509 = webhookErrorDetector('webhook-x509-unknown-authority', {
  signature: 'webhook-x509-unknown-authority',
  lead: 'webhook',
});
export const detectWebhookDeadline = webhookErrorDetector('webhook-deadline-private-cluster', {
  signature: 'webhook-context-deadline',
  lead: 'workload',
});
