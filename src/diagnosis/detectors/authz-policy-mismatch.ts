import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, Severity } from '../evidence';
import { fromObject } from '../evidence-items';
import type { Pod } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import type { AuthorizationPolicy } from '../policies';
import { GATEWAY_NAME_LABEL, labelsMatch, namedSources, parsePrincipal, policySelector } from '../policies';
import { podsOfService, workloadsOfPods } from '../routing';
import { podDataplane } from '../dataplane';
import type { Service } from '../kube-types';
import { isAmbientInfrastructurePod } from '../ztunnel';

interface Problem {
  text: string;
  severity: Severity;
}

const live = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** Pods of a Gateway API Gateway (a waypoint or a gateway) Istio deployed, by their gateway-name label. */
function gatewayPods(view: ClusterView, namespace: string | undefined, name: string | undefined): Pod[] {
  return view
    .pods()
    .filter(live)
    .filter((p) => p.metadata?.namespace === namespace && p.metadata?.labels?.[GATEWAY_NAME_LABEL] === name);
}

/**
 * The pods enforcing a policy with targetRefs: a Gateway's own pods (a waypoint or a gateway), or for a
 * Service the pods of the waypoint that serves it (ambient mode enforces such a policy there).
 */
function targetedPods(view: ClusterView, policy: AuthorizationPolicy, targets: { kind?: string; name?: string }[]) {
  const namespace = policy.metadata?.namespace;
  return targets.flatMap((t) => {
    if (t.kind === 'Gateway') return gatewayPods(view, namespace, t.name);
    if (t.kind !== 'Service') return [];
    const service = view.get<Service>('Service', namespace ?? null, t.name ?? '');
    const waypoints = new Set(
      (service ? podsOfService(view, service) : [])
        .map((p) => podDataplane(view, p).waypoint)
        .filter((w): w is string => w !== null),
    );
    return [...waypoints].flatMap((w) => {
      const [ns, name] = w.split('/');
      return gatewayPods(view, ns, name);
    });
  });
}

/**
 * The pods a policy applies to: with targetRefs the pods of the waypoint or gateway it targets; else those
 * its selector matches (every namespace from the root namespace), else its namespace's meshed workloads
 * (with a sidecar, or in ambient mode; a waypoint takes only policies that target it).
 */
function scopeOf(view: ClusterView, policy: AuthorizationPolicy, root: string): Pod[] {
  const namespace = policy.metadata?.namespace;
  const targets = policy.spec?.targetRefs ?? (policy.spec?.targetRef ? [policy.spec.targetRef] : []);
  if (targets.length > 0) return [...new Set(targetedPods(view, policy, targets))];
  const selector = policySelector(policy);
  const meshed = (p: Pod) =>
    !isAmbientInfrastructurePod(view, p) && (hasSidecar(p) || podDataplane(view, p).mode.startsWith('ambient'));
  return view
    .pods()
    .filter(live)
    .filter((p) => namespace === root || p.metadata?.namespace === namespace)
    .filter((p) => (selector ? labelsMatch(selector, p) : meshed(p)));
}

function problemsOf(view: ClusterView, policy: AuthorizationPolicy, scope: Pod[]): Problem[] {
  const problems: Problem[] = [];
  const selector = policySelector(policy);
  if (selector && view.captured('Pod')) {
    const labels = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (scope.length === 0) {
      problems.push({ text: `selector ${labels} matches no running pod`, severity: 'info' });
    } else if (selector[GATEWAY_NAME_LABEL] || scope.some((p) => p.metadata?.labels?.[GATEWAY_NAME_LABEL])) {
      const gateway = selector[GATEWAY_NAME_LABEL] ?? scope[0]?.metadata?.labels?.[GATEWAY_NAME_LABEL];
      problems.push({
        text: `selector ${labels} picks the pods of Kubernetes Gateway ${gateway}: use targetRefs (kind Gateway, group gateway.networking.k8s.io, name ${gateway}) instead`,
        severity: 'warning',
      });
    }
  }
  const { namespaces, principals } = namedSources(policy);
  const nsRead = view.captured('Namespace');
  for (const name of namespaces) {
    if (nsRead && !view.get('Namespace', null, name)) {
      problems.push({ text: `a rule names source namespace ${name}, which does not exist`, severity: 'warning' });
    }
  }
  for (const principal of principals) {
    const parsed = parsePrincipal(principal);
    if (!parsed) continue;
    if (nsRead && !view.get('Namespace', null, parsed.namespace)) {
      problems.push({
        text: `a rule names principal ${principal}, whose namespace ${parsed.namespace} does not exist`,
        severity: 'warning',
      });
      continue;
    }
    const callers = view.pods().filter((p) => p.metadata?.namespace === parsed.namespace && live(p));
    const runsAs = (p: Pod) =>
      ((p.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default') ===
      parsed.serviceAccount;
    if (view.captured('Pod') && callers.length > 0 && !callers.some(runsAs)) {
      problems.push({
        text: `a rule names principal ${principal}, but no running pod in ${parsed.namespace} uses service account ${parsed.serviceAccount}`,
        severity: 'info',
      });
    }
  }
  return problems;
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * AuthorizationPolicies that cannot work as written (istioctl analyze IST0127, IST0101, IST0166): a
 * selector matching no pod, a source namespace or principal that does not exist, or a selector on the
 * pods of a Kubernetes Gateway. With the access logs, the 403 RBAC denials of the pods it applies to
 * (naming the policy, or no policy for an ALLOW policy that matched nothing) make it critical.
 */
export const detectAuthzPolicyMismatch: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured('AuthorizationPolicy'))
    return { drafts: [], skipped: 'AuthorizationPolicies were not read', detail: '' };
  const root = controlPlaneNamespaces[0] ?? 'istio-system';
  const policies = view.list<AuthorizationPolicy>('AuthorizationPolicy');
  const drafts: Draft[] = [];
  for (const policy of policies) {
    const scope = scopeOf(view, policy, root);
    const problems = problemsOf(view, policy, scope);
    if (problems.length === 0) continue;
    const ref = refOf(policy, 'AuthorizationPolicy');
    const workloads = workloadsOfPods(view, scope);
    const inScope = new Set(scope.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
    const allow = (policy.spec?.action ?? 'ALLOW') === 'ALLOW';
    const named = `ns[${ref.namespace}]-policy[${ref.name}]-`;
    const symptoms = accessSymptoms(
      view,
      (record, line) =>
        record.flags.includes('RBAC') &&
        inScope.has(`${line.namespace}/${line.pod}`) &&
        !!record.details &&
        (record.details.includes(named) || (allow && record.details.endsWith('[none]'))),
    );
    const evidence: EvidenceItem[] = [
      ...symptoms.slice(0, 2).map(symptomEvidence),
      ...problems.map((p) => fromObject(ref, p.text)),
    ];
    const created = policy.metadata?.creationTimestamp;
    const facts = [
      ...symptoms.map((s) => symptomText(s, nowMs)),
      ...(workloads.length > 0
        ? [`It applies to ${workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ')}.`]
        : []),
      ...(created ? [`AuthorizationPolicy ${ref.namespace}/${ref.name} was created at ${created}.`] : []),
      ...(symptoms.length > 0 ? [] : [noSymptomFact(view)]),
    ];
    const severity: Severity =
      symptoms.length > 0 ? 'critical' : [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity])[0]!.severity;
    drafts.push({
      resources: [ref, ...workloads],
      evidence,
      confidence: symptoms.length > 0 ? 0.9 : 0.75,
      facts,
      severity,
    });
  }
  return {
    drafts,
    detail: `${policies.length} AuthorizationPolicy(ies) checked against pods, namespaces and access logs`,
  };
};
