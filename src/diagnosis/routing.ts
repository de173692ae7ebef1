import type { ClusterView } from './cluster-view';
import { refOf } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { KubeObject, Pod, Service } from './kube-types';

/** The cluster DNS domain Istio appends to short names (its default; the mesh config can set another). */
export const CLUSTER_DOMAIN = 'cluster.local';

export interface Destination {
  host?: string;
  subset?: string;
  port?: { number?: number };
}

interface RouteDestination {
  destination?: Destination;
  weight?: number;
}

export interface HttpRoute {
  name?: string;
  match?: unknown[];
  route?: RouteDestination[];
  mirror?: Destination;
  mirrors?: { destination?: Destination }[];
}

export interface RoutingVirtualService extends KubeObject {
  spec?: {
    hosts?: string[];
    gateways?: string[];
    exportTo?: string[];
    http?: HttpRoute[];
    tcp?: { match?: unknown[]; route?: RouteDestination[] }[];
    tls?: { match?: unknown[]; route?: RouteDestination[] }[];
  };
}

export interface Subset {
  name?: string;
  labels?: Record<string, string>;
}

export interface DestinationRule extends KubeObject {
  spec?: { host?: string; subsets?: Subset[]; exportTo?: string[]; workloadSelector?: unknown };
}

export interface ServiceEntry extends KubeObject {
  spec?: {
    hosts?: string[];
    ports?: { number?: number; name?: string; protocol?: string }[];
    exportTo?: string[];
    location?: string;
    resolution?: string;
  };
}

/**
 * The FQDN Istio makes of a host written in an object of this namespace: a name without a dot becomes
 * `name.namespace.svc.cluster.local`; anything with a dot (even `reviews.bookinfo`) and `*` are kept as written.
 */
export function fqdnOf(host: string, namespace: string | null): string {
  if (host === '*' || host.includes('.') || !namespace || /^[0-9a-fA-F:]+$/.test(host)) return host;
  return `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** True when a host pattern (maybe `*.example.com` or `*`) covers a host. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return false;
}

/** True when an object with this `exportTo` (Istio `.`, `*`, `~` or namespace names) in `owner` is seen from `from`. */
export function exportedTo(
  exportTo: readonly string[] | undefined,
  owner: string | null,
  from: string | null,
): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || (e === '.' && owner === from) || e === from);
}

function serviceExportTo(svc: Service): string[] | undefined {
  const value = svc.metadata?.annotations?.['networking.istio.io/exportTo'];
  return value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;
}

/** What provides a host: a Kubernetes Service (by `name.namespace.svc.cluster.local`) or ServiceEntries. */
export interface HostProvider {
  service: Service | null;
  serviceEntries: ServiceEntry[];
}

/** The Service whose FQDN this is (regardless of visibility). */
export function serviceOfFqdn(view: ClusterView, fqdn: string): Service | undefined {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return undefined;
  return view.get<Service>('Service', parts[1] ?? null, parts[0] ?? '');
}

/** The Service and ServiceEntries that provide an FQDN to config of namespace `from` (exportTo applied). */
export function providersOf(view: ClusterView, fqdn: string, from: string | null): HostProvider {
  const svc = serviceOfFqdn(view, fqdn);
  const service = svc && exportedTo(serviceExportTo(svc), svc.metadata?.namespace ?? null, from) ? svc : null;
  const serviceEntries = view
    .list<ServiceEntry>('ServiceEntry')
    .filter(
      (se) =>
        (se.spec?.hosts ?? []).some((h) => hostMatches(h, fqdn) || hostMatches(fqdn, h)) &&
        exportedTo(se.spec?.exportTo, se.metadata?.namespace ?? null, from),
    );
  return { service, serviceEntries };
}

/** True when the host is provided at all (Service or ServiceEntry). */
export function isProvided(p: HostProvider): boolean {
  return p.service !== null || p.serviceEntries.length > 0;
}

/** The ports a host's providers offer. */
export function providedPorts(p: HostProvider): number[] {
  const ports = [
    ...(p.service?.spec?.ports ?? []).map((x) => x.port),
    ...p.serviceEntries.flatMap((se) => (se.spec?.ports ?? []).map((x) => x.number)),
  ];
  return [...new Set(ports.filter((x): x is number => typeof x === 'number'))];
}

/** DestinationRules whose host covers the FQDN and that config of namespace `from` sees. */
export function destinationRulesFor(view: ClusterView, fqdn: string, from: string | null): DestinationRule[] {
  return view.list<DestinationRule>('DestinationRule').filter((dr) => {
    const ns = dr.metadata?.namespace ?? null;
    const host = dr.spec?.host;
    return !!host && hostMatches(fqdnOf(host, ns), fqdn) && exportedTo(dr.spec?.exportTo, ns, from);
  });
}

/** One destination named by a VirtualService, with where it is written. */
export interface NamedDestination {
  destination: Destination;
  /** `spec.http[0].route[1].destination`, `spec.http[2].mirror`, ... */
  path: string;
  /** The http route's name when it has one. */
  routeName: string | null;
  /** The destination's host made an FQDN in the VirtualService's namespace. */
  fqdn: string;
}

/** Every destination a VirtualService names: http, tcp and tls routes, mirrors. */
export function destinationsOf(vs: RoutingVirtualService): NamedDestination[] {
  const ns = vs.metadata?.namespace ?? null;
  const out: NamedDestination[] = [];
  const add = (destination: Destination | undefined, path: string, routeName: string | null) => {
    if (destination?.host) out.push({ destination, path, routeName, fqdn: fqdnOf(destination.host, ns) });
  };
  (vs.spec?.http ?? []).forEach((http, i) => {
    const name = http.name ?? null;
    (http.route ?? []).forEach((r, j) => add(r.destination, `spec.http[${i}].route[${j}].destination`, name));
    add(http.mirror, `spec.http[${i}].mirror`, name);
    (http.mirrors ?? []).forEach((m, j) => add(m.destination, `spec.http[${i}].mirrors[${j}].destination`, name));
  });
  for (const kind of ['tcp', 'tls'] as const) {
    (vs.spec?.[kind] ?? []).forEach((rule, i) =>
      (rule.route ?? []).forEach((r, j) => add(r.destination, `spec.${kind}[${i}].route[${j}].destination`, null)),
    );
  }
  return out;
}

/** The gateways a VirtualService applies to (`mesh` when none is named). */
export function gatewaysOf(vs: RoutingVirtualService): string[] {
  const gateways = vs.spec?.gateways ?? [];
  return gateways.length === 0 ? ['mesh'] : gateways;
}

/** True when the labels carry every key and value of the selector (an empty selector selects all). */
export function labelsCarry(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Running (not finished) pods a Service selects. */
export function podsOfService(view: ClusterView, svc: Service): Pod[] {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const ns = svc.metadata?.namespace ?? null;
  return view
    .podsIn(ns)
    .filter(
      (p) =>
        p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && labelsCarry(selector, p.metadata?.labels),
    );
}

/** Pods among these whose labels carry every label of the subset. */
export function podsOfSubset(pods: Pod[], subset: Subset): Pod[] {
  return pods.filter((p) => labelsCarry(subset.labels ?? {}, p.metadata?.labels));
}

/** The workloads (Deployment, ...) of some pods, each once. */
export function workloadsOfPods(view: ClusterView, pods: Pod[]): ObjectRef[] {
  const out = new Map<string, ObjectRef>();
  for (const pod of pods) {
    const ref = view.workloadOfPod(pod);
    out.set(`${ref.kind}/${ref.namespace}/${ref.name}`, ref);
  }
  return [...out.values()];
}

/** The workloads behind a Service (through the pods it selects). */
export function workloadsOfService(view: ClusterView, svc: Service): ObjectRef[] {
  return workloadsOfPods(view, podsOfService(view, svc));
}

/** VirtualServices, DestinationRules, ... of the target namespace (all when the target names none). */
export function inNamespace<T extends KubeObject>(view: ClusterView, kind: string, namespace: string | null): T[] {
  return view.list<T>(kind).filter((o) => !namespace || o.metadata?.namespace === namespace);
}

/** When an object was created and whether its spec changed since, for findings about configuration. */
export function changeFact(object: KubeObject, kind: string): string | null {
  const created = object.metadata?.creationTimestamp;
  if (!created) return null;
  const ref = refOf(object, kind);
  const generation = object.metadata?.generation ?? 1;
  const since = generation > 1 ? `, and its spec has changed since (generation ${generation})` : '';
  return `${ref.kind} ${ref.namespace ?? ''}/${ref.name} was created at ${created}${since}.`;
}
