import type { Catalog } from '../../runbooks/catalog';
import type { ClusterView } from '../cluster-view';
import type { Detector, DetectorContext, Draft, Phrase } from '../detector';
import type { EvidenceItem, MeshEvent, ObjectRef } from '../evidence';
import { fromEvent, fromLog, fromObject, refText, uniqueRefs } from '../evidence-items';
import { createFailures, isIstioCall, webhookCall } from '../failed-create';
import type { Endpoints, Service, WebhookConfiguration, Workload } from '../kube-types';
import { signatureRegex } from '../signatures';
import { findWebhookConfig, isInjectorWebhook, isIstioWebhook, MUTATING, VALIDATING } from '../webhooks';
import { homeNamespace } from '../control-plane';
import type { ObjectDraft, WebhookChain } from '../webhook-chain';
import { caMismatchDrafts, noEndpointDrafts, serviceNotFoundDrafts, webhookChains } from '../webhook-chain';

/** Facts from an error message; `home` is the namespace of a Service the message names without one. */
type MessageFacts = (view: ClusterView, message: string, home: string) => { facts: string[]; evidence: EvidenceItem[] };

/** What differs between the webhook-error runbooks. */
interface WebhookErrorSpec {
  signature: string;
  /** Which object the finding names first: the one a person must fix. */
  lead: 'workload' | 'webhook' | 'service';
  facts?: MessageFacts;
  /** True when another, more specific runbook already explains failures on this subject. */
  coveredElsewhere?: (view: ClusterView, subject: ObjectRef) => boolean;
  /** The same problem read from object state (webhook chains), keyed by the same subject as the events. */
  objectState?: (view: ClusterView, chains: WebhookChain[]) => ObjectDraft[];
  /** Kinds the object-state check needs; when one was not read and nothing was found, the check is skipped. */
  objectKinds?: readonly string[];
}

interface Occurrence {
  message: string;
  item: EvidenceItem;
  workload: ObjectRef | null;
  ms: number | null;
}

const NO_ENDPOINTS_FOR = /no endpoints available for service "([^"]+)"/;
const NOT_FOUND = /[Ss]ervice "([^"]+)" not found/;

/** The Service an error message names; its namespace from the webhook URL, else `home`. */
function serviceRef(message: string, pattern: RegExp, home: string): ObjectRef | null {
  const name = pattern.exec(message)?.[1];
  const url = webhookCall(message).service;
  return name ? { kind: 'Service', namespace: url?.namespace ?? home, name } : null;
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

/** The object the failure is about: the Service without endpoints, else the webhook configuration called. */
function subjectOf(
  spec: WebhookErrorSpec,
  view: ClusterView,
  message: string,
  home: string,
): { subject: ObjectRef; webhook: ObjectRef | null } {
  const call = webhookCall(message);
  const webhook = findWebhookConfig(view, call.webhook, call.service);
  const service = spec.lead === 'service' ? serviceRef(message, NO_ENDPOINTS_FOR, home) : null;
  const subject = service ??
    webhook ?? { kind: 'MutatingWebhookConfiguration', namespace: null, name: call.webhook ?? 'unknown' };
  return { subject, webhook };
}

/** Resources in the order a person acts on them, as the runbook's lead says. */
function orderResources(
  spec: WebhookErrorSpec,
  subject: ObjectRef,
  webhook: ObjectRef | null,
  workloads: ObjectRef[],
): ObjectRef[] {
  const refs = spec.lead === 'workload' ? [...workloads, subject, webhook] : [subject, ...workloads, webhook];
  return uniqueRefs(refs.filter((r): r is ObjectRef => r !== null));
}

/** The URL an Istio webhook configuration calls instead of an in-cluster Service (managed control plane). */
function managedUrl(view: ClusterView, webhook: ObjectRef | null): string | null {
  if (!webhook) return null;
  const config = view.object<WebhookConfiguration>(webhook);
  return config?.webhooks?.find((w) => isIstioWebhook(w) && w.clientConfig?.url)?.clientConfig?.url ?? null;
}

/** Facts and steps for a failing call to a managed control plane: istiod, its Service and port 15017 are not involved. */
function managedCallSteps(webhook: ObjectRef, url: string, facts: Phrase[]): Pick<Draft, 'facts' | 'steps'> {
  const host = /^https:\/\/([^/:]+)/.exec(url)?.[1] ?? url;
  return {
    facts: [
      ...facts,
      `${webhook.name} calls ${host}, a control plane managed by Google, not an istiod in the cluster: Services, endpoints and firewall rules for port 15017 play no part.`,
    ],
    steps: [
      'Check the managed revision: kubectl -n istio-system describe controlplanerevision (ProvisioningFinished must be True; see csm-control-plane-unhealthy).',
      'Check the fleet view of the control plane: gcloud container fleet mesh describe (controlPlaneManagement state ACTIVE).',
      'If both are healthy and calls keep failing, open a Google Cloud support case with the FailedCreate messages.',
    ],
  };
}

/** Joins an event/log draft and an object-state draft about the same subject into one finding. */
function mergeDrafts(fromEvents: Draft, fromObjects: Draft): Draft {
  const [lead, ...moreEvents] = fromEvents.evidence;
  return {
    resources: uniqueRefs([...fromEvents.resources, ...fromObjects.resources]),
    evidence: [
      ...(lead ? [lead] : []),
      ...fromObjects.evidence.slice(0, 2),
      ...moreEvents,
      ...fromObjects.evidence.slice(2),
    ],
    confidence: Math.max(fromEvents.confidence, fromObjects.confidence) + 0.1,
    facts: [...(fromEvents.facts ?? []), ...(fromObjects.facts ?? [])],
    ...(fromObjects.severity ? { severity: fromObjects.severity } : {}),
    ...(fromObjects.patches ? { patches: fromObjects.patches } : {}),
  };
}

/** Kinds an object-state check reads, for the skipped message. */
function unread(ctx: DetectorContext, kinds: readonly string[]): string[] {
  return kinds.filter((k) => !ctx.view.captured(k));
}

/**
 * Builds the detector of one webhook-error runbook: FailedCreate events and logs with its signature, and the
 * same problem seen in object state (no event needed). Both are keyed by the subject, so one broken webhook
 * chain gives one finding.
 */
export function webhookErrorDetector(runbook: string, spec: WebhookErrorSpec): Detector {
  return (ctx) => {
    const { view, catalog, controlPlaneNamespaces, target } = ctx;
    const home = homeNamespace(controlPlaneNamespaces);
    const chains = spec.objectState ? webhookChains(view, controlPlaneNamespaces, target) : [];
    const fromObjects = new Map((spec.objectState?.(view, chains) ?? []).map((o) => [refText(o.subject), o.draft]));
    const found = occurrences(view, catalog, runbook, spec.signature);
    const groups = new Map<string, { subject: ObjectRef; webhook: ObjectRef | null; items: Occurrence[] }>();
    for (const o of found) {
      const { subject, webhook } = subjectOf(spec, view, o.message, home);
      if (spec.coveredElsewhere?.(view, subject)) continue;
      const group = groups.get(refText(subject));
      if (group) group.items.push(o);
      else groups.set(refText(subject), { subject, webhook, items: [o] });
    }
    const drafts: Draft[] = [];
    for (const [key, { subject, webhook, items }] of groups) {
      items.sort((a, b) => Number(!!b.workload) - Number(!!a.workload) || (b.ms ?? 0) - (a.ms ?? 0));
      const workloads = uniqueRefs(items.map((o) => o.workload).filter((w): w is ObjectRef => w !== null));
      const objectDraft = fromObjects.get(key);
      const extra = objectDraft
        ? { facts: [], evidence: [] }
        : (spec.facts?.(view, items[0]!.message, home) ?? { facts: [], evidence: [] });
      const draft: Draft = {
        resources: orderResources(spec, subject, webhook, workloads),
        evidence: [...items.slice(0, 3).map((o) => o.item), ...extra.evidence],
        confidence: 0.75 + (items.length > 1 ? 0.1 : 0) + (workloads.length > 0 ? 0.05 : 0),
        facts: [
          ...(workloads.length ? [`Pod creation is blocked for ${workloads.map(refText).join(', ')}.`] : []),
          ...extra.facts,
        ],
      };
      const managed = managedUrl(view, webhook);
      if (managed) Object.assign(draft, managedCallSteps(webhook!, managed, draft.facts ?? []));
      drafts.push(objectDraft ? mergeDrafts(draft, objectDraft) : draft);
      fromObjects.delete(key);
    }
    drafts.push(...fromObjects.values());
    const missing = spec.objectState ? unread(ctx, spec.objectKinds ?? []) : [];
    const checked = spec.objectState ? `; ${chains.length} Istio webhook call chain(s) checked` : '';
    const detail =
      groups.size > 0
        ? `${found.length} current ${spec.signature} error(s)${checked}`
        : found.length > 0
          ? `${found.length} ${spec.signature} error(s), explained by a more specific runbook${checked}`
          : `no current ${spec.signature} errors on Istio webhooks${checked}`;
    if (drafts.length === 0 && missing.length > 0) {
      return { drafts, detail, skipped: `${detail}; object state not checked: ${missing.join(', ')} not read` };
    }
    return { drafts, detail };
  };
}

/** Facts about an istiod Service that has no endpoints. */
const noEndpointFacts: MessageFacts = (view, message, home) => {
  const svc = serviceRef(message, NO_ENDPOINTS_FOR, home);
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
};

/** Facts about a webhook that calls a Service that does not exist. */
const notFoundFacts: MessageFacts = (view, message, home) => {
  const svc = serviceRef(message, NOT_FOUND, home);
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
};

export const detectWebhookConnectTimeout = webhookErrorDetector('webhook-connect-timeout', {
  signature: 'webhook-client-timeout',
  lead: 'workload',
});
export const detectWebhookNoEndpoints = webhookErrorDetector('webhook-no-endpoints', {
  signature: 'webhook-no-endpoints',
  lead: 'service',
  facts: noEndpointFacts,
  objectState: noEndpointDrafts,
  objectKinds: [MUTATING, VALIDATING, 'Service', 'Endpoints'],
});
/** A validating configuration calling a missing Service is left over from an old revision (stale configuration). */
function isValidator(_view: ClusterView, subject: ObjectRef): boolean {
  return subject.kind === VALIDATING;
}

/** An injector whose CA bundle is empty fails with x509 errors; the empty bundle is the problem to fix. */
function hasEmptyCaBundle(view: ClusterView, subject: ObjectRef): boolean {
  const config = view.object<WebhookConfiguration>(subject);
  return !!config?.webhooks?.some((w) => isInjectorWebhook(w) && !(w.clientConfig?.caBundle ?? '').trim());
}

/** istiod Services are installed: a validator calling a missing one is left from an old revision. */
function istiodInstalled(view: ClusterView): boolean {
  return view.list<Service>('Service').some((s) => /^istiod/.test(s.metadata?.name ?? ''));
}

export const detectWebhookServiceNotFound = webhookErrorDetector('webhook-service-not-found', {
  signature: 'webhook-service-not-found',
  lead: 'webhook',
  facts: notFoundFacts,
  coveredElsewhere: isValidator,
  objectState: (view, chains) =>
    serviceNotFoundDrafts(view, chains, (c) => c.role === 'validator' && istiodInstalled(view)),
  objectKinds: [MUTATING, VALIDATING, 'Service'],
});
export const detectWebhookX509 = webhookErrorDetector('webhook-x509-unknown-authority', {
  signature: 'webhook-x509-unknown-authority',
  lead: 'webhook',
  coveredElsewhere: hasEmptyCaBundle,
  objectState: (_view, chains) => caMismatchDrafts(chains),
  objectKinds: [MUTATING, VALIDATING, 'ConfigMap'],
});
export const detectWebhookDeadline = webhookErrorDetector('webhook-deadline-private-cluster', {
  signature: 'webhook-context-deadline',
  lead: 'workload',
});
