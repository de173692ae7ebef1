import { parseAccessLog } from './access-log';
import type { ClusterView } from './cluster-view';
import type { EvidenceItem, LogLine, ObjectRef } from './evidence';
import { fromLog, refText, sameRef } from './evidence-items';
import type { ConfigMap, ContainerSpec, Pod, Workload } from './kube-types';
import { SIDECAR } from './pod-facts';

/** The istio-proxy container of a pod (a regular container, or a native sidecar among the init containers). */
export function proxyContainer(pod: Pod): ContainerSpec | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === SIDECAR);
}

/**
 * The control-plane revision that injected a pod's proxy: `revision` of the `sidecar.istio.io/status`
 * annotation the injector writes, else the pod's `istio.io/rev` label; null when neither says.
 */
export function proxyRevision(pod: Pod): string | null {
  const status = pod.metadata?.annotations?.['sidecar.istio.io/status'];
  if (status) {
    try {
      const revision = (JSON.parse(status) as { revision?: unknown }).revision;
      if (typeof revision === 'string' && revision !== '') return revision;
    } catch {
      // a hand-written or truncated annotation: fall back to the label
    }
  }
  return pod.metadata?.labels?.['istio.io/rev'] ?? null;
}

/** Requests that failed (5xx, or a response flag) in the access logs of some workloads' pods. */
export interface FailingRequests {
  count: number;
  first: string | null;
  last: string | null;
  /** `code flags cluster` of the most frequent failure kind, e.g. `503 UF outbound|8080||cart.shop.svc.cluster.local`. */
  commonest: string;
  lines: LogLine[];
}

function failed(line: LogLine): string | null {
  const record = parseAccessLog(line);
  if (!record) return null;
  const flagged = record.flags.length > 0;
  if (!flagged && (record.code === null || record.code < 500)) return null;
  return [record.code ?? 0, record.flags.join(',') || '-', record.upstreamCluster ?? record.authority ?? '-'].join(' ');
}

/** Failing requests in the access-log lines read from the pods of these workloads; null when none. */
export function failingRequests(view: ClusterView, workloads: ObjectRef[]): FailingRequests | null {
  const lines: LogLine[] = [];
  const kinds = new Map<string, number>();
  for (const pod of view.pods()) {
    const owner = view.workloadOfPod(pod);
    if (!workloads.some((w) => sameRef(w, owner))) continue;
    for (const line of view.logsOfPod(pod.metadata?.namespace ?? null, pod.metadata?.name ?? '')) {
      const kind = failed(line);
      if (!kind) continue;
      lines.push(line);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  if (lines.length === 0) return null;
  lines.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
  const commonest = [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
  return { count: lines.length, first: lines[0]?.time ?? null, last: lines.at(-1)?.time ?? null, commonest, lines };
}

/**
 * The live impact of a configuration problem on the workloads it breaks: evidence and a fact about the
 * failing requests, or the fact that none were seen (and the lower severity such a finding takes).
 */
export function liveImpact(
  view: ClusterView,
  workloads: ObjectRef[],
  quiet: 'warning' | 'info',
): { evidence: EvidenceItem[]; fact: string; severity: 'warning' | 'info' | null } {
  const failing = failingRequests(view, workloads);
  if (!failing) {
    return {
      evidence: [],
      fact: `No failing requests seen in the logs read${workloads.length > 0 ? ` for ${workloads.map(refText).join(', ')}` : ''}: the problem is latent so far.`,
      severity: quiet,
    };
  }
  return {
    evidence: failing.lines.slice(-2).map((l) => fromLog(l, 'failing request: ')),
    fact: `${failing.count} failing request(s) in the access logs of ${workloads.map(refText).join(', ')} between ${failing.first ?? '?'} and ${failing.last ?? '?'}, most often ${failing.commonest}.`,
    severity: null,
  };
}

/** What the injector of one revision puts into new pods now, and where that was read. */
export interface InjectedProxy {
  revision: string;
  /** Full image reference (`hub/proxyv2:tag`), or null when only the tag is known. */
  image: string | null;
  tag: string;
  source: ObjectRef;
  /** When the source last changed, as far as the evidence shows (creation of the object or of its newest ReplicaSet). */
  since: string | null;
}

interface InjectorValues {
  global?: { hub?: string; tag?: string | number; proxy?: { image?: string } };
}

/** The tag of an image reference (`repo/name:tag[@digest]`), or null. */
export function imageTag(image: string): string | null {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : null;
}

function fromConfigMap(view: ClusterView, namespace: string, revision: string): InjectedProxy | null {
  const name = revision === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`;
  const cm = view.get<ConfigMap>('ConfigMap', namespace, name);
  const raw = cm?.data?.values;
  if (!cm || !raw) return null;
  let values: InjectorValues;
  try {
    values = JSON.parse(raw) as InjectorValues;
  } catch {
    return null;
  }
  const tag = values.global?.tag === undefined ? null : String(values.global.tag);
  const proxyImage = values.global?.proxy?.image ?? 'proxyv2';
  if (proxyImage.includes('/')) {
    const pinned = imageTag(proxyImage);
    return pinned || tag
      ? {
          revision,
          image: pinned ? proxyImage : `${proxyImage}:${tag}`,
          tag: pinned ?? tag ?? '',
          source: { kind: 'ConfigMap', namespace, name },
          since: null,
        }
      : null;
  }
  if (!tag) return null;
  const hub = values.global?.hub;
  return {
    revision,
    image: hub ? `${hub}/${proxyImage}:${tag}` : null,
    tag,
    source: { kind: 'ConfigMap', namespace, name },
    since: null,
  };
}

function fromIstiod(view: ClusterView, namespace: string, revision: string): InjectedProxy | null {
  const istiod = view
    .list<Workload>('Deployment')
    .find(
      (d) =>
        d.metadata?.namespace === namespace &&
        /^istiod(-|$)/.test(d.metadata?.name ?? '') &&
        (d.metadata?.labels?.['istio.io/rev'] ?? 'default') === revision,
    );
  const image = istiod?.spec?.template?.spec?.containers?.find((c) => c.name === 'discovery')?.image;
  const tag = image ? imageTag(image) : null;
  if (!istiod || !tag) return null;
  const ref: ObjectRef = { kind: 'Deployment', namespace, name: istiod.metadata?.name ?? '' };
  const since = newestReplicaSet(view, ref) ?? istiod.metadata?.creationTimestamp ?? null;
  return { revision, image: null, tag, source: ref, since };
}

function newestReplicaSet(view: ClusterView, deployment: ObjectRef): string | null {
  const times = view
    .list<Workload>('ReplicaSet')
    .filter(
      (rs) =>
        rs.metadata?.namespace === deployment.namespace &&
        rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === deployment.name),
    )
    .flatMap((rs) => rs.metadata?.creationTimestamp ?? [])
    .sort();
  return times.at(-1) ?? null;
}

/**
 * The proxy the injector of a revision injects now: from the `istio-sidecar-injector[-REVISION]`
 * ConfigMap's `values` (global.hub, global.tag, global.proxy.image), else the tag of that revision's
 * istiod image. The istiod rollout dates the change in both cases when it can be seen.
 */
export function injectedProxy(
  view: ClusterView,
  controlPlane: readonly string[],
  revision: string,
): InjectedProxy | null {
  for (const namespace of controlPlane) {
    const istiod = fromIstiod(view, namespace, revision);
    const configured = fromConfigMap(view, namespace, revision);
    if (configured) return { ...configured, since: istiod?.since ?? null };
    if (istiod) return istiod;
  }
  return null;
}
