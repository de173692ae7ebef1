import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef } from '../evidence';
import { fromObject, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import { imageTag, liveImpact, proxyContainer } from '../proxies';
import { isZtunnelPod } from '../ztunnel';

interface ConfigPatch {
  applyTo?: string;
  match?: {
    context?: string;
    proxy?: { proxyVersion?: string };
    listener?: { filterChain?: { filter?: { name?: string; subFilter?: { name?: string } } } };
  };
  patch?: { operation?: string };
}

interface EnvoyFilter extends KubeObject {
  spec?: { priority?: number; workloadSelector?: { labels?: Record<string, string> }; configPatches?: ConfigPatch[] };
}

const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER']);
const INSERTS = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST']);
/** Filter names Envoy dropped in favour of the `envoy.filters.*` names. */
const DEPRECATED_NAMES: Record<string, string> = {
  'envoy.http_connection_manager': 'envoy.filters.network.http_connection_manager',
  'envoy.tcp_proxy': 'envoy.filters.network.tcp_proxy',
  'envoy.router': 'envoy.filters.http.router',
  'envoy.cors': 'envoy.filters.http.cors',
  'envoy.fault': 'envoy.filters.http.fault',
  'envoy.lua': 'envoy.filters.http.lua',
  'envoy.ext_authz': 'envoy.filters.http.ext_authz',
  'envoy.listener.tls_inspector': 'envoy.filters.listener.tls_inspector',
  'envoy.listener.original_dst': 'envoy.filters.listener.original_dst',
  'envoy.listener.http_inspector': 'envoy.filters.listener.http_inspector',
};

/** Why one patch of an EnvoyFilter cannot apply or may stop applying; empty when it looks sound. */
export function patchProblems(patch: ConfigPatch, priority: number | undefined, runningVersions: string[]): string[] {
  const applyTo = patch.applyTo ?? '?';
  const op = patch.patch?.operation ?? 'MERGE';
  const problems: string[] = [];
  if ((op === 'ADD' || op === 'REMOVE') && (applyTo === 'ROUTE_CONFIGURATION' || applyTo === 'HTTP_ROUTE'))
    problems.push(`${op} is ignored for applyTo ${applyTo} (IST015${op === 'ADD' ? '3' : '4'})`);
  if (op === 'REPLACE' && applyTo !== 'HTTP_FILTER' && applyTo !== 'NETWORK_FILTER')
    problems.push(`REPLACE only works for HTTP_FILTER and NETWORK_FILTER, not ${applyTo} (IST0152)`);
  if (INSERTS.has(op) && ['CLUSTER', 'LISTENER', 'ROUTE_CONFIGURATION', 'VIRTUAL_HOST'].includes(applyTo))
    problems.push(
      `${op} has no order to respect for applyTo ${applyTo}: clusters, listeners and virtual hosts are added with ADD, so the patch is not applied`,
    );
  if (RELATIVE.has(op) && priority === undefined)
    problems.push(
      `${op} is relative to another filter and the EnvoyFilter sets no priority, so its position depends on the order other EnvoyFilters are applied in (IST0151)`,
    );
  const version = patch.match?.proxy?.proxyVersion;
  if (version) {
    if (RELATIVE.has(op))
      problems.push(
        `${op} together with proxyVersion ${version} can leave the filter out while proxies of two versions run during an upgrade (IST0155)`,
      );
    let re: RegExp | null = null;
    try {
      re = new RegExp(version);
    } catch {
      problems.push(`proxyVersion ${version} is not a valid regular expression`);
    }
    if (re && runningVersions.length > 0 && !runningVersions.some((v) => re.test(v)))
      problems.push(
        `proxyVersion ${version} matches none of the running proxies (${runningVersions.join(', ')}), so the patch applies to no proxy`,
      );
  }
  const filter = patch.match?.listener?.filterChain?.filter;
  for (const name of [filter?.name, filter?.subFilter?.name]) {
    const current = name ? DEPRECATED_NAMES[name] : undefined;
    if (current)
      problems.push(
        `matches the deprecated filter name ${name}; current proxies name it ${current}, so the match finds nothing`,
      );
  }
  return problems;
}

/**
 * The pods an EnvoyFilter applies to: its namespace's (all, for the root namespace), narrowed by its workloadSelector.
 * Envoy proxies only: sidecars, gateways and waypoints; ztunnel's container is named istio-proxy but runs no Envoy.
 */
function selectedPods(view: ClusterView, ef: EnvoyFilter, rootNamespaces: readonly string[]): Pod[] {
  const ns = ef.metadata?.namespace ?? '';
  const selector = ef.spec?.workloadSelector?.labels ?? {};
  return view
    .pods()
    .filter(
      (p) =>
        hasSidecar(p) &&
        !isZtunnelPod(p) &&
        (rootNamespaces.includes(ns) || p.metadata?.namespace === ns) &&
        Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
}

function versionOf(pod: Pod): string | null {
  const image = proxyContainer(pod)?.image;
  const tag = image ? imageTag(image) : null;
  return tag?.replace(/-distroless$|-debug$/, '') ?? null;
}

/** EnvoyFilter patches that cannot apply, or that may silently stop applying across upgrades. */
export const detectEnvoyfilterPatchFragile: Detector = ({ view, controlPlaneNamespaces }) => {
  if (!view.captured('EnvoyFilter')) return { drafts: [], skipped: 'EnvoyFilters were not read', detail: '' };
  const filters = view.list<EnvoyFilter>('EnvoyFilter');
  const drafts: Draft[] = [];
  for (const ef of filters) {
    const pods = selectedPods(view, ef, controlPlaneNamespaces);
    const versions = [...new Set(pods.map(versionOf).filter((v): v is string => v !== null))].sort();
    const problems = (ef.spec?.configPatches ?? []).flatMap((p, i) =>
      patchProblems(p, ef.spec?.priority, versions).map(
        (text) => `configPatches[${i}] (${p.applyTo ?? '?'} ${p.patch?.operation ?? 'MERGE'}): ${text}`,
      ),
    );
    if (problems.length === 0) continue;
    const ref: ObjectRef = {
      kind: 'EnvoyFilter',
      namespace: ef.metadata?.namespace ?? null,
      name: ef.metadata?.name ?? '',
    };
    const workloads = uniqueRefs(pods.map((p) => view.workloadOfPod(p))).slice(0, 10);
    const impact = liveImpact(view, workloads, 'info');
    const evidence: EvidenceItem[] = [...problems.slice(0, 3).map((p) => fromObject(ref, p)), ...impact.evidence];
    const since = ef.metadata?.creationTimestamp;
    drafts.push({
      resources: [ref, ...workloads],
      evidence,
      confidence: 0.85,
      facts: [
        `${refText(ref)}${since ? ` (created ${since}${ef.metadata?.generation ? `, generation ${ef.metadata.generation}` : ''})` : ''} has ${problems.length} fragile patch(es); ${workloads.length > 0 ? `it applies to ${workloads.map(refText).join(', ')}` : 'no running proxy is in its scope'}.`,
        ...problems.slice(3),
        impact.fact,
      ],
      ...(impact.severity ? { severity: impact.severity } : {}),
    });
  }
  return { drafts, detail: `${filters.length} EnvoyFilter(s) checked` };
};
