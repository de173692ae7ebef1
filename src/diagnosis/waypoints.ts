/**
 * Waypoint proxies of ambient mode as the configuration checks read them: the Gateway API Gateways of class
 * istio-waypoint, the objects whose `istio.io/use-waypoint` label names one, and the `istio.io/WaypointBound`
 * condition istiod writes on Services and ServiceEntries.
 */
import type { ClusterView } from './cluster-view';
import { refOf } from './cluster-view';
import { USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL } from './dataplane';
import type { ObjectRef } from './evidence';
import { GATEWAY_API_GROUP, type Condition, type KubeObject } from './kube-types';
import { selectorMatches } from './webhooks';
import { isWaypointGateway } from './ztunnel';

/** The key under which the evidence files Gateway API Gateways (waypoints among them). */
export const GATEWAY_API_GATEWAY = `Gateway.${GATEWAY_API_GROUP}`;
/** The condition istiod writes on a Service or ServiceEntry about its waypoint. */
export const WAYPOINT_BOUND = 'istio.io/WaypointBound';
/** The label saying which traffic a waypoint takes: service (the default), workload, all or none. */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
/** The label istiod puts on the Services and pods it deploys for a waypoint. */
const MANAGED_LABEL = 'gateway.istio.io/managed';
const MESH_CONTROLLER = 'istio.io-mesh-controller';
/** Kinds that carry the WaypointBound condition and may name a waypoint for service traffic. */
export const SERVICE_KINDS = ['Service', 'ServiceEntry'];

export interface GatewayListener {
  name?: string;
  port?: number;
  protocol?: string;
  allowedRoutes?: {
    namespaces?: {
      from?: string;
      selector?: {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
      };
    };
  };
}

/** A Gateway API Gateway, the fields waypoint checks read. */
export interface WaypointGateway extends KubeObject {
  spec?: { gatewayClassName?: string; listeners?: GatewayListener[] };
  status?: { addresses?: { type?: string; value?: string }[]; conditions?: Condition[] };
}

/** An object with status conditions (a Service or ServiceEntry). */
export interface WithConditions extends KubeObject {
  status?: { conditions?: Condition[] };
}

/** `namespace/name` of a waypoint. */
export function waypointKey(namespace: string | null | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** A reference to a waypoint Gateway (filed under the Gateway API kind, never mixed up with Istio's Gateway). */
export function waypointRef(key: string): ObjectRef {
  const slash = key.indexOf('/');
  return { kind: GATEWAY_API_GATEWAY, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The waypoint Gateways read. */
export function waypointGateways(view: ClusterView): WaypointGateway[] {
  return view.list<WaypointGateway>(GATEWAY_API_GATEWAY).filter(isWaypointGateway);
}

/** The Gateway API Gateway of a `namespace/name`, of any class. */
export function gatewayOf(view: ClusterView, key: string): WaypointGateway | undefined {
  const ref = waypointRef(key);
  return view.get<WaypointGateway>(GATEWAY_API_GATEWAY, ref.namespace, ref.name);
}

/** A condition of an object by type. */
export function conditionOf(object: KubeObject, type: string): Condition | undefined {
  return (object as WithConditions).status?.conditions?.find((c) => c.type === type);
}

/**
 * The waypoint an object's own label names, as `namespace/name` (the namespace label, else `defaultNamespace`);
 * `none` when it opts out; null when it names none.
 */
export function labelledWaypoint(object: KubeObject | undefined, defaultNamespace: string): string | 'none' | null {
  const name = object?.metadata?.labels?.[USE_WAYPOINT_LABEL];
  if (!name) return null;
  if (name === 'none') return 'none';
  return waypointKey(object?.metadata?.labels?.[USE_WAYPOINT_NAMESPACE_LABEL] ?? defaultNamespace, name);
}

/** True for the Services (and pods) istiod deploys for a waypoint itself, which never use one. */
export function isWaypointOwn(object: KubeObject): boolean {
  return object.metadata?.labels?.[MANAGED_LABEL] === MESH_CONTROLLER;
}

/** The waypoint a WaypointBound message names (`waypoint "ns/name" ...`), or null. */
export function waypointInMessage(message: string | undefined): string | null {
  const m = /waypoint "([^"/]+\/[^"]+)"/.exec(message ?? '');
  return m?.[1] ?? null;
}

/**
 * The waypoint a Service or ServiceEntry uses and which object says so: its own label, else its namespace's
 * (the object opts out with `none`). Null when neither names one.
 */
export function serviceWaypoint(
  view: ClusterView,
  object: KubeObject,
): { waypoint: string; labelledBy: ObjectRef; labelledObject: KubeObject } | null {
  const namespace = object.metadata?.namespace ?? '';
  const own = labelledWaypoint(object, namespace);
  if (own === 'none' || isWaypointOwn(object)) return null;
  if (own) return { waypoint: own, labelledBy: refOf(object), labelledObject: object };
  const ns = view.get('Namespace', null, namespace);
  const inherited = labelledWaypoint(ns, namespace);
  if (!ns || !inherited || inherited === 'none') return null;
  return { waypoint: inherited, labelledBy: refOf(ns, 'Namespace'), labelledObject: ns };
}

/** The traffic a waypoint accepts: its `istio.io/waypoint-for` label, else its GatewayClass's (when read), else service. */
export function waypointFor(view: ClusterView, gateway: WaypointGateway): string {
  const own = gateway.metadata?.labels?.[WAYPOINT_FOR_LABEL];
  if (own) return own;
  const className = gateway.spec?.gatewayClassName ?? '';
  return view.get('GatewayClass', null, className)?.metadata?.labels?.[WAYPOINT_FOR_LABEL] ?? 'service';
}

/** The listener whose allowedRoutes decide who may bind: the HBONE listener on 15008. */
export function hboneListener(gateway: WaypointGateway): GatewayListener | undefined {
  return (gateway.spec?.listeners ?? []).find((l) => l.protocol === 'HBONE' && l.port === 15008);
}

/**
 * Whether a waypoint's allowedRoutes admit objects of a namespace, as istiod decides it from the HBONE listener
 * (no listener or no allowedRoutes: Same). Null when it cannot be told (a selector and the namespace was not read).
 * `rule` says what the listener allows, for the report.
 */
export function admits(
  view: ClusterView,
  gateway: WaypointGateway,
  namespace: string,
): { allowed: boolean | null; rule: string } {
  const listener = hboneListener(gateway);
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  const where = listener
    ? `listener ${listener.name ?? '?'} (port 15008, HBONE)`
    : 'no HBONE listener on port 15008, so the default';
  const own = gateway.metadata?.namespace ?? '';
  if (from === 'All') return { allowed: true, rule: `${where} allows All namespaces` };
  if (from === 'Selector') {
    const selector = listener?.allowedRoutes?.namespaces?.selector ?? {};
    const text = `${where} allows namespaces selected by ${JSON.stringify(selector)}`;
    const ns = view.get('Namespace', null, namespace);
    if (!ns) return { allowed: null, rule: text };
    return { allowed: selectorMatches(selector, ns.metadata?.labels ?? {}), rule: text };
  }
  const rule = listener?.allowedRoutes?.namespaces?.from
    ? `${where} allows the Same namespace (${own}) only`
    : `${where} allows the Same namespace (${own}) only (allowedRoutes not set)`;
  return { allowed: namespace === own, rule };
}

/** Whether a waypoint taking `waypointFor` traffic serves objects binding `traffic` (service or workload). */
export function carries(waypointFor: string, traffic: 'service' | 'workload'): boolean {
  return waypointFor === 'all' || waypointFor === traffic;
}
