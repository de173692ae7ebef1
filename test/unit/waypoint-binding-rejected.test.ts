import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

function waypoint(
  ns: string,
  name: string,
  o: { traffic?: string; allowed?: Record<string, unknown>; listener?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels: o.traffic ? { 'istio.io/waypoint-for': o.traffic } : {} },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners:
        o.listener === false
          ? []
          : [
              {
                name: 'mesh',
                port: 15008,
                protocol: 'HBONE',
                allowedRoutes: { namespaces: o.allowed ?? { from: 'Same' } },
              },
            ],
    },
    status: {
      addresses: [{ type: 'IPAddress', value: '10.64.20.9' }],
      conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed' }],
    },
  };
}

function service(
  ns: string,
  name: string,
  o: { labels?: Record<string, string>; condition?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: o.labels ?? {} },
    spec: { selector: { app: name } },
    status: o.condition ? { conditions: [{ type: 'istio.io/WaypointBound', ...o.condition }] } : {},
  };
}

function pod(ns: string, app: string, labels: Record<string, string>, sidecar = false): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-84f9c6d7b5-b9pkw`,
      namespace: ns,
      labels: { app, ...labels },
      annotations: sidecar ? {} : { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${app}-84f9c6d7b5`, controller: true }],
    },
    spec: { containers: [{ name: app }, ...(sidecar ? [{ name: 'istio-proxy' }] : [])] },
    status: { phase: 'Running' },
  };
}

function findings(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === 'waypoint-binding-rejected');
}

const denied = {
  status: 'False',
  reason: 'AttachmentDenied',
  message: 'we are not permitted to attach to waypoint "mesh-waypoints/shared" (missing allowedRoutes?)',
};
const useShared = { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'mesh-waypoints' };

describe('waypoint-binding-rejected', () => {
  it('reports AttachmentDenied on Services under the namespace label that names the waypoint, with the listener rule and the policies left out', () => {
    const policy: KubeObject = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'api-writers', namespace: 'orders' },
      spec: { targetRefs: [{ kind: 'Service', group: '', name: 'api' }], action: 'ALLOW', rules: [{}] },
    };
    const [f, ...more] = findings([
      namespace('mesh-waypoints'),
      namespace('orders', { 'istio.io/dataplane-mode': 'ambient', ...useShared }),
      waypoint('mesh-waypoints', 'shared'),
      service('orders', 'api', { condition: denied }),
      service('orders', 'worker', { condition: denied }),
      policy,
    ]);

    expect(more).toEqual([]);
    expect(f?.resources.slice(0, 4)).toEqual([
      { kind: 'Namespace', namespace: null, name: 'orders' },
      { kind: 'Gateway.gateway.networking.k8s.io', namespace: 'mesh-waypoints', name: 'shared' },
      { kind: 'Service', namespace: 'orders', name: 'api' },
      { kind: 'Service', namespace: 'orders', name: 'worker' },
    ]);
    const text = f?.remediation.steps.join('\n') ?? '';
    expect(text).toMatch(/listener mesh \(port 15008, HBONE\) allows the Same namespace \(mesh-waypoints\) only/);
    expect(text).toMatch(
      /Not applied to this traffic while it skips the waypoint: AuthorizationPolicy orders\/api-writers/,
    );
  });

  it("is reported to the waypoint's own namespace too, where its allowedRoutes are fixed", () => {
    const objects = [
      namespace('orders', useShared),
      waypoint('mesh-waypoints', 'shared'),
      service('orders', 'api', { condition: denied }),
    ];
    const scoped = (namespace: string) =>
      diagnoseObjects(objects, [], { namespace, workload: null }).findings.filter(
        (f) => f.runbook === 'waypoint-binding-rejected',
      );

    expect(scoped('mesh-waypoints')).toHaveLength(1);
    expect(scoped('orders')).toHaveLength(1);
    expect(scoped('billing')).toEqual([]);
  });

  it("reads UnsupportedTrafficType on a Service's own label, and an allowedRoutes selector", () => {
    const [f] = findings([
      namespace('mesh-waypoints'),
      namespace('orders', { team: 'orders' }),
      waypoint('mesh-waypoints', 'shared', {
        traffic: 'workload',
        allowed: { from: 'Selector', selector: { matchLabels: { team: 'orders' } } },
      }),
      service('orders', 'api', {
        labels: useShared,
        condition: {
          status: 'False',
          reason: 'UnsupportedTrafficType',
          message:
            'attempting to bind to traffic type "service" which the waypoint "mesh-waypoints/shared" does not support',
        },
      }),
    ]);

    expect(f?.resources[0]).toEqual({ kind: 'Service', namespace: 'orders', name: 'api' });
    const text = f?.remediation.steps.join('\n') ?? '';
    expect(text).toMatch(/istio\.io\/waypoint-for=workload: it does not take service traffic/);
    expect(text).not.toMatch(/may not attach/);
  });

  it('reports labels naming a waypoint that does not exist, from the status and from the objects', () => {
    const [fromStatus, fromLabel] = findings([
      namespace('orders', { 'istio.io/use-waypoint': 'waypiont' }),
      waypoint('orders', 'waypoint'),
      service('orders', 'api', {
        condition: {
          status: 'False',
          reason: 'WaypointIsNotReady',
          message: 'waypoint "orders/waypiont" is not ready',
        },
      }),
      service('billing', 'ledger', { labels: { 'istio.io/use-waypoint': 'gone' } }),
    ]);

    expect(fromStatus?.resources[0]).toEqual({ kind: 'Namespace', namespace: null, name: 'orders' });
    expect(fromStatus?.remediation.steps.join('\n')).toMatch(/No Gateway orders\/waypiont exists/);
    expect(fromLabel?.resources[0]).toEqual({ kind: 'Service', namespace: 'billing', name: 'ledger' });
    expect(fromLabel?.confidence).toBeLessThan(fromStatus?.confidence ?? 0);
  });

  it('reports ambient pods whose own label names a waypoint for service traffic, not sidecar pods, nor a waypoint for all', () => {
    const label = { 'istio.io/use-waypoint': 'inventory-waypoint' };
    const objects = [
      namespace('inventory', { 'istio.io/dataplane-mode': 'ambient' }),
      pod('inventory', 'stock-sync', label),
    ];

    const [f] = findings([...objects, waypoint('inventory', 'inventory-waypoint')]);
    expect(f?.resources[0]).toEqual({ kind: 'Deployment', namespace: 'inventory', name: 'stock-sync' });
    expect(f?.remediation.steps[0]).toMatch(
      /^1 pod\(s\) of Deployment inventory\/stock-sync carry istio\.io\/use-waypoint=inventory-waypoint/,
    );
    expect(f?.remediation.steps.join('\n')).toMatch(/no istio\.io\/waypoint-for label, so it takes service traffic/);

    expect(findings([...objects, waypoint('inventory', 'inventory-waypoint', { traffic: 'all' })])).toEqual([]);
    expect(
      findings([
        namespace('inventory'),
        pod('inventory', 'stock-sync', label, true),
        waypoint('inventory', 'inventory-waypoint'),
      ]),
    ).toEqual([]);
  });

  it('trusts a WaypointBound=True over what the objects suggest, ignores reasons that are no refusal, and needs the namespace to judge a selector', () => {
    const selectorWaypoint = waypoint('mesh-waypoints', 'shared', {
      allowed: { from: 'Selector', selector: { matchLabels: { team: 'orders' } } },
    });

    expect(
      findings([
        namespace('orders', useShared),
        waypoint('mesh-waypoints', 'shared'),
        service('orders', 'api', { condition: { status: 'True', reason: 'WaypointAccepted' } }),
      ]),
    ).toEqual([]);
    expect(
      findings([
        namespace('orders', useShared),
        waypoint('mesh-waypoints', 'shared', { allowed: { from: 'All' } }),
        service('orders', 'api', {
          condition: {
            status: 'False',
            reason: 'CanaryInvalidWeight',
            message: 'canary waypoint "mesh-waypoints/shared-v2" has an invalid weight; must be an integer in [0,100]',
          },
        }),
      ]),
    ).toEqual([]);
    expect(findings([selectorWaypoint, service('orders', 'api', { labels: useShared })])).toEqual([]);
    expect(
      findings([namespace('orders'), selectorWaypoint, service('orders', 'api', { labels: useShared })]),
    ).toHaveLength(1);
  });

  it('reports a label naming a Gateway that is not a waypoint when istiod calls it not ready', () => {
    const ingress: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'orders' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    };
    const all = diagnoseObjects([
      ingress,
      service('orders', 'api', {
        labels: { 'istio.io/use-waypoint': 'edge' },
        condition: { status: 'False', reason: 'WaypointIsNotReady', message: 'waypoint "orders/edge" is not ready' },
      }),
    ]).findings;

    expect(all.map((f) => f.runbook)).toEqual(['waypoint-binding-rejected']);
    expect(all[0]?.remediation.steps.join('\n')).toMatch(/Gateway orders\/edge is of class istio, not istio-waypoint/);
  });

  it('skips without Services and Gateways', () => {
    const report = diagnoseObjects([namespace('orders', useShared)]);

    expect(report.checks.find((c) => c.id === 'waypoint-binding-rejected')?.status).toBe('skipped');
  });
});
