import { noSymptomFact } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import { DATAPLANE_MODE_LABEL, USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL, podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, LogLine, ObjectRef, Severity } from '../evidence';
import { confidence, fromLog, fromObject, refText } from '../evidence-items';
import type { Condition, KubeObject, Pod, Service } from '../kube-types';
import { occurrenceText } from '../log-groups';
import type { DestinationRule, HttpRoute, RoutingVirtualService } from '../routing';
import { fqdnOf, gatewaysOf, labelsCarry, podsOfService, serviceOfFqdn, workloadsOfPods } from '../routing';
import { podOfIp } from '../services';
import { ipOfAddr, ztunnelAccess } from '../ztunnel';
import { toMs } from '../../util/time';

/** The signature of ztunnel's access-log lines for connections an AuthorizationPolicy refused. */
const POLICY_REJECTION = 'ambient-l7-policy-refusal';
/** The condition istiod writes on an AuthorizationPolicy it hands to ztunnel. */
const ZTUNNEL_ACCEPTED = 'ZtunnelAccepted';
const HTTP_ATTRIBUTES_MESSAGE = /ztunnel does not support HTTP attributes(?: \(found: ([^)]*)\))?/;

/** `when` keys ztunnel reads; any other key is an HTTP attribute to it. */
const L4_WHEN_KEYS = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);
const HTTP_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const HTTP_SOURCE_FIELDS = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
const L4_OPERATION_FIELDS = ['ports', 'notPorts'];
const L4_SOURCE_FIELDS = [
  'ipBlocks',
  'notIpBlocks',
  'namespaces',
  'notNamespaces',
  'principals',
  'notPrincipals',
  'serviceAccounts',
  'notServiceAccounts',
];

type Fields = Record<string, unknown>;

interface Rule {
  from?: { source?: Fields }[];
  to?: { operation?: Fields }[];
  when?: { key?: string; values?: string[]; notValues?: string[] }[];
}

interface Policy extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    targetRef?: unknown;
    targetRefs?: unknown[];
    action?: string;
    rules?: Rule[];
  };
  status?: { conditions?: Condition[] };
}

const filled = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

/** What ztunnel makes of one rule: the HTTP attributes it drops, and whether anything it can match is left. */
function ruleAtL4(rule: Rule): { http: string[]; leftover: boolean } {
  const http: string[] = [];
  const clauses: boolean[] = [];
  if (filled(rule.to)) {
    const ops = (rule.to ?? []).map((t) => t.operation ?? {});
    for (const op of ops) http.push(...HTTP_OPERATION_FIELDS.filter((f) => filled(op[f])));
    clauses.push(ops.some((op) => L4_OPERATION_FIELDS.some((f) => filled(op[f]))));
  }
  if (filled(rule.from)) {
    const sources = (rule.from ?? []).map((f) => f.source ?? {});
    for (const source of sources) http.push(...HTTP_SOURCE_FIELDS.filter((f) => filled(source[f])));
    clauses.push(sources.some((s) => L4_SOURCE_FIELDS.some((f) => filled(s[f]))));
  }
  for (const when of rule.when ?? []) {
    const key = when.key ?? '';
    const l4 = L4_WHEN_KEYS.has(key);
    if (!l4) http.push(key);
    clauses.push(l4);
  }
  return { http, leftover: clauses.every(Boolean) };
}

/** The HTTP attributes of a policy's rules (sorted, once each), and how many rules use them or keep an L4 part. */
interface SpecReading {
  found: string[];
  rules: number;
  httpRules: number;
  /** Rules with HTTP attributes that still match something at L4 (a DENY then blocks more than asked). */
  widened: number;
}

export function readPolicySpec(policy: Policy): SpecReading {
  const rules = policy.spec?.rules ?? [];
  const found = new Set<string>();
  let httpRules = 0;
  let widened = 0;
  for (const rule of rules) {
    const { http, leftover } = ruleAtL4(rule);
    if (http.length === 0) continue;
    httpRules++;
    if (leftover) widened++;
    for (const h of http) found.add(h);
  }
  return { found: [...found].sort(), rules: rules.length, httpRules, widened };
}

function ztunnelCondition(policy: Policy): Condition | undefined {
  return policy.status?.conditions?.find((c) => c.type === ZTUNNEL_ACCEPTED);
}

/** The HTTP attributes istiod's status names, or null when the status does not say so. */
export function statusHttpAttributes(condition: Condition | undefined): string[] | null {
  if (condition?.reason !== 'UnsupportedValue') return null;
  const m = HTTP_ATTRIBUTES_MESSAGE.exec(condition.message ?? '');
  if (!m) return null;
  return (m[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** True when istiod accepted the current generation for ztunnel without a warning. */
function acceptedAsIs(policy: Policy, condition: Condition | undefined): boolean {
  if (!condition || condition.reason !== 'Accepted' || condition.status !== 'True') return false;
  const observed = condition.observedGeneration;
  const generation = policy.metadata?.generation;
  return observed === undefined || generation === undefined || Number(observed) === generation;
}

const live = (p: Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

function ambient(view: ClusterView, pod: Pod): boolean {
  const mode = podDataplane(view, pod).mode;
  return mode === 'ambient' || mode === 'ambient-waypoint';
}

/** The running ambient pods a policy without targetRefs applies to (selector or namespace; every namespace from the root). */
function ambientScope(view: ClusterView, policy: Policy, root: string): Pod[] {
  const namespace = policy.metadata?.namespace;
  const selector = policy.spec?.selector?.matchLabels ?? {};
  return view
    .pods()
    .filter(live)
    .filter((p) => namespace === root || p.metadata?.namespace === namespace)
    .filter((p) => labelsCarry(selector, p.metadata?.labels))
    .filter((p) => ambient(view, p));
}

/** The pod a ztunnel access record names as its destination (by workload name, else by address). */
function destinationPod(view: ClusterView, line: LogLine): Pod | undefined {
  const access = ztunnelAccess(line.text);
  if (!access) return undefined;
  if (access.dstWorkload && access.dstNamespace) {
    const pod = view.get<Pod>('Pod', access.dstNamespace, access.dstWorkload);
    if (pod) return pod;
  }
  const ip = ipOfAddr(access.hboneAddr) ?? ipOfAddr(access.dstAddr);
  return ip ? podOfIp(view, ip, line.ms) : undefined;
}

/** ztunnel's policy refusals at these pods since the policy exists: any for an ALLOW policy, those naming it for a DENY. */
function rejections(view: ClusterView, policy: Policy, pods: Pod[], deny: boolean): LogLine[] {
  const created = toMs(policy.metadata?.creationTimestamp);
  const named = `explicitly denied by: ${policy.metadata?.namespace}/${policy.metadata?.name}`;
  return view
    .logsWith(POLICY_REJECTION)
    .filter((line) => created === null || line.ms === null || line.ms >= created)
    .filter((line) => {
      const error = ztunnelAccess(line.text)?.error ?? '';
      return deny ? error.includes(named) : error.includes('allow policies exist, but none allowed');
    })
    .filter((line) => {
      const pod = destinationPod(view, line);
      return pod !== undefined && pods.includes(pod);
    })
    .sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
}

function workloadList(refs: ObjectRef[]): string {
  return refs.map(refText).join(', ');
}

/** Services that select any of these pods, by namespace/name. */
function servicesOfPods(view: ClusterView, pods: Pod[]): Service[] {
  return view.list<Service>('Service').filter((s) => podsOfService(view, s).some((p) => pods.includes(p)));
}

/** The waypoint (`ns/name`) a Service is bound to, by its own label or its namespace's; null for none. */
export function serviceWaypoint(view: ClusterView, svc: Service): string | null {
  const namespace = svc.metadata?.namespace ?? '';
  const labels = svc.metadata?.labels ?? {};
  const own = labels[USE_WAYPOINT_LABEL];
  if (own === 'none') return null;
  if (own) return `${labels[USE_WAYPOINT_NAMESPACE_LABEL] ?? namespace}/${own}`;
  const nsLabels = view.get('Namespace', null, namespace)?.metadata?.labels ?? {};
  const inherited = nsLabels[USE_WAYPOINT_LABEL];
  if (!inherited || inherited === 'none') return null;
  return `${nsLabels[USE_WAYPOINT_NAMESPACE_LABEL] ?? namespace}/${inherited}`;
}

function policySteps(view: ClusterView, policy: Policy, pods: Pod[], waypoints: string[]): string[] {
  const ns = policy.metadata?.namespace ?? 'NAMESPACE';
  const name = policy.metadata?.name ?? 'POLICY';
  const services = servicesOfPods(view, pods).map((s) => s.metadata?.name ?? '');
  const namespaces = [...new Set(pods.map((p) => p.metadata?.namespace ?? ''))].sort();
  const target = services.length > 0 ? services.join(', ') : 'SERVICE';
  const steps: string[] = [];
  if (waypoints.length === 0)
    steps.push(
      `Deploy a waypoint and bind it: ${namespaces.map((n) => `istioctl waypoint apply -n ${n} --enroll-namespace`).join('; ')} (or label only the Service: kubectl -n ${namespaces[0] ?? ns} label service ${services[0] ?? 'SERVICE'} istio.io/use-waypoint=waypoint). Wait until istioctl waypoint status shows it Programmed.`,
    );
  else
    steps.push(
      `Waypoint ${waypoints.join(', ')} already serves these workloads; the policy only has to be attached to it.`,
    );
  steps.push(
    `Attach AuthorizationPolicy ${ns}/${name} to the waypoint: replace its selector with targetRefs naming the Service (kind: Service, group: "", name: ${target}), or the waypoint Gateway (kind: Gateway, group: gateway.networking.k8s.io) for every Service it serves.`,
  );
  if ((policy.spec?.action ?? 'ALLOW') === 'ALLOW')
    steps.push(
      "If other ALLOW policies stay on the workloads' pods, let them allow the waypoint's service account: traffic then reaches the pods from the waypoint.",
    );
  steps.push(
    `Check that kubectl -n ${ns} get authorizationpolicy ${name} -o yaml shows WaypointAccepted True, and that ztunnel logs no more policy rejections for these workloads.`,
  );
  return steps;
}

function policyDraft(view: ClusterView, policy: Policy, root: string, nowMs: number | null): Draft | null {
  const spec = policy.spec ?? {};
  if (spec.targetRef || filled(spec.targetRefs)) return null;
  const action = spec.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') return null;
  const condition = ztunnelCondition(policy);
  const fromStatus = statusHttpAttributes(condition);
  const reading = readPolicySpec(policy);
  if (!fromStatus && (reading.found.length === 0 || acceptedAsIs(policy, condition))) return null;
  const pods = ambientScope(view, policy, root);
  if (pods.length === 0) return null;
  const ref = refOf(policy, 'AuthorizationPolicy');
  const workloads = workloadsOfPods(view, pods);
  const waypoints = [...new Set(pods.map((p) => podDataplane(view, p).waypoint).filter((w): w is string => !!w))];
  const found = fromStatus && fromStatus.length > 0 ? fromStatus : reading.found;
  const deny = action === 'DENY';
  const noEffect = deny && reading.widened === 0 && reading.httpRules > 0;
  const lines = noEffect ? [] : rejections(view, policy, pods, deny);
  const serving =
    waypoints.length > 0
      ? `waypoint ${waypoints.join(', ')} serves them, but a policy with a selector is enforced by ztunnel, not by the waypoint`
      : 'no waypoint serves them';
  const facts = [
    `${refText(ref)} (${action}) uses HTTP attributes ztunnel cannot read (${found.join(', ')}) and applies to ambient workload(s) ${workloadList(workloads)}; ${serving}.`,
    fromStatus
      ? `istiod says so in the policy's status: ${ZTUNNEL_ACCEPTED} with reason ${condition?.reason}${condition?.lastTransitionTime ? ` since ${condition.lastTransitionTime}` : ''}.`
      : `istiod wrote no ${ZTUNNEL_ACCEPTED} warning for the current spec; this is read from the rules.`,
  ];
  if (!deny)
    facts.push(
      reading.httpRules > 0 && reading.httpRules === reading.rules
        ? `ztunnel leaves out ${reading.rules === 1 ? 'its only rule' : `all ${reading.rules} rules`}: the policy allows nothing, so every connection to these workloads is refused unless another ALLOW policy matches it.`
        : `ztunnel leaves out ${reading.httpRules} of its ${reading.rules} rule(s): callers only those rules allow are refused.`,
    );
  else if (noEffect)
    facts.push(
      'Without its HTTP conditions no rule is left that ztunnel can match: the policy denies nothing, so the requests it was written to block reach the workloads.',
    );
  else
    facts.push(
      `ztunnel enforces ${reading.widened} rule(s) without their HTTP conditions: every connection matching the rest of the rule (sources, ports) is denied, whatever the path or method.`,
    );
  if (lines.length > 0) facts.push(`ztunnel refused connections to them by policy: ${occurrenceText(lines, nowMs)}.`);
  else if (!noEffect) facts.push(noSymptomFact(view));
  const evidence: EvidenceItem[] = [
    ...lines.slice(-1).map((l) => fromLog(l, `${lines.length} connection(s) refused by policy; latest: `)),
    fromObject(
      ref,
      fromStatus
        ? `${ZTUNNEL_ACCEPTED} ${condition?.status ?? ''} (${condition?.reason}): ${condition?.message ?? ''}`
        : `${action} rules use ${found.join(', ')}, which ztunnel does not read`,
    ),
  ];
  const severity: Severity = lines.length > 0 ? 'critical' : 'warning';
  return {
    resources: [ref, ...workloads],
    evidence: evidence.slice(0, 3),
    confidence: confidence((fromStatus ? 0.85 : 0.7) + (lines.length > 0 ? 0.1 : 0)),
    facts,
    steps: policySteps(view, policy, pods, waypoints),
    severity,
  };
}

/** An ambient Service with no waypoint bound: its running pods (empty when it selects none). */
interface UnservedService {
  service: Service;
  pods: Pod[];
}

/** The Service behind a host, when it is in ambient mode and no waypoint is bound to it. */
function unservedService(view: ClusterView, host: string, from: string | null): UnservedService | null {
  const svc = serviceOfFqdn(view, fqdnOf(host, from));
  if (!svc || serviceWaypoint(view, svc)) return null;
  const pods = podsOfService(view, svc);
  const ambientPods = pods.filter((p) => ambient(view, p));
  const namespace = view.get('Namespace', null, svc.metadata?.namespace ?? '');
  const labelled = namespace?.metadata?.labels?.[DATAPLANE_MODE_LABEL] === 'ambient';
  if (ambientPods.length === 0 && !(pods.length === 0 && labelled)) return null;
  return { service: svc, pods: ambientPods };
}

/** "a, b and c". */
function listText(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

function add(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** The L7 behaviour a VirtualService's routes configure, in a fixed order. */
export function virtualServiceFeatures(vs: RoutingVirtualService, fqdn: string): string[] {
  const out: string[] = [];
  const ns = vs.metadata?.namespace ?? null;
  for (const http of (vs.spec?.http ?? []) as (HttpRoute & Fields)[]) {
    const routes = http.route ?? [];
    if (filled(http.match)) add(out, 'request matches');
    if (routes.length > 1) add(out, 'a weighted split');
    for (const r of routes) {
      if (r.destination?.subset) add(out, `subset ${r.destination.subset}`);
      const host = r.destination?.host;
      if (host && fqdnOf(host, ns) !== fqdn) add(out, `routing to ${host}`);
    }
    if (http.retries) add(out, 'retries');
    if (http.timeout) add(out, 'a timeout');
    if (http.fault) add(out, 'fault injection');
    if (http.mirror || filled(http.mirrors)) add(out, 'mirroring');
    if (http.rewrite) add(out, 'a rewrite');
    if (http.redirect) add(out, 'a redirect');
    if (http.headers) add(out, 'header changes');
    if (http.directResponse) add(out, 'a direct response');
    if (http.corsPolicy) add(out, 'a CORS policy');
  }
  for (const kind of ['tcp', 'tls'] as const)
    for (const rule of vs.spec?.[kind] ?? []) {
      if ((rule.route ?? []).length > 1) add(out, `a weighted ${kind.toUpperCase()} split`);
      for (const r of rule.route ?? []) if (r.destination?.subset) add(out, `subset ${r.destination.subset}`);
    }
  return out;
}

const TRAFFIC_POLICY: [string, string][] = [
  ['loadBalancer', 'load balancing'],
  ['connectionPool', 'connection pool limits'],
  ['outlierDetection', 'outlier detection'],
  ['tls', 'TLS settings'],
  ['portLevelSettings', 'per-port settings'],
];

/** What a DestinationRule configures that only an Envoy proxy applies: subsets and traffic policy. */
export function destinationRuleFeatures(dr: DestinationRule): string[] {
  const out: string[] = [];
  const subsets = (dr.spec?.subsets ?? []).map((s) => s.name ?? '').filter(Boolean);
  if (subsets.length > 0) out.push(`subset(s) ${subsets.join(', ')}`);
  const policy = ((dr.spec as { trafficPolicy?: Fields } | undefined)?.trafficPolicy ?? {}) as Fields;
  for (const [key, text] of TRAFFIC_POLICY) if (policy[key] !== undefined && policy[key] !== null) out.push(text);
  return out;
}

function routingDraft(
  view: ClusterView,
  kind: string,
  object: KubeObject,
  targets: UnservedService[],
  features: string[],
): Draft {
  const ref = refOf(object, kind);
  const services = targets.map((t) => refOf(t.service, 'Service'));
  const namespaces = [...new Set(services.map((s) => s.namespace ?? ''))].sort();
  const workloads = workloadsOfPods(
    view,
    targets.flatMap((t) => t.pods),
  );
  return {
    resources: [ref, ...services, ...workloads],
    evidence: [
      fromObject(
        ref,
        `configures ${listText(features)} for ${services.map(refText).join(', ')}, an ambient Service with no waypoint`,
      ),
    ],
    confidence: confidence(0.75),
    facts: [
      `${refText(ref)} configures ${listText(features)} for ${services.map(refText).join(', ')}: ${namespaces.join(', ')} runs in ambient mode and no waypoint is bound (no ${USE_WAYPOINT_LABEL} label on the Service or its namespace).`,
      'Between ambient pods the traffic goes through ztunnel only, which does not read VirtualServices or DestinationRules: they are ignored without any error. Sidecar clients and gateways still apply them.',
      ...(workloads.length > 0 ? [`Workloads behind the Service: ${workloadList(workloads)}.`] : []),
    ],
    steps: [
      `Deploy a waypoint and bind it to the Service: ${namespaces.map((n) => `istioctl waypoint apply -n ${n} --enroll-namespace`).join('; ')}, or label only the Service: kubectl -n ${services[0]?.namespace ?? 'NAMESPACE'} label service ${services[0]?.name ?? 'SERVICE'} istio.io/use-waypoint=waypoint.`,
      `Keep ${refText(ref)} in the Service's namespace; once the waypoint is Programmed, istioctl ztunnel-config service --service-namespace ${namespaces[0] ?? 'NAMESPACE'} shows it in the WAYPOINT column and the waypoint applies the rules.`,
    ],
    severity: 'warning',
  };
}

/** Mesh VirtualServices whose hosts are ambient Services with no waypoint, and what they configure there. */
function virtualServiceDrafts(view: ClusterView): Draft[] {
  const drafts: Draft[] = [];
  for (const vs of view.list<RoutingVirtualService>('VirtualService')) {
    if (!gatewaysOf(vs).includes('mesh')) continue;
    const ns = vs.metadata?.namespace ?? null;
    const targets: UnservedService[] = [];
    const features: string[] = [];
    for (const host of vs.spec?.hosts ?? []) {
      const target = unservedService(view, host, ns);
      if (!target) continue;
      const found = virtualServiceFeatures(vs, fqdnOf(host, ns));
      if (found.length === 0) continue;
      targets.push(target);
      for (const f of found) add(features, f);
    }
    if (targets.length > 0) drafts.push(routingDraft(view, 'VirtualService', vs, targets, features));
  }
  return drafts;
}

function destinationRuleDrafts(view: ClusterView): Draft[] {
  const drafts: Draft[] = [];
  for (const dr of view.list<DestinationRule>('DestinationRule')) {
    const host = dr.spec?.host;
    if (!host) continue;
    const target = unservedService(view, host, dr.metadata?.namespace ?? null);
    const features = destinationRuleFeatures(dr);
    if (target && features.length > 0) drafts.push(routingDraft(view, 'DestinationRule', dr, [target], features));
  }
  return drafts;
}

/**
 * L7 configuration on ambient workloads that nothing enforces: AuthorizationPolicies without targetRefs whose
 * rules use HTTP attributes (istiod's ZtunnelAccepted UnsupportedValue status, else the spec) on ambient pods,
 * with ztunnel's policy rejections at those pods; mesh VirtualServices and DestinationRules for ambient
 * Services no waypoint is bound to.
 */
export const detectAmbientL7ConfigWithoutWaypoint: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const kinds = ['AuthorizationPolicy', 'VirtualService', 'DestinationRule'].filter((k) => view.captured(k));
  if (kinds.length === 0)
    return { drafts: [], skipped: 'no AuthorizationPolicies, VirtualServices or DestinationRules read', detail: '' };
  if (!view.captured('Pod'))
    return {
      drafts: [],
      skipped: 'pods were not read, so which workloads run in ambient mode is not known',
      detail: '',
    };
  const root = controlPlaneNamespaces[0] ?? 'istio-system';
  const policies = view.list<Policy>('AuthorizationPolicy');
  const drafts = [
    ...policies.map((p) => policyDraft(view, p, root, nowMs)).filter((d): d is Draft => d !== null),
    ...virtualServiceDrafts(view),
    ...destinationRuleDrafts(view),
  ];
  const ambientPods = view
    .pods()
    .filter(live)
    .filter((p) => ambient(view, p)).length;
  return {
    drafts,
    detail: `${policies.length} AuthorizationPolicy(ies), ${view.list('VirtualService').length} VirtualService(s) and ${view.list('DestinationRule').length} DestinationRule(s) checked against ${ambientPods} ambient pod(s) and their waypoints`,
  };
};
