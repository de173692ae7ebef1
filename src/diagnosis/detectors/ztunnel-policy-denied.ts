import { groupBy } from '../../util/group-by';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import { podDataplane } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef, Severity } from '../evidence';
import { fromLog, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod, Service } from '../kube-types';
import type { AuthorizationPolicy } from '../policies';
import { labelsMatch, policySelector } from '../policies';
import { changeFact, podsOfService } from '../routing';
import { isWaypointGateway } from '../ztunnel';
import type { Peer, ZtunnelAccessLine } from '../ztunnel-peers';
import {
  destinationOf,
  identityOf,
  loggedByText,
  recordsSeen,
  sourceOf,
  sourcesText,
  ztunnelAccessLines,
} from '../ztunnel-peers';

/** The signature of ztunnel closing a connection because of an AuthorizationPolicy. */
const POLICY_CLOSED = 'ztunnel-policy-rejection';

/** Names of the DENY policies istiod derives from PeerAuthentication STRICT for ztunnel. */
const CONVERTED_STRICT = /^(istio_converted_static_strict|converted_peer_authentication)/;

const VERIFY =
  'Check with istioctl ztunnel-config policy that the change reached ztunnel, and that the rejections stop.';

type Reason = 'not-allowed' | 'denied' | 'change' | 'unspecified';

interface Rejection {
  record: ZtunnelAccessLine;
  reason: Reason;
  /** `namespace/name` of the DENY policy that matched. */
  denyPolicy: string | null;
}

/** The reason of a record, or null when it is not a policy decision (ztunnel did not know the workload). */
function rejectionOf(record: ZtunnelAccessLine): Rejection | null {
  const error = record.access.error ?? '';
  if (error.startsWith('connection closed due to policy change')) return { record, reason: 'change', denyPolicy: null };
  if (!error.startsWith('connection closed due to policy rejection')) return null;
  const detail = error.slice('connection closed due to policy rejection'.length).replace(/^:\s*/, '');
  const denied = /^explicitly denied by: (\S+)/.exec(detail);
  if (denied?.[1]) return { record, reason: 'denied', denyPolicy: denied[1] };
  if (detail.startsWith('allow policies exist')) return { record, reason: 'not-allowed', denyPolicy: null };
  if (detail === '') return { record, reason: 'unspecified', denyPolicy: null };
  return null;
}

/** An AuthorizationPolicy that applies to the destination pod, and how. */
interface Applying {
  policy: AuthorizationPolicy;
  ref: ObjectRef;
  action: string;
  how: string;
  /** Enforced by a waypoint (targetRefs), not by ztunnel. */
  atWaypoint: boolean;
}

function targetRefsOf(policy: AuthorizationPolicy): { kind?: string; group?: string; name?: string }[] {
  return policy.spec?.targetRefs ?? (policy.spec?.targetRef ? [policy.spec.targetRef] : []);
}

/** Whether a targetRef names a Service that selects the pod, or the waypoint that serves it. */
function targetsPod(
  view: ClusterView,
  ref: { kind?: string; name?: string },
  pod: Pod,
  waypoint: string | null,
): boolean {
  const ns = pod.metadata?.namespace ?? null;
  if (ref.kind === 'Service') {
    const svc = view.get<Service>('Service', ns, ref.name ?? '');
    return !!svc && podsOfService(view, svc).includes(pod);
  }
  return ref.kind === 'Gateway' && waypoint === `${ns}/${ref.name}`;
}

/** The AuthorizationPolicies that apply to a pod: mesh-wide and namespace-wide ones, selectors that match, targetRefs. */
function applyingTo(view: ClusterView, pod: Pod | null, namespace: string | null, root: string): Applying[] {
  const out: Applying[] = [];
  const waypoint = pod ? podDataplane(view, pod).waypoint : null;
  for (const policy of view.list<AuthorizationPolicy>('AuthorizationPolicy')) {
    const ns = policy.metadata?.namespace ?? null;
    if (ns !== namespace && ns !== root) continue;
    const ref = refOf(policy, 'AuthorizationPolicy');
    const action = (policy.spec?.action ?? 'ALLOW').toUpperCase();
    const refs = targetRefsOf(policy);
    if (refs.length > 0) {
      const named = refs.filter((r) => pod && ns === namespace && targetsPod(view, r, pod, waypoint));
      if (named.length > 0) {
        const how = `targetRefs ${named.map((r) => `${r.kind}/${r.name}`).join(', ')}, enforced by the waypoint, not by ztunnel`;
        out.push({ policy, ref, action, how, atWaypoint: true });
      }
      continue;
    }
    const selector = policySelector(policy);
    if (selector) {
      if (!pod || !labelsMatch(selector, pod)) continue;
      const labels = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      out.push({ policy, ref, action, how: `selector ${labels}`, atWaypoint: false });
    } else {
      out.push({ policy, ref, action, how: ns === root ? 'mesh-wide' : 'namespace-wide', atWaypoint: false });
    }
  }
  return out;
}

/** Whether a policy's rules use attributes ztunnel cannot see (HTTP methods, paths, hosts, request principals, headers). */
function hasHttpRules(policy: AuthorizationPolicy): boolean {
  return /"(methods|notMethods|paths|notPaths|hosts|notHosts|requestPrincipals|notRequestPrincipals)"|"key":"request\./.test(
    JSON.stringify(policy.spec?.rules ?? []),
  );
}

function listText(policies: Applying[]): string {
  return policies.map((a) => `${refText(a.ref)} (${a.action}, ${a.how})`).join(', ');
}

/** Whether a source identity is a waypoint's (a Gateway of class istio-waypoint with the service account's name). */
function waypointIdentity(view: ClusterView, spiffe: string | null): string | null {
  const id = identityOf(spiffe);
  if (!id) return null;
  const gateway = view.get('Gateway.gateway.networking.k8s.io', id.namespace, id.serviceAccount);
  return gateway && isWaypointGateway(gateway) ? `${id.namespace}/${id.serviceAccount}` : null;
}

/** The PeerAuthentications in STRICT mode of a namespace. */
function strictPeerAuthentications(view: ClusterView, namespace: string): ObjectRef[] {
  return view
    .list<KubeObject & { spec?: { mtls?: { mode?: string } } }>('PeerAuthentication')
    .filter((pa) => pa.metadata?.namespace === namespace && pa.spec?.mtls?.mode?.toUpperCase() === 'STRICT')
    .map((pa) => refOf(pa, 'PeerAuthentication'));
}

interface Explained {
  facts: string[];
  resources: ObjectRef[];
  severity: Severity;
  steps: string[];
}

/** The principals and namespaces the rules of an ALLOW policy let in, as text; null when it names none. */
function allowsText(policy: AuthorizationPolicy): string | null {
  const sources = (policy.spec?.rules ?? []).flatMap((r) => (r.from ?? []).map((f) => f.source ?? {}));
  const principals = [...new Set(sources.flatMap((s) => s.principals ?? []))];
  const namespaces = [...new Set(sources.flatMap((s) => s.namespaces ?? []))];
  const parts = [
    principals.length > 0 ? `principals ${principals.join(', ')}` : null,
    namespaces.length > 0 ? `namespaces ${namespaces.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** The principal (`TRUST-DOMAIN/ns/NS/sa/SA`) of a SPIFFE id. */
function principalOf(spiffe: string): string {
  return spiffe.replace(/^spiffe:\/\//, '');
}

function explainNotAllowed(view: ClusterView, group: Rejection[], applying: Applying[], dest: Peer): Explained {
  const allow = applying.filter((a) => a.action === 'ALLOW' && !a.atWaypoint);
  const facts: string[] = [];
  const steps: string[] = [];
  if (allow.length > 0) {
    facts.push(
      `ALLOW ${allow.length > 1 ? 'policies apply' : 'policy applies'} to it at ztunnel: ${listText(allow)}; none of ${allow.length > 1 ? 'their' : 'its'} rules matched these sources. Once any ALLOW policy applies, every connection it does not allow is refused.`,
    );
    for (const a of allow) {
      const allows = allowsText(a.policy);
      const change = changeFact(a.policy, 'AuthorizationPolicy');
      if (allows) facts.push(`${refText(a.ref)} allows ${allows}.`);
      if (change) facts.push(change);
    }
  } else {
    facts.push(
      'ztunnel holds an ALLOW policy for it that is not among the AuthorizationPolicies read (another namespace, deleted since, or not captured).',
    );
  }
  const policies = allow.length > 0 ? allow.map((a) => refText(a.ref)).join(' or ') : 'the ALLOW policy';
  const waypoints = [...new Set(group.flatMap((r) => waypointIdentity(view, r.record.srcIdentity) ?? []))];
  const identities = [
    ...new Set(
      group.flatMap((r) =>
        r.record.srcIdentity && !waypointIdentity(view, r.record.srcIdentity) ? principalOf(r.record.srcIdentity) : [],
      ),
    ),
  ];
  if (identities.length > 0) {
    steps.push(
      `If ${identities.join(', ')} should reach ${dest.label}, add ${identities.length > 1 ? 'these principals' : 'this principal'} (or ${identities.length > 1 ? 'their namespaces' : 'its namespace'}) to a rule of ${policies}; if not, these refusals are the policy doing its job.`,
    );
  }
  const http = allow.filter((a) => hasHttpRules(a.policy));
  if (http.length > 0) {
    facts.push(
      `${http.map((a) => refText(a.ref)).join(', ')} use HTTP attributes (methods, paths, hosts, request principals or headers), which ztunnel cannot see: it drops those rules from an ALLOW policy, so the policy allows less than it says. Such rules belong on a waypoint (targetRefs).`,
    );
    steps.push(
      `Move the HTTP rules of ${http.map((a) => refText(a.ref)).join(', ')} to a policy attached to a waypoint with targetRefs, and keep only L4 rules (principals, namespaces, IP blocks, ports) for ztunnel.`,
    );
  }
  if (group.some((r) => r.record.srcIdentity === null)) {
    facts.push(
      'Some sources had no mesh identity: their traffic arrived in plaintext (the caller is outside the mesh, or its traffic bypassed ztunnel), so rules naming principals or namespaces cannot match it.',
    );
    steps.push(
      'Enroll the callers without identity in the mesh (istio.io/dataplane-mode=ambient, or a sidecar), or allow them by ipBlocks if plaintext from them is intended.',
    );
  }
  if (waypoints.length > 0) {
    facts.push(
      `The source identity is that of waypoint ${waypoints.join(', ')}: with a waypoint in the path ztunnel sees the waypoint, not the original caller, so a policy at ztunnel must allow the waypoint's identity, and caller rules belong on the waypoint (targetRefs).`,
    );
    steps.push(
      `Allow the identity of waypoint ${waypoints.join(', ')} in ${policies}, and put the rules about the original callers in a policy attached to the waypoint with targetRefs.`,
    );
  }
  return { facts, resources: allow.map((a) => a.ref), severity: 'critical', steps };
}

function explainDenied(view: ClusterView, policy: string, root: string): Explained {
  const [namespace = '', name = ''] = policy.split('/');
  if (CONVERTED_STRICT.test(name)) {
    const strict = strictPeerAuthentications(view, namespace);
    const where = strict.length > 0 ? strict.map(refText).join(', ') : `a PeerAuthentication in ${namespace}`;
    return {
      facts: [
        `${policy} is the DENY rule istiod derives from STRICT mutual TLS (${where}${namespace === root ? ', mesh-wide' : ''}): it refuses plaintext. The source did not come through the mesh (it is not enrolled, is not a mesh workload, or its traffic bypassed ztunnel). This may be intended; if the caller should reach the workload, enroll it in the mesh or allow plaintext on that port with a PERMISSIVE port-level exception.`,
      ],
      resources: strict,
      severity: 'warning',
      steps: [
        'If the plaintext callers should get through, enroll them in the mesh (istio.io/dataplane-mode=ambient, or a sidecar), or add a port-level PERMISSIVE exception to the PeerAuthentication for that port; if not, nothing needs fixing.',
      ],
    };
  }
  const found = view.get<AuthorizationPolicy>('AuthorizationPolicy', namespace, name);
  if (!found) {
    return {
      facts: [
        `The DENY policy ${policy} that matched is not among the AuthorizationPolicies read (deleted since, or not captured).`,
      ],
      resources: [],
      severity: 'info',
      steps: [
        `Check with istioctl ztunnel-config policy whether ${policy} is still applied, and whether it should refuse these sources.`,
      ],
    };
  }
  return {
    facts: [
      `${refText(refOf(found, 'AuthorizationPolicy'))} (DENY) matched these connections: this is what a DENY policy is for, so it may be intended.`,
    ],
    resources: [refOf(found, 'AuthorizationPolicy')],
    severity: 'info',
    steps: [
      `Confirm that ${refText(refOf(found, 'AuthorizationPolicy'))} is meant to refuse these sources; if they should get through, narrow its rules.`,
    ],
  };
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

const REASON_TEXT: Record<Reason, string> = {
  'not-allowed': 'refused because ALLOW policies apply and none allowed them',
  denied: 'refused by DENY policy',
  change: 'closed when a policy change no longer allowed them',
  unspecified: 'refused by policy (this ztunnel does not log which)',
};

function draftOf(view: ClusterView, nowMs: number | null, root: string, dest: Peer, rejections: Rejection[]): Draft {
  const namespace = dest.pod?.metadata?.namespace ?? dest.workload?.namespace ?? null;
  const applying = applyingTo(view, dest.pod, namespace, root);
  const facts: string[] = [];
  const resources: ObjectRef[] = [];
  const steps: string[] = [];
  let severity: Severity = 'info';
  const groups = groupBy(rejections, (r) => `${r.reason} ${r.denyPolicy ?? ''}`);
  for (const group of groups.values()) {
    const head = group[0]!;
    const records = group.map((r) => r.record);
    const which = head.denyPolicy ? ` ${head.denyPolicy}` : '';
    facts.push(
      `Connections to ${dest.label} ${REASON_TEXT[head.reason]}${which}, ${recordsSeen(records, nowMs)}; sources: ${sourcesText(view, records, true)}.`,
    );
    let explained: Explained;
    if (head.reason === 'denied') explained = explainDenied(view, head.denyPolicy ?? '', root);
    else if (head.reason === 'not-allowed') explained = explainNotAllowed(view, group, applying, dest);
    else {
      const allow = applying.some((a) => a.action === 'ALLOW' && !a.atWaypoint);
      explained = {
        facts: [
          applying.length > 0
            ? `AuthorizationPolicies that apply to it: ${listText(applying)}.`
            : 'No AuthorizationPolicy read applies to it.',
        ],
        resources: applying.filter((a) => !a.atWaypoint).map((a) => a.ref),
        severity: allow ? 'critical' : 'warning',
        steps: [
          `Compare the AuthorizationPolicies of ${dest.label} with what ztunnel applies (istioctl ztunnel-config policy), and allow the sources that should get through.`,
        ],
      };
    }
    facts.push(...explained.facts);
    resources.push(...explained.resources);
    steps.push(...explained.steps);
    if (RANK[explained.severity] < RANK[severity]) severity = explained.severity;
  }
  const waypointPolicies = applying.filter((a) => a.atWaypoint);
  if (waypointPolicies.length > 0) {
    facts.push(`Also applying, at the waypoint rather than ztunnel: ${listText(waypointPolicies)}.`);
  }
  if (!dest.pod)
    facts.push(`The destination pod was not captured, so only namespace-wide and mesh-wide policies could be matched.`);
  const records = rejections.map((r) => r.record);
  facts.push(`Logged by ${loggedByText(view, records)}.`);
  const newest = records[records.length - 1]!;
  const evidence: EvidenceItem[] = [fromLog(newest.line, `${records.length} connection(s) closed by policy; latest: `)];
  const sources = uniqueRefs(records.flatMap((r) => sourceOf(view, r).workload ?? []));
  return {
    resources: uniqueRefs([...(dest.workload ? [dest.workload] : []), ...resources, ...sources]),
    evidence,
    confidence: dest.workload ? 0.9 : 0.7,
    facts,
    steps: [...new Set([...steps, VERIFY])],
    severity,
  };
}

/**
 * ztunnel closing connections because of an L4 AuthorizationPolicy (`connection closed due to policy
 * rejection: ...` and `... due to policy change` in its access log), one finding per destination workload:
 * the sources (identity, workload), the policies that apply to the destination (mesh-wide, namespace-wide,
 * selector, targetRefs at a waypoint) and the reason ztunnel gives. ALLOW policies that allowed none of the
 * sources are the usual surprise (critical); a match of an explicit DENY policy may be intended (info), and the
 * DENY istiod derives from STRICT mTLS means plaintext from outside the mesh (warning).
 */
export const detectZtunnelPolicyDenied: Detector = ({ view, nowMs, controlPlaneNamespaces }) => {
  if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs were read', detail: '' };
  const root = controlPlaneNamespaces[0] ?? 'istio-system';
  const records = ztunnelAccessLines(view, POLICY_CLOSED);
  const rejections = records.flatMap((r) => rejectionOf(r) ?? []);
  // Refusals by ALLOW policies that all use HTTP attributes are ztunnel dropping their rules: the root cause
  // is ambient-l7-config-without-waypoint's finding, which counts these refusals; one incident, one finding.
  const droppedRules = (r: Rejection) => {
    if (r.reason !== 'not-allowed') return false;
    const dest = destinationOf(view, r.record);
    const namespace = dest.pod?.metadata?.namespace ?? dest.workload?.namespace ?? null;
    const allow = applyingTo(view, dest.pod, namespace, root).filter((a) => a.action === 'ALLOW' && !a.atWaypoint);
    return allow.length > 0 && allow.every((a) => hasHttpRules(a.policy));
  };
  const own = rejections.filter((r) => !droppedRules(r));
  const byDestination = groupBy(own, (r) => destinationOf(view, r.record).label);
  const drafts = [...byDestination.values()].map((group) =>
    draftOf(view, nowMs, root, destinationOf(view, group[0]!.record), group),
  );
  const other = records.length - rejections.length;
  const l7 = rejections.length - own.length;
  return {
    drafts,
    detail: `${rejections.length} ztunnel connection(s) closed by policy checked against AuthorizationPolicies${other > 0 ? `; ${other} refused for an unknown or mismatched workload, which is not a policy decision, left out` : ''}${l7 > 0 ? `; ${l7} refused because ztunnel dropped the HTTP rules of every ALLOW policy, left to ambient-l7-config-without-waypoint` : ''}`,
  };
};
