import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const NS = 'checkout';
const WP = 'checkout-waypoint';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function gateway(o: { programmed?: boolean; address?: boolean; ns?: string; name?: string } = {}): KubeObject {
  const name = o.name ?? WP;
  const ns = o.ns ?? NS;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels: { 'istio.io/waypoint-for': 'service' } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    status: {
      ...(o.address ? { addresses: [{ type: 'IPAddress', value: '10.64.14.37' }] } : {}),
      conditions: [
        o.programmed === false
          ? {
              type: 'Programmed',
              status: 'False',
              reason: 'AddressNotAssigned',
              message: `Failed to assign to any requested addresses: no instances found for hostname "${name}.${ns}.svc.cluster.local"`,
              lastTransitionTime: '2026-12-02T13:58:41Z',
            }
          : { type: 'Programmed', status: 'True', reason: 'Programmed' },
      ],
    },
  };
}

function deployment(replicas: number, ready: number, ns = NS, name = WP): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': name } } },
    status: { replicas, ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}) },
  };
}

function waypointPod(suffix: string, state: 'running' | 'crashing', ns = NS): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${WP}-5b7d9c8f4b-${suffix}`,
      namespace: ns,
      labels: { 'gateway.networking.k8s.io/gateway-name': WP, 'pod-template-hash': '5b7d9c8f4b' },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${WP}-5b7d9c8f4b`, controller: true }],
    },
    spec: { containers: [{ name: 'istio-proxy' }] },
    status:
      state === 'running'
        ? {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
            containerStatuses: [{ name: 'istio-proxy', ready: true, state: { running: {} } }],
          }
        : {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'False' }],
            containerStatuses: [
              {
                name: 'istio-proxy',
                ready: false,
                restartCount: 7,
                state: {
                  waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
                },
                lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
              },
            ],
          },
  };
}

function service(name: string, o: { label?: string; condition?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, labels: o.label ? { 'istio.io/use-waypoint': o.label } : {} },
    spec: { selector: { app: name } },
    status: o.condition ? { conditions: [{ type: 'istio.io/WaypointBound', ...o.condition }] } : {},
  };
}

function appPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-6f9b8c7d5c-d2xkq`,
      namespace: NS,
      labels: { app: name },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${name}-6f9b8c7d5c`, controller: true }],
    },
    spec: { containers: [{ name }] },
    status: { phase: 'Running' },
  };
}

const ambientNs = namespace(NS, { 'istio.io/dataplane-mode': 'ambient' });
const notReady = {
  status: 'False',
  reason: 'WaypointIsNotReady',
  message: `waypoint "${NS}/${WP}" is not ready`,
};

function findings(objects: KubeObject[], entries: Record<string, unknown>[] = [], target?: { namespace: string }) {
  return diagnoseObjects(objects, entries, target ? { namespace: target.namespace, workload: null } : undefined)
    .findings;
}

function finding(objects: KubeObject[], entries: Record<string, unknown>[] = [], target?: { namespace: string }) {
  return findings(objects, entries, target).find((f) => f.runbook === 'waypoint-not-ready');
}

describe('waypoint-not-ready', () => {
  it('reports a waypoint still Programmed whose Deployment has no ready replica, naming what is bound to it', () => {
    const f = finding([
      ambientNs,
      gateway({ address: true }),
      deployment(1, 0),
      waypointPod('r6tqz', 'crashing'),
      service('cart', { label: WP }),
      appPod('cart'),
    ]);

    expect(f?.resources.slice(0, 3)).toEqual([
      { kind: 'Gateway.gateway.networking.k8s.io', namespace: NS, name: WP },
      { kind: 'Deployment', namespace: NS, name: WP },
      { kind: 'Service', namespace: NS, name: 'cart' },
    ]);
    expect(f?.resources).toContainEqual({ kind: 'Deployment', namespace: NS, name: 'cart' });
    const text = f?.remediation.steps.join('\n') ?? '';
    expect(text).toMatch(/has 0 of 1 replica\(s\) ready \(the Gateway still says Programmed=True/);
    expect(text).toMatch(/istio-proxy waiting: CrashLoopBackOff .*last exit OOMKilled \(code 137\), 7 restart\(s\)/);
    expect(text).toMatch(/keeps its address 10\.64\.14\.37, so ztunnel still sends the bound traffic/);
    expect(f?.severity).toBe('warning');
  });

  it('leaves a waypoint alone while it rolls out with at least one ready replica', () => {
    expect(
      finding([
        ambientNs,
        gateway({ address: true }),
        deployment(2, 1),
        waypointPod('r6tqz', 'running'),
        waypointPod('x4pbn', 'crashing'),
        service('cart', { label: WP, condition: { status: 'True', reason: 'WaypointAccepted' } }),
      ]),
    ).toBeUndefined();
  });

  it('reports Programmed=False and the Services that say WaypointIsNotReady, and leaves both to no other runbook', () => {
    const all = findings([
      namespace(NS, { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': WP }),
      gateway({ programmed: false }),
      deployment(1, 0),
      service('cart', { condition: notReady }),
    ]);

    expect(all.map((x) => x.runbook)).toEqual(['waypoint-not-ready']);
    expect(all[0]?.resources).toContainEqual({ kind: 'Namespace', namespace: null, name: NS });
    expect(all[0]?.remediation.steps.join('\n')).toMatch(/has no address \(status\.addresses is empty\)/);
  });

  it('is not the finding for a Service whose waypoint does not exist at all', () => {
    const all = findings([ambientNs, gateway({ name: 'other-waypoint' }), service('cart', { condition: notReady })]);

    expect(all.map((x) => x.runbook)).toEqual(['waypoint-binding-rejected']);
  });

  it("is critical when the waypoint's own access log shows 503s", () => {
    const line =
      '[2026-12-02T14:40:01.120Z] "GET /api/cart HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "curl/8.5.0" "8d1f0c2e-3b4a-4f6e-9c7d-2a1b0e9f8d7c" "cart.checkout.svc.cluster.local:8080" "-" inbound-vip|8080|http|cart.checkout.svc.cluster.local - 10.64.3.88:8080 10.60.0.33:50432 - default';
    const f = finding(
      [
        ambientNs,
        gateway({ address: true }),
        deployment(1, 0),
        waypointPod('r6tqz', 'crashing'),
        service('cart', { label: WP }),
      ],
      [logEntry('2026-12-02T14:40:01.120Z', NS, `${WP}-5b7d9c8f4b-r6tqz`, 'istio-proxy', line)],
    );

    expect(f?.severity).toBe('critical');
    expect(f?.remediation.steps.join('\n')).toMatch(/The waypoint's access log: 1 request\(s\) answered 503 UH/);
  });

  it('reports a waypoint scaled to zero that nothing uses as information only', () => {
    const f = finding([ambientNs, gateway({ address: true }), deployment(0, 0)]);

    expect(f?.severity).toBe('info');
    expect(f?.remediation.steps.join('\n')).toMatch(/is scaled to 0 replicas[\s\S]*Nothing read names this waypoint/);
  });

  it('does not judge the Deployment of a waypoint in a namespace that was not read', () => {
    const shared = gateway({ ns: 'mesh-waypoints', address: true });
    const bound = namespace(NS, { 'istio.io/use-waypoint': WP, 'istio.io/use-waypoint-namespace': 'mesh-waypoints' });

    const cart = deployment(1, 1, NS, 'cart');

    expect(finding([bound, shared, cart], [], { namespace: NS })).toBeUndefined();
    expect(finding([bound, shared, cart])).toBeDefined();
    const f = finding([bound, gateway({ ns: 'mesh-waypoints', programmed: false }), cart], [], { namespace: NS });
    expect(f?.remediation.steps.join('\n')).toMatch(/Deployment and pods in namespace mesh-waypoints were not read/);
  });

  it('reports from the Services alone when Gateways were not read', () => {
    const f = finding([ambientNs, service('cart', { condition: notReady })]);

    expect(f?.resources[0]).toEqual({ kind: 'Gateway.gateway.networking.k8s.io', namespace: NS, name: WP });
    expect(f?.remediation.steps.join('\n')).toMatch(/Gateway API Gateways were not read/);
  });

  it('skips without Gateways and Services', () => {
    const report = diagnoseObjects([ambientNs]);

    expect(report.checks.find((c) => c.id === 'waypoint-not-ready')?.status).toBe('skipped');
  });
});
