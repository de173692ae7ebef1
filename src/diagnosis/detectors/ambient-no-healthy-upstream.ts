import { groupBy } from '../../util/group-by';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import { istiodDeployments } from '../control-plane';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, ObjectRef } from '../evidence';
import { fromLog, refText, uniqueRefs } from '../evidence-items';
import type { Endpoints, KubeObject, Pod, Service, Workload } from '../kube-types';
import { podReady } from '../pod-facts';
import { labelsCarry, podsOfService, serviceOfFqdn } from '../routing';
import { podOfIp, serviceOfClusterIp } from '../services';
import { ipOfAddr, portOfAddr } from '../ztunnel';
import type { Version } from '../ztunnel-control';
import { versionOfImage } from '../ztunnel-control';
import type { ZtunnelAccessLine } from '../ztunnel-peers';
import { loggedByText, recordsSeen, sourceOf, sourcesText, ztunnelAccessLines } from '../ztunnel-peers';

/** The signature of ztunnel refusing a connection for want of an endpoint. */
const NO_HEALTHY_UPSTREAM = 'ztunnel-no-healthy-upstream';

const VERIFY =
  'Check with istioctl ztunnel-config service that the address now lists endpoints, and that the ztunnel lines stop.';

interface ServiceEntry extends KubeObject {
  spec?: {
    hosts?: string[];
    addresses?: string[];
    ports?: { number?: number }[];
    resolution?: string;
    endpoints?: { address?: string }[];
    workloadSelector?: { labels?: Record<string, string> };
  };
  status?: { addresses?: { value?: string }[] };
}

/** What the destination address is and why ztunnel has no endpoint for it, as the objects show. */
interface Diagnosis {
  target: ObjectRef | null;
  /** Why, from the objects; null when they look healthy (or the address is unknown). */
  cause: string | null;
  /** Extra resources the cause names (pods not ready, ...). */
  related: ObjectRef[];
  /** The fix for that cause, replacing the runbook's list of fixes for every cause. */
  step?: string;
}

/** The version of istiod's image tag (`1.27.3` of `1.27.3-distroless`), or null. */
function istiodVersion(view: ClusterView): Version | null {
  for (const d of istiodDeployments(view)) {
    const version = versionOfImage(d.spec?.template?.spec?.containers?.find((c) => c.name === 'discovery')?.image);
    if (version) return version;
  }
  return null;
}

/** The version of the ztunnel DaemonSet's image tag, or null. */
function ztunnelVersion(view: ClusterView): Version | null {
  for (const d of view.list<Workload>('DaemonSet').filter((d) => d.metadata?.name === 'ztunnel')) {
    const version = versionOfImage(d.spec?.template?.spec?.containers?.[0]?.image);
    if (version) return version;
  }
  return null;
}

const before128 = (v: Version) => v.major === 1 && v.minor < 28;

function names(pods: Pod[]): string {
  const shown = pods.slice(0, 3).map((p) => p.metadata?.name ?? '?');
  return `${shown.join(', ')}${pods.length > 3 ? ` and ${pods.length - 3} more` : ''}`;
}

/** The addresses a Service's Endpoints object lists (ready and not ready). */
function endpointAddresses(view: ClusterView, svc: Service): { ready: string[]; notReady: string[] } | null {
  const ep = view.get<Endpoints>('Endpoints', svc.metadata?.namespace ?? null, svc.metadata?.name ?? '');
  if (!ep) return null;
  const subsets = ep.subsets ?? [];
  return {
    ready: subsets.flatMap((s) => (s.addresses ?? []).flatMap((a) => a.ip ?? [])),
    notReady: subsets.flatMap((s) => (s.notReadyAddresses ?? []).flatMap((a) => a.ip ?? [])),
  };
}

function serviceCause(view: ClusterView, svc: Service, port: number | null): Diagnosis {
  const target = refOf(svc, 'Service');
  const spec = svc.spec ?? {};
  if (spec.clusterIP === 'None') {
    return {
      target,
      cause: `${refText(target)} is headless (clusterIP None): ztunnel has no load-balanced address with endpoints for it; callers should reach its pods by their own addresses, or the Service needs a cluster IP.`,
      related: [],
      step: `Let the callers use the pods' own names and addresses, or give ${refText(target)} a cluster IP.`,
    };
  }
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) {
    const eps = view.captured('Endpoints') ? endpointAddresses(view, svc) : undefined;
    const all = eps ? [...eps.ready, ...eps.notReady] : [];
    const offMesh = all.filter((ip) => !podOfIp(view, ip));
    const listed =
      eps === undefined
        ? 'its Endpoints were not read'
        : all.length === 0
          ? 'no Endpoints object lists any address for it'
          : `its manually managed Endpoints list ${all.join(', ')}${offMesh.length > 0 ? `, ${offMesh.length === all.length ? 'none of them a pod' : `${offMesh.join(', ')} not a pod`} (off-mesh)` : ''}`;
    return {
      target,
      cause: `${refText(target)} has no selector, and ${listed}. ztunnel builds a Service's endpoints from the pods (and WorkloadEntries) it selects, so a selectorless Service whose endpoints are managed by hand has none in ztunnel and its cluster IP cannot be reached from ambient pods.`,
      related: [],
      step:
        offMesh.length > 0
          ? `Describe the backend${offMesh.length > 1 ? 's' : ''} ${offMesh.join(', ')} in a way ztunnel uses: ${offMesh.length > 1 ? 'WorkloadEntries for those addresses' : 'a WorkloadEntry for that address'} with labels that a selector on ${refText(target)} picks (callers keep its name), or a ServiceEntry with resolution STATIC and ${offMesh.length > 1 ? 'those addresses as endpoints' : 'that address as endpoint'} (or DNS with its host name) for callers to use instead.`
          : `Give ${refText(target)} a selector that picks the backing pods, or describe its backend with a ServiceEntry or WorkloadEntry, which ztunnel uses.`,
    };
  }
  const labels = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!view.captured('Pod')) return { target, cause: null, related: [] };
  const pods = podsOfService(view, svc);
  if (pods.length === 0) {
    return {
      target,
      cause: `The selector ${labels} of ${refText(target)} matches no running pod, so ztunnel has no endpoint for it.`,
      related: [],
      step: `Fix the selector ${labels} of ${refText(target)} or the labels of the pods it should pick, or start the workload behind it.`,
    };
  }
  const notReady = pods.filter((p) => !podReady(p));
  if (notReady.length === pods.length) {
    return {
      target,
      cause: `${refText(target)} selects ${pods.length} pod(s) (${names(pods)}), none of them Ready, so ztunnel holds no healthy endpoint for it.`,
      related: uniqueRefs(pods.map((p) => view.workloadOfPod(p))),
      step: `Find why the pods of ${refText(target)} are not Ready (kubectl describe pod: readiness probe, crash loop); the failures stop as soon as one is Ready.`,
    };
  }
  const ports = (spec.ports ?? []).map((p) => p.port);
  if (port !== null && ports.length > 0 && !ports.includes(port)) {
    return {
      target,
      cause: `Port ${port} is not a port of ${refText(target)} (it offers ${ports.join(', ')}).`,
      related: [],
      step: `Point the callers at a port ${refText(target)} offers, or add port ${port} to it.`,
    };
  }
  return { target, cause: null, related: [] };
}

function serviceEntryCause(view: ClusterView, se: ServiceEntry): Diagnosis {
  const target = refOf(se, 'ServiceEntry');
  const spec = se.spec ?? {};
  const resolution = (spec.resolution ?? 'NONE').toUpperCase();
  if (resolution === 'NONE') {
    const version = istiodVersion(view);
    const ztunnel = ztunnelVersion(view);
    if (version && !before128(version)) {
      const lagging = ztunnel && before128(ztunnel);
      return {
        target,
        cause: lagging
          ? `${refText(target)} has resolution NONE; istiod runs ${version.text}, which makes that passthrough, but the ztunnel DaemonSet runs ${ztunnel.text}, which cannot route it.`
          : `${refText(target)} has resolution NONE; istiod runs ${version.text}, which treats that as passthrough to the address the caller dialled, so these lines predate the upgrade or the ztunnel pods that logged them run an older version.`,
        related: [],
        step: lagging
          ? `Upgrade the ztunnel DaemonSet to istiod's version ${version.text}.`
          : 'Check that the ztunnel pods run the same version as istiod (their image tag), and restart the DaemonSet if they do not.',
      };
    }
    return {
      target,
      cause: `${refText(target)} (hosts ${(spec.hosts ?? []).join(', ')}) has resolution NONE${spec.resolution ? '' : ' (the default)'}: before Istio 1.28 ztunnel gives such an entry an address but no endpoint, so every connection to it fails${version ? ` (istiod runs ${version.text})` : ' (the istiod version was not seen)'}.`,
      related: [],
      step: `Give ${refText(target)} resolution DNS (its hosts resolve to the backend) or STATIC with endpoints, or upgrade istiod and ztunnel to Istio 1.28 or later, where resolution NONE passes the connection through.`,
    };
  }
  if (resolution === 'STATIC' && (spec.endpoints ?? []).length === 0) {
    const selector = spec.workloadSelector?.labels;
    if (!selector) {
      return {
        target,
        cause: `${refText(target)} has resolution STATIC with no endpoints and no workloadSelector: nothing backs its address.`,
        related: [],
        step: `Add the backend addresses to ${refText(target)} as endpoints, or a workloadSelector that picks its pods or WorkloadEntries.`,
      };
    }
    const ns = se.metadata?.namespace ?? null;
    const matched = view
      .pods()
      .filter((p) => p.metadata?.namespace === ns && labelsCarry(selector, p.metadata?.labels));
    const entries = view
      .list('WorkloadEntry')
      .filter(
        (w) =>
          w.metadata?.namespace === ns &&
          labelsCarry(selector, (w.spec as { labels?: Record<string, string> } | undefined)?.labels),
      );
    if (view.captured('Pod') && matched.length === 0 && entries.length === 0) {
      return {
        target,
        cause: `The workloadSelector ${Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')} of ${refText(target)} matches no pod and no WorkloadEntry, so it has no endpoint.`,
        related: [],
        step: `Fix the workloadSelector of ${refText(target)} or the labels of the pods or WorkloadEntries it should pick.`,
      };
    }
  }
  return { target, cause: null, related: [] };
}

/** The Service (by cluster IP, else by the host ztunnel logged) or ServiceEntry (by address) behind an address. */
function diagnose(view: ClusterView, addr: string | null, host: string | null): Diagnosis {
  const ip = ipOfAddr(addr);
  const port = portOfAddr(addr);
  const ref = ip ? serviceOfClusterIp(view, ip) : null;
  const byIp = ref ? view.get<Service>('Service', ref.namespace, ref.name) : undefined;
  if (byIp) return serviceCause(view, byIp, port);
  const entry = ip
    ? view
        .list<ServiceEntry>('ServiceEntry')
        .find(
          (se) =>
            (se.spec?.addresses ?? []).some((a) => a === ip || a === `${ip}/32`) ||
            (se.status?.addresses ?? []).some((a) => a.value === ip),
        )
    : undefined;
  if (entry) return serviceEntryCause(view, entry);
  const byHost = host ? serviceOfFqdn(view, host) : undefined;
  if (byHost) return serviceCause(view, byHost, port);
  return { target: null, cause: null, related: [] };
}

function draftOf(view: ClusterView, nowMs: number | null, addr: string, lines: ZtunnelAccessLine[]): Draft {
  const newest = lines[lines.length - 1]!;
  const found = diagnose(view, addr, newest.access.dstService);
  const callers = uniqueRefs(lines.flatMap((a) => sourceOf(view, a).workload ?? []));
  const what = found.target ? `${refText(found.target)} at ${addr}` : addr;
  const facts = [
    `Connections to ${what} refused by ztunnel with "no healthy upstream": ${recordsSeen(lines, nowMs)}.`,
    `Callers: ${sourcesText(view, lines, false)}.`,
    found.cause ??
      (found.target
        ? `The captured objects show no reason: compare ztunnel's view (istioctl ztunnel-config service) with ${refText(found.target)}; its endpoints may have been missing only at the time, or ztunnel's state may lag behind istiod.`
        : `No captured Service cluster IP or ServiceEntry address is ${ipOfAddr(addr) ?? addr}: it may be a ServiceEntry address istiod allocated, or an object that was not read.`),
    `Logged by ${loggedByText(view, lines)}.`,
  ];
  const evidence: EvidenceItem[] = [fromLog(newest.line, `${lines.length} connection(s) refused; latest: `)];
  return {
    resources: uniqueRefs([...(found.target ? [found.target] : []), ...found.related, ...callers]),
    evidence,
    confidence: found.cause ? 0.9 : found.target ? 0.75 : 0.6,
    facts,
    ...(found.step ? { steps: [found.step, VERIFY] } : {}),
  };
}

/**
 * ztunnel refusing outbound connections with `no healthy upstream: ADDR` (its access log, `connection
 * failed`): the destination address is a Service or ServiceEntry ztunnel knows with no endpoint. The address is
 * resolved to the object and the objects explain why (a selectorless Service, a headless one, a ServiceEntry
 * with resolution NONE before Istio 1.28, selected pods none Ready); one finding per destination, naming the
 * callers. Envoy's own "no healthy upstream" (503 UH) is left to the sidecar runbooks.
 */
export const detectAmbientNoHealthyUpstream: Detector = ({ view, nowMs }) => {
  if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs were read', detail: '' };
  const lines = ztunnelAccessLines(view, NO_HEALTHY_UPSTREAM).filter((a) =>
    (a.access.error ?? '').startsWith('no healthy upstream'),
  );
  const byAddr = groupBy(
    lines,
    (a) => a.access.dstAddr ?? /no healthy upstream: (\S+)/.exec(a.access.error ?? '')?.[1] ?? 'unknown',
  );
  return {
    drafts: [...byAddr].map(([addr, group]) => draftOf(view, nowMs, addr, group)),
    detail: `${lines.length} ztunnel "no healthy upstream" record(s) checked against Services and ServiceEntries`,
  };
};
