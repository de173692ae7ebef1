import type { ClusterView } from './cluster-view';
import { homeNamespace } from './control-plane';
import type { Draft } from './detector';
import type { EvidenceItem, ObjectRef, Severity, Target } from './evidence';
import { fromObject, refText, uniqueRefs } from './evidence-items';
import type { ConfigMap, Endpoints, Pod, Service, Webhook, Workload } from './kube-types';
import { managedMesh, managedMeshText } from './mesh-kind';
import type { CaComparison } from './webhook-ca';
import { compareCaBundle } from './webhook-ca';
import type { IstioWebhookConfig } from './webhooks';
import { istioWebhookConfigs, selectorMatches, selectorRequiresLabels } from './webhooks';

/** ConfigMap istiod writes into every namespace with the mesh root certificate(s). */
export const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';
const ROOT_CERT_KEY = 'root-cert.pem';

/** The control-plane Deployment behind a webhook's Service. */
export interface BackingDeployment {
  ref: ObjectRef;
  replicas: number;
  available: number;
  /** How it was found: its pods are the ones the Service selects, or it is the revision's istiod. */
  how: 'selects' | 'revision';
  text: string;
}

/** What a webhook call would break, and so how severe a broken chain is. */
export interface Impact {
  severity: Severity;
  text: string;
}

/**
 * The call chain of one Istio webhook configuration, as object state: the Service (or URL) it calls, the
 * Service's ready endpoints, the Deployment behind them, and the CA bundle the API server trusts.
 */
export interface WebhookChain {
  config: ObjectRef;
  role: IstioWebhookConfig['role'];
  revision: string | null;
  hooks: Webhook[];
  /** The Service the webhooks call, null for a URL webhook. */
  service: ObjectRef | null;
  url: string | null;
  /** The Service's pod selector as `k=v,k=v`, for kubectl. */
  selector: string | null;
  /** null when Services were not read. */
  serviceFound: boolean | null;
  /** Ready and not-ready addresses; null when Endpoints were not read or there is no Service. */
  endpoints: { ready: number; notReady: number; object: boolean } | null;
  /** null when no Deployment was found (see deploymentsRead) */
  deployment: BackingDeployment | null;
  /** True when Deployments of the Service's namespace were read, so "none" means none exists. */
  deploymentsRead: boolean;
  /** Names of the webhooks whose caBundle is empty. */
  emptyCaBundle: string[];
  /** The caBundle compared with istio-ca-root-cert; null when that could not be read or there is no bundle. */
  ca: (CaComparison & { rootRef: ObjectRef }) | null;
  impact: Impact;
}

function revisionOf(item: IstioWebhookConfig): string | null {
  const labels = item.config.metadata?.labels ?? {};
  return labels['istio.io/rev'] ?? null;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

function deploymentText(d: Workload, ref: ObjectRef): { replicas: number; available: number; text: string } {
  const replicas = d.spec?.replicas ?? 1;
  const available = d.status?.availableReplicas ?? 0;
  const condition = d.status?.conditions?.find((c) => c.type === 'Available');
  const why =
    condition && condition.status !== 'True' ? ` (Available=${condition.status} ${condition.reason ?? ''})` : '';
  return { replicas, available, text: `${refText(ref)}: ${available}/${replicas} replica(s) available${why}` };
}

/** The Deployment whose pods the Service selects, else the istiod Deployment of the webhook's revision. */
function backingDeployment(
  view: ClusterView,
  service: Service | undefined,
  namespace: string,
  revision: string | null,
): BackingDeployment | null {
  const selector = service?.spec?.selector ?? {};
  const deployments = view.list<Workload>('Deployment').filter((d) => d.metadata?.namespace === namespace);
  const selecting = deployments.find((d) => matches(selector, d.spec?.template?.metadata?.labels));
  const istiodName = revision && revision !== 'default' ? `istiod-${revision}` : 'istiod';
  const found = selecting ?? deployments.find((d) => d.metadata?.name === istiodName);
  if (!found) return null;
  const ref: ObjectRef = { kind: 'Deployment', namespace, name: found.metadata?.name ?? '' };
  return { ref, how: selecting ? 'selects' : 'revision', ...deploymentText(found, ref) };
}

function endpointCounts(view: ClusterView, service: ObjectRef): WebhookChain['endpoints'] {
  if (!view.captured('Endpoints')) return null;
  const endpoints = view.get<Endpoints>('Endpoints', service.namespace, service.name);
  if (!endpoints) return { ready: 0, notReady: 0, object: false };
  let ready = 0;
  let notReady = 0;
  for (const subset of endpoints.subsets ?? []) {
    ready += subset.addresses?.length ?? 0;
    notReady += subset.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady, object: true };
}

function caCheck(view: ClusterView, hooks: Webhook[], namespace: string): WebhookChain['ca'] {
  const rootRef: ObjectRef = { kind: 'ConfigMap', namespace, name: ROOT_CERT_CONFIGMAP };
  const rootPem = view.get<ConfigMap>('ConfigMap', namespace, ROOT_CERT_CONFIGMAP)?.data?.[ROOT_CERT_KEY];
  if (!rootPem) return null;
  const bundles = [...new Set(hooks.map((h) => (h.clientConfig?.caBundle ?? '').trim()).filter((b) => b))];
  const results = bundles.map((b) => compareCaBundle(b, rootPem)).filter((r): r is CaComparison => r !== null);
  const wrong = results.find((r) => !r.consistent);
  const result = wrong ?? results[0];
  return result ? { ...result, rootRef } : null;
}

function labelsOfPodsIn(view: ClusterView, namespace: string): Record<string, string>[] {
  const templates = ['Deployment', 'StatefulSet', 'DaemonSet']
    .flatMap((kind) => view.list<Workload>(kind))
    .filter((w) => w.metadata?.namespace === namespace)
    .map((w) => w.spec?.template?.metadata?.labels ?? {});
  const pods = view
    .pods()
    .filter((p: Pod) => p.metadata?.namespace === namespace)
    .map((p) => p.metadata?.labels ?? {});
  return [...templates, ...pods];
}

/** Existing namespaces in which a failing call of one of these webhooks refuses the request. */
/** Kinds of Istio configuration a validating webhook checks. */
const ISTIO_CONFIG_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'EnvoyFilter',
  'WorkloadEntry',
  'WorkloadGroup',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'RequestAuthentication',
  'Telemetry',
  'ProxyConfig',
  'WasmPlugin',
];

function labelsOfConfigIn(view: ClusterView, namespace: string): Record<string, string>[] {
  return ISTIO_CONFIG_KINDS.flatMap((kind) => view.list(kind))
    .filter((o) => o.metadata?.namespace === namespace)
    .map((o) => o.metadata?.labels ?? {});
}

/**
 * Existing namespaces in which a failing call of one of these webhooks refuses the request. A webhook whose
 * objectSelector asks for labels counts only where some object (pods and pod templates for the injector,
 * Istio configuration for a validator) carries them.
 */
function blockedNamespaces(view: ClusterView, role: WebhookChain['role'], hooks: Webhook[]): string[] {
  const failing = hooks.filter((h) => (h.failurePolicy ?? 'Fail') === 'Fail');
  const objects = role === 'injector' ? labelsOfPodsIn : labelsOfConfigIn;
  return view
    .list('Namespace')
    .filter((ns) =>
      failing.some((h) => {
        const name = ns.metadata?.name ?? '';
        if (!selectorMatches(h.namespaceSelector, ns.metadata?.labels)) return false;
        if (!selectorRequiresLabels(h.objectSelector)) return true;
        return objects(view, name).some((labels) => selectorMatches(h.objectSelector, labels));
      }),
    )
    .map((ns) => ns.metadata?.name ?? '');
}

function listed(names: string[]): string {
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

/** Critical when the webhooks fail closed and select existing namespaces; warning otherwise. */
function impactOf(view: ClusterView, role: WebhookChain['role'], hooks: Webhook[]): Impact {
  const failClosed = hooks.some((h) => (h.failurePolicy ?? 'Fail') === 'Fail');
  if (!failClosed) {
    return {
      severity: 'warning',
      text:
        role === 'injector'
          ? 'failurePolicy is Ignore, so new pods start without a sidecar until the webhook can be called again.'
          : 'failurePolicy is Ignore, so Istio configuration is accepted unvalidated until the webhook can be called again.',
    };
  }
  const what = role === 'injector' ? 'every new pod' : 'every create or update of Istio configuration';
  if (!view.captured('Namespace')) {
    return {
      severity: 'critical',
      text: `failurePolicy is Fail, so ${what} it selects is refused until it can be called again.`,
    };
  }
  const blocked = blockedNamespaces(view, role, hooks);
  if (blocked.length === 0) {
    const selected = role === 'injector' ? 'namespace or pod' : 'Istio configuration';
    return { severity: 'warning', text: `failurePolicy is Fail, but it selects no existing ${selected} yet.` };
  }
  const where =
    role === 'injector'
      ? `the ${blocked.length} namespace(s) it injects (${listed(blocked)})`
      : `${blocked.length} namespace(s) (${listed(blocked)})`;
  return {
    severity: 'critical',
    text: `failurePolicy is Fail, so ${what} in ${where} fails until the webhook can be called again.`,
  };
}

/**
 * The call chains of every Istio webhook configuration, one per configuration and Service (or URL) called.
 * Deployments count as read where the live reader reads them: every namespace without a target, else the
 * target's and the control plane's.
 */
export function webhookChains(view: ClusterView, controlPlane: readonly string[], target: Target): WebhookChain[] {
  const chains: WebhookChain[] = [];
  const home = homeNamespace(controlPlane);
  for (const item of istioWebhookConfigs(view)) {
    const byCallee = new Map<string, Webhook[]>();
    for (const hook of item.hooks) {
      const svc = hook.clientConfig?.service;
      const key = svc?.name ? `svc:${svc.namespace ?? home}/${svc.name}` : `url:${hook.clientConfig?.url ?? ''}`;
      byCallee.set(key, [...(byCallee.get(key) ?? []), hook]);
    }
    const revision = revisionOf(item);
    for (const [key, hooks] of byCallee) {
      const url = key.startsWith('url:') ? key.slice(4) || null : null;
      const svc = hooks[0]?.clientConfig?.service;
      const namespace = svc?.namespace ?? home;
      const service: ObjectRef | null =
        url === null && svc?.name ? { kind: 'Service', namespace, name: svc.name } : null;
      const serviceObject = service ? view.get<Service>('Service', namespace, service.name) : undefined;
      chains.push({
        config: item.ref,
        role: item.role,
        revision,
        hooks,
        service,
        url,
        selector: serviceObject?.spec?.selector
          ? Object.entries(serviceObject.spec.selector)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')
          : null,
        serviceFound: service && view.captured('Service') ? !!serviceObject : null,
        endpoints: service && serviceObject ? endpointCounts(view, service) : null,
        deployment: service ? backingDeployment(view, serviceObject, namespace, revision) : null,
        deploymentsRead:
          view.captured('Deployment') &&
          (target.namespace === null || target.namespace === namespace || controlPlane.includes(namespace)),
        emptyCaBundle: hooks.filter((h) => !(h.clientConfig?.caBundle ?? '').trim()).map((h) => h.name ?? ''),
        ca: service ? caCheck(view, hooks, namespace) : null,
        impact: impactOf(view, item.role, hooks),
      });
    }
  }
  return chains;
}

function hookNames(chain: WebhookChain): string {
  return `webhook${chain.hooks.length > 1 ? 's' : ''} ${chain.hooks.map((h) => h.name).join(', ')}`;
}

/** The most severe of several. */
export function worstSeverity(severities: Severity[]): Severity {
  return severities.includes('critical') ? 'critical' : severities.includes('warning') ? 'warning' : 'info';
}

/** A draft from object state, keyed by the object a person must fix (the subject). */
export interface ObjectDraft {
  subject: ObjectRef;
  draft: Draft;
}

/** What the evidence says about the Deployment behind a chain: its availability, or that none exists. */
function deploymentFacts(chain: WebhookChain): { evidence: EvidenceItem[]; facts: string[] } {
  const service = chain.service;
  if (!service) return { evidence: [], facts: [] };
  const d = chain.deployment;
  if (d) {
    const how =
      d.how === 'selects'
        ? `runs the pods Service ${service.name} selects`
        : `is the istiod of revision ${chain.revision}`;
    const facts =
      d.available === 0
        ? [
            `${refText(d.ref)} ${how} and has no available replica: find out why its pods are not ready (kubectl -n ${d.ref.namespace} describe pods${chain.selector ? ` -l ${chain.selector}` : ''}).`,
          ]
        : [];
    return { evidence: [fromObject(d.ref, d.text.slice(refText(d.ref).length + 2))], facts };
  }
  if (!chain.deploymentsRead) return { evidence: [], facts: [] };
  return {
    evidence: [],
    facts: [
      `No Deployment in namespace ${service.namespace} runs the pods Service ${service.name} selects: the istiod of this revision is not installed (or was deleted).`,
    ],
  };
}

function managedFact(view: ClusterView): string[] {
  const mesh = managedMesh(view);
  return mesh
    ? [`${managedMeshText(mesh)} A webhook that calls an in-cluster istiod Service is left from an earlier install.`]
    : [];
}

/** Services of Istio webhooks that exist but have no ready endpoint: one draft per Service. */
export function noEndpointDrafts(view: ClusterView, chains: WebhookChain[]): ObjectDraft[] {
  // A missing Endpoints object next to an available Deployment means the capture left it out, not that it is empty.
  const broken = chains.filter(
    (c) =>
      c.service &&
      c.serviceFound &&
      c.endpoints &&
      c.endpoints.ready === 0 &&
      (c.endpoints.object || !c.deployment || c.deployment.available === 0),
  );
  const byService = new Map<string, WebhookChain[]>();
  for (const c of broken) byService.set(refText(c.service!), [...(byService.get(refText(c.service!)) ?? []), c]);
  return [...byService.values()].map((group) => {
    const lead = group[0]!;
    const service = lead.service!;
    const endpoints = lead.endpoints!;
    const endpointsRef: ObjectRef = { kind: 'Endpoints', namespace: service.namespace, name: service.name };
    const { evidence, facts } = deploymentFacts(lead);
    const configs = uniqueRefs(group.map((c) => c.config));
    return {
      subject: service,
      draft: {
        resources: uniqueRefs([service, ...(lead.deployment ? [lead.deployment.ref] : []), ...configs]),
        evidence: [
          fromObject(
            endpointsRef,
            endpoints.object
              ? `0 ready address(es)${endpoints.notReady > 0 ? `, ${endpoints.notReady} not ready` : ''}`
              : 'no Endpoints object: the Service has no endpoints at all',
          ),
          ...evidence,
          ...group.map((c) =>
            fromObject(c.config, `${hookNames(c)} call Service ${service.namespace}/${service.name}`),
          ),
        ],
        confidence: 0.8,
        severity: worstSeverity(group.map((c) => c.impact.severity)),
        facts: [
          `${refText(service)} has no ready endpoint, so the API server cannot call the webhooks of ${configs.map((c) => c.name).join(', ')}.`,
          ...group.map((c) => `${c.config.name}: ${c.impact.text}`),
          ...facts,
        ],
      },
    };
  });
}

/** Istio webhook configurations calling a Service that does not exist: one draft per configuration. */
export function serviceNotFoundDrafts(
  view: ClusterView,
  chains: WebhookChain[],
  coveredElsewhere: (chain: WebhookChain) => boolean,
): ObjectDraft[] {
  const broken = chains.filter((c) => c.service && c.serviceFound === false && !coveredElsewhere(c));
  return broken.map((c) => {
    const service = c.service!;
    const others = view
      .list<Service>('Service')
      .filter((s) => s.metadata?.namespace === service.namespace && /^istiod/.test(s.metadata?.name ?? ''))
      .map((s) => s.metadata?.name ?? '');
    return {
      subject: c.config,
      draft: {
        resources: [c.config, service],
        evidence: [
          fromObject(c.config, `${hookNames(c)} call Service ${service.namespace}/${service.name}`),
          fromObject(service, 'not found in the cluster'),
        ],
        confidence: 0.8,
        severity: c.impact.severity,
        facts: [
          `${refText(service)}, which ${c.config.name} calls, does not exist${others.length ? `; the installed istiod Service(s): ${others.join(', ')}` : ''}.`,
          `${c.config.name}: ${c.impact.text}`,
          ...tagFact(c, others),
          ...managedFact(view),
        ],
      },
    };
  });
}

/** For a revision tag pointing at a removed revision: how to point it at an installed one. */
function tagFact(chain: WebhookChain, installedServices: string[]): string[] {
  const tag = /^istio-revision-tag-(.+)$/.exec(chain.config.name)?.[1];
  if (!tag) return [];
  const revisions = installedServices.map((s) => (s === 'istiod' ? 'default' : s.replace(/^istiod-/, '')));
  const target = revisions.length === 1 ? revisions[0] : 'INSTALLED_REVISION';
  return [
    `${chain.config.name} is the revision tag ${tag}: point it at an installed revision (istioctl tag set ${tag} --revision ${target} --overwrite), or remove the tag (istioctl tag remove ${tag}) once no namespace uses istio.io/rev=${tag}.`,
  ];
}

/** Istio webhooks (called through a Service) with an empty caBundle: one draft per configuration. */
export function emptyCaBundleDrafts(chains: WebhookChain[]): (ObjectDraft & { chain: WebhookChain })[] {
  return chains
    .filter((c) => c.service && c.emptyCaBundle.length > 0)
    .map((c) => ({
      chain: c,
      subject: c.config,
      draft: {
        resources: [c.config],
        evidence: [
          fromObject(
            c.config,
            `caBundle is empty on ${c.emptyCaBundle.join(', ')} (${c.emptyCaBundle.length} of ${c.hooks.length} Istio webhooks), which call Service ${refText(c.service!)}`,
          ),
        ],
        confidence: 0.9,
        severity: c.impact.severity,
        facts: [c.impact.text],
      },
    }));
}

/** Istio webhooks whose caBundle does not lead to the mesh root in istio-ca-root-cert: one draft per configuration. */
export function caMismatchDrafts(chains: WebhookChain[]): ObjectDraft[] {
  return chains
    .filter((c) => c.ca && !c.ca.consistent && c.emptyCaBundle.length < c.hooks.length)
    .map((c) => {
      const istiod = c.deployment?.ref;
      return {
        subject: c.config,
        draft: {
          resources: uniqueRefs([c.config, ...(istiod ? [istiod] : [])]),
          evidence: [
            fromObject(c.config, c.ca!.detail),
            fromObject(c.ca!.rootRef, 'root-cert.pem read as the mesh root'),
          ],
          confidence: 0.7,
          severity: c.impact.severity,
          facts: [
            `The API server verifies istiod with the caBundle of ${c.config.name}, which does not match the mesh root: calls fail with x509: certificate signed by unknown authority.`,
            `${c.config.name}: ${c.impact.text}`,
            istiod
              ? `Restart ${refText(istiod)} so that it writes the current CA bundle into ${c.config.name}, and stop any tool that applies an old caBundle.`
              : `Re-apply ${c.config.name} without a caBundle (istiod fills it in) or with the current root from ${refText(c.ca!.rootRef)}.`,
          ],
        },
      };
    });
}
/** The Deployment behind a Service and its ready endpoints, for other checks of istiod reachability. */
export { backingDeployment, endpointCounts };
