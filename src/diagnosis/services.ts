import type { ClusterView } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { Endpoints, Pod, Service, Workload } from './kube-types';
import { toMs } from '../util/time';
import { hboneTarget } from './access-log';

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** The workload behind a Service: a Deployment/StatefulSet whose pod template its selector matches. */
export function workloadOfService(view: ClusterView, namespace: string, name: string): ObjectRef | null {
  const svc = view.get<Service>('Service', namespace, name);
  const selector = svc?.spec?.selector;
  if (!selector) return null;
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    const found = view
      .inNamespace<Workload>(kind, namespace)
      .find((w) => matches(selector, w.spec?.template?.metadata?.labels));
    if (found) return { kind, namespace, name: found.metadata?.name ?? '' };
  }
  const pod = view.inNamespace<Pod>('Pod', namespace).find((p) => matches(selector, p.metadata?.labels));
  return pod ? view.workloadOfPod(pod) : null;
}

/** Splits `name.namespace.svc.cluster.local[:port]` (or a short name) into service and namespace. */
export function serviceOfHost(
  host: string,
  defaultNamespace: string | null,
): { name: string; namespace: string | null } | null {
  const bare = host.replace(/:[0-9]+$/, '');
  if (/^[0-9.]+$/.test(bare) || bare.length === 0) return null;
  const parts = bare.split('.');
  const name = parts[0] ?? '';
  if (parts.length === 1) return { name, namespace: defaultNamespace };
  if (parts.length >= 2 && (parts.length === 2 || parts[2] === 'svc'))
    return { name, namespace: parts[1] ?? defaultNamespace };
  return null;
}

/**
 * The IP of `ip:port` (or `[v6]:port`, a bare IP, or an HBONE upstream `envoy://connect_originate/ip:port`);
 * null when the text is not an IP address.
 */
export function ipOf(address: string): string | null {
  const bare = hboneTarget(address) ?? address;
  const v6 = /^\[([0-9a-fA-F:]+)\](?::[0-9]+)?$/.exec(bare);
  if (v6?.[1]) return v6[1];
  const v4 = /^((?:[0-9]{1,3}\.){3}[0-9]{1,3})(?::[0-9]+)?$/.exec(bare);
  return v4?.[1] ?? null;
}

/**
 * The pod (running or pending) that has this IP, skipping hostNetwork pods, which share the node's IP, and,
 * given the time of the line that names the IP, pods started after it (the IP then belonged to another pod).
 */
export function podOfIp(view: ClusterView, ip: string, atMs: number | null = null): Pod | undefined {
  return view
    .pods()
    .find(
      (p) =>
        !p.spec?.hostNetwork &&
        !(atMs !== null && (toMs(p.status?.startTime) ?? -Infinity) > atMs) &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed' &&
        (p.status?.podIP === ip ||
          (p.status as { podIPs?: { ip?: string }[] } | undefined)?.podIPs?.some((a) => a.ip === ip)),
    );
}

/** The Service whose ClusterIP this is. */
export function serviceOfClusterIp(view: ClusterView, ip: string): ObjectRef | null {
  const svc = view
    .list<Service>('Service')
    .find(
      (s) => s.spec?.clusterIP === ip || (s.spec as { clusterIPs?: string[] } | undefined)?.clusterIPs?.includes(ip),
    );
  return svc ? { kind: 'Service', namespace: svc.metadata?.namespace ?? null, name: svc.metadata?.name ?? '' } : null;
}

/** The pod an Endpoints object lists at this IP (by its targetRef), for pods that were not captured themselves. */
function endpointPod(view: ClusterView, ip: string): { namespace: string | null; name: string } | null {
  for (const ep of view.list<Endpoints>('Endpoints')) {
    for (const subset of ep.subsets ?? []) {
      const all = [...(subset.addresses ?? []), ...(subset.notReadyAddresses ?? [])] as {
        ip?: string;
        targetRef?: { kind?: string; name?: string; namespace?: string };
      }[];
      const hit = all.find((a) => a.ip === ip && a.targetRef?.kind === 'Pod' && a.targetRef.name);
      if (hit?.targetRef?.name)
        return { namespace: hit.targetRef.namespace ?? ep.metadata?.namespace ?? null, name: hit.targetRef.name };
    }
  }
  return null;
}

/**
 * What an address in a log line is: a Service (by its ClusterIP, with the workload behind it) or a pod (by
 * its IP, directly or through the Endpoints that list it, with its workload). Null when nothing captured has it.
 */
export function resolveAddress(
  view: ClusterView,
  address: string,
  atMs: number | null = null,
): { service: ObjectRef | null; workload: ObjectRef | null; pod: ObjectRef | null } | null {
  const ip = ipOf(address);
  if (!ip) return null;
  const service = serviceOfClusterIp(view, ip);
  if (service) {
    return { service, workload: workloadOfService(view, service.namespace ?? '', service.name), pod: null };
  }
  const pod = podOfIp(view, ip, atMs);
  if (pod) {
    const ref: ObjectRef = { kind: 'Pod', namespace: pod.metadata?.namespace ?? null, name: pod.metadata?.name ?? '' };
    return { service: null, workload: view.workloadOfPod(pod), pod: ref };
  }
  const listed = endpointPod(view, ip);
  if (listed) {
    return {
      service: null,
      workload: view.workloadOfPodName(listed.namespace, listed.name),
      pod: { kind: 'Pod', ...listed },
    };
  }
  return null;
}
