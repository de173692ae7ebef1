import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import type { Service } from './kube-types';
import { ipOf, resolveAddress, serviceOfHost, workloadOfService } from './services';

/** The service an application called, as found in its own log line. */
export interface CalledService {
  /** `name.namespace.svc.cluster.local` for a Service, else the address as written. */
  host: string;
  namespace: string | null;
  service: ObjectRef | null;
  workload: ObjectRef | null;
}

/** `http(s)://HOST[:PORT]` in a URL an HTTP client logged (Go, Java, Node.js and Python clients all print it). */
const URL_HOST = /\bhttps?:\/\/([A-Za-z0-9.-]+(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)/g;
/** A bare Kubernetes service address, `name.namespace[.svc[.cluster.local]]:port` (gRPC targets, Redis URLs). */
const SERVICE_ADDRESS =
  /\b([a-z0-9]([a-z0-9-]*[a-z0-9])?\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.svc(\.cluster\.local)?)?:[0-9]{2,5})\b/g;

/** The hosts a line names, URL hosts first. */
function hostsIn(text: string): string[] {
  return [
    ...[...text.matchAll(URL_HOST)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(SERVICE_ADDRESS)].map((m) => m[1] ?? ''),
  ].filter((h) => h.length > 0);
}

/** The Service (and its workload) a host names, when the evidence has it (or Services were not captured at all). */
function calledService(view: ClusterView, host: string, line: LogLine): CalledService | null {
  if (ipOf(host)) {
    const resolved = resolveAddress(view, host, line.ms);
    if (!resolved) return null;
    const service = resolved.service;
    return {
      host: service ? `${service.name}.${service.namespace}.svc.cluster.local` : host,
      namespace: service?.namespace ?? resolved.workload?.namespace ?? null,
      service,
      workload: resolved.workload,
    };
  }
  const svc = serviceOfHost(host, line.namespace);
  if (!svc?.namespace) return null;
  const exists = view.get<Service>('Service', svc.namespace, svc.name);
  if (!exists && view.captured('Service')) return null;
  return {
    host: `${svc.name}.${svc.namespace}.svc.cluster.local`,
    namespace: svc.namespace,
    service: { kind: 'Service', namespace: svc.namespace, name: svc.name },
    workload: workloadOfService(view, svc.namespace, svc.name),
  };
}

/**
 * The in-cluster service an application's own log line says it called (a URL, a service address or an IP),
 * or null when the line names none the evidence knows.
 */
export function serviceCalledIn(view: ClusterView, line: LogLine): CalledService | null {
  for (const host of hostsIn(line.text)) {
    const found = calledService(view, host, line);
    if (found) return found;
  }
  return null;
}
