/**
 * How Istio decides the protocol of a Service port (its protocol selection rules): `appProtocol` first,
 * then the port name `<protocol>[-<suffix>]`; a port declaring neither is sniffed. Pure functions over
 * Service and Pod objects.
 */
import type { ClusterView } from './cluster-view';
import type { KubeObject, Pod } from './kube-types';
import { hasSidecar } from './pod-facts';

/** A Service port with the fields protocol selection reads. */
export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

/** A Service with the fields the port checks read. */
export interface PortedService extends KubeObject {
  spec?: {
    type?: string;
    externalName?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
  };
}

/** Protocols Istio takes from a port name prefix or an `appProtocol` value. */
const ISTIO_PROTOCOLS = ['grpc', 'grpc-web', 'http', 'http2', 'https', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

/** Kubernetes' own `appProtocol` values that Istio maps to a protocol. */
const KUBERNETES_APP_PROTOCOLS: Record<string, string> = {
  'kubernetes.io/h2c': 'http2',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'https',
};

/** A protocol a well-known port number makes evident, and whether the server speaks first. */
export interface WellKnownPort {
  service: string;
  appProtocol: string;
  serverFirst: boolean;
}

/**
 * Well-known ports whose protocol is not in doubt. Server-first protocols (the server sends a greeting
 * before the client writes anything) hang under protocol sniffing, which waits for the client's bytes.
 */
export const WELL_KNOWN_PORTS: ReadonlyMap<number, WellKnownPort> = new Map([
  [21, { service: 'FTP', appProtocol: 'tcp', serverFirst: true }],
  [22, { service: 'SSH', appProtocol: 'tcp', serverFirst: true }],
  [25, { service: 'SMTP', appProtocol: 'tcp', serverFirst: true }],
  [110, { service: 'POP3', appProtocol: 'tcp', serverFirst: true }],
  [143, { service: 'IMAP', appProtocol: 'tcp', serverFirst: true }],
  [587, { service: 'SMTP submission', appProtocol: 'tcp', serverFirst: true }],
  [3306, { service: 'MySQL', appProtocol: 'tcp', serverFirst: true }],
  [4222, { service: 'NATS', appProtocol: 'tcp', serverFirst: true }],
  [2181, { service: 'ZooKeeper', appProtocol: 'tcp', serverFirst: false }],
  [5432, { service: 'PostgreSQL', appProtocol: 'tcp', serverFirst: false }],
  [5672, { service: 'AMQP', appProtocol: 'tcp', serverFirst: false }],
  [6379, { service: 'Redis', appProtocol: 'tcp', serverFirst: false }],
  [9042, { service: 'Cassandra', appProtocol: 'tcp', serverFirst: false }],
  [9092, { service: 'Kafka', appProtocol: 'tcp', serverFirst: false }],
  [11211, { service: 'Memcached', appProtocol: 'tcp', serverFirst: false }],
  [27017, { service: 'MongoDB', appProtocol: 'tcp', serverFirst: false }],
]);

/** The protocol a port name declares (`http`, `http-web`, `grpc-web`), or null. */
export function protocolOfName(name: string | undefined): string | null {
  if (!name) return null;
  const lower = name.toLowerCase();
  if (lower === 'grpc-web' || lower.startsWith('grpc-web-')) return 'grpc-web';
  const prefix = lower.split('-')[0] ?? '';
  return ISTIO_PROTOCOLS.includes(prefix) ? prefix : null;
}

/** The protocol an `appProtocol` value declares to Istio, or null when Istio does not know the value. */
export function protocolOfAppProtocol(appProtocol: string | undefined): string | null {
  if (!appProtocol) return null;
  const lower = appProtocol.toLowerCase();
  return KUBERNETES_APP_PROTOCOLS[lower] ?? (ISTIO_PROTOCOLS.includes(lower) ? lower : null);
}

/** The protocol Istio gives a Service port, and where it comes from; `sniffed` when nothing declares one. */
export function declaredProtocol(
  port: ServicePort,
): { protocol: string; from: 'appProtocol' | 'name' | 'transport' } | { protocol: 'sniffed' } {
  if (port.protocol && port.protocol.toUpperCase() !== 'TCP') {
    return { protocol: port.protocol.toLowerCase(), from: 'transport' };
  }
  const app = protocolOfAppProtocol(port.appProtocol);
  if (app) return { protocol: app, from: 'appProtocol' };
  const named = protocolOfName(port.name);
  if (named) return { protocol: named, from: 'name' };
  return { protocol: 'sniffed' };
}

/** `name (port N)` or `port N` for messages. */
export function portLabel(port: ServicePort): string {
  return port.name ? `${port.name} (port ${port.port ?? '?'})` : `port ${port.port ?? '?'}`;
}

/** Namespaces holding at least one pod with an Istio sidecar. */
export function meshedNamespaces(view: ClusterView): Set<string> {
  return new Set(
    view
      .pods()
      .filter((p) => hasSidecar(p))
      .map((p) => p.metadata?.namespace ?? ''),
  );
}

/** The container port a Service port's targetPort lands on in one pod: its name and number. */
export function targetContainerPort(
  pod: Pod | undefined,
  port: ServicePort,
): { name?: string; containerPort?: number } | null {
  const target = port.targetPort ?? port.port;
  const containers = (pod?.spec?.containers ?? []) as { ports?: { name?: string; containerPort?: number }[] }[];
  for (const container of containers) {
    for (const p of container.ports ?? []) {
      if (typeof target === 'string' ? p.name === target : p.containerPort === target) return p;
    }
  }
  return null;
}
