/**
 * The parts of Istio security policies (AuthorizationPolicy) the configuration checks read: the
 * workload selector, the Gateway API targetRefs, and the namespaces and principals rules name.
 */
import type { KubeObject, Pod } from './kube-types';
import { labelsCarry } from './routing';

export interface AuthorizationPolicy extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    targetRef?: { kind?: string; group?: string; name?: string };
    targetRefs?: { kind?: string; group?: string; name?: string }[];
    action?: string;
    rules?: {
      from?: {
        source?: { namespaces?: string[]; notNamespaces?: string[]; principals?: string[]; notPrincipals?: string[] };
      }[];
    }[];
  };
}

/** The label Kubernetes Gateway API puts on the pods of an Istio-deployed Gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The policy's selector labels, or null when it has none (namespace-wide, or targetRefs). */
export function policySelector(policy: AuthorizationPolicy): Record<string, string> | null {
  const labels = policy.spec?.selector?.matchLabels;
  return labels && Object.keys(labels).length > 0 ? labels : null;
}

/** True when every selector label is on the pod. */
export function labelsMatch(selector: Record<string, string>, pod: Pod): boolean {
  return labelsCarry(selector, pod.metadata?.labels);
}

/** A principal `cluster.local/ns/NS/sa/SA` split up; null for wildcards and other forms. */
export function parsePrincipal(principal: string): { namespace: string; serviceAccount: string } | null {
  if (principal.includes('*')) return null;
  const m = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return m?.[1] && m[2] ? { namespace: m[1], serviceAccount: m[2] } : null;
}

/** The namespaces and principals the policy's rules name (positive and negated), without wildcards. */
export function namedSources(policy: AuthorizationPolicy): { namespaces: string[]; principals: string[] } {
  const sources = (policy.spec?.rules ?? []).flatMap((r) => (r.from ?? []).map((f) => f.source ?? {}));
  const namespaces = sources.flatMap((s) => [...(s.namespaces ?? []), ...(s.notNamespaces ?? [])]);
  const principals = sources.flatMap((s) => [...(s.principals ?? []), ...(s.notPrincipals ?? [])]);
  return {
    namespaces: [...new Set(namespaces.filter((n) => !n.includes('*')))],
    principals: [...new Set(principals.filter((p) => !p.includes('*')))],
  };
}
