import { ClusterView } from '../../src/diagnosis/cluster-view';
import { dataplaneSummary, podDataplane } from '../../src/diagnosis/dataplane';
import type { KubeObject, Pod } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, evidenceOf } from '../helpers/evidence';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pod(
  ns: string,
  name: string,
  o: { labels?: Record<string, string>; annotations?: Record<string, string>; sidecar?: boolean } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name, ...o.labels }, annotations: o.annotations ?? {} },
    spec: { containers: [{ name: 'app' }, ...(o.sidecar ? [{ name: 'istio-proxy' }] : [])] },
    status: { phase: 'Running' },
  } as Pod;
}

function service(ns: string, name: string, selector: Record<string, string>, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector } };
}

const istiod: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'istiod', namespace: 'istio-system' },
  spec: {},
};

function viewOf(objects: KubeObject[]): ClusterView {
  return new ClusterView(evidenceOf(objects));
}

describe('data plane of a pod', () => {
  const objects: KubeObject[] = [
    namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }),
    namespace('legacy', { 'istio-injection': 'enabled' }),
    namespace('plain'),
    service('shop', 'cart', { app: 'cart' }, { 'istio.io/use-waypoint': 'cart-waypoint' }),
    service('shop', 'batch', { app: 'batch' }, { 'istio.io/use-waypoint': 'none' }),
  ];
  const cases: Array<[string, Pod, string, string | null]> = [
    ['a sidecar-injected pod, even in an ambient namespace', pod('shop', 'old', { sidecar: true }), 'sidecar', null],
    ['an ambient pod whose Service names a waypoint', pod('shop', 'cart'), 'ambient-waypoint', 'shop/cart-waypoint'],
    ['an ambient pod under the namespace waypoint', pod('shop', 'web'), 'ambient-waypoint', 'shop/shop-waypoint'],
    [
      'an ambient pod whose own label names a waypoint in another namespace',
      pod('shop', 'api', {
        labels: { 'istio.io/use-waypoint': 'edge', 'istio.io/use-waypoint-namespace': 'gateways' },
      }),
      'ambient-waypoint',
      'gateways/edge',
    ],
    [
      'a pod opting out of the waypoint',
      pod('shop', 'job', { labels: { 'istio.io/use-waypoint': 'none' } }),
      'ambient',
      null,
    ],
    [
      'a pod opting out of ambient',
      pod('shop', 'dns', { labels: { 'istio.io/dataplane-mode': 'none' } }),
      'none',
      null,
    ],
    [
      'a pod istio-cni enrolled in a namespace without the label',
      pod('plain', 'a', { annotations: { 'ambient.istio.io/redirection': 'enabled' } }),
      'ambient',
      null,
    ],
    ['a pod outside the mesh', pod('plain', 'b'), 'none', null],
    ['a pod whose namespace asks for injection but that has no proxy', pod('legacy', 'c'), 'none', null],
  ];

  it.each(cases)('%s', (_what, p, mode, waypoint) => {
    const plane = podDataplane(viewOf([...objects, p]), p);

    expect([plane.mode, plane.waypoint]).toEqual([mode, waypoint]);
  });

  it('keeps the redirection annotation, pending included, for the enrollment checks', () => {
    const pending = pod('shop', 'cart', { annotations: { 'ambient.istio.io/redirection': 'pending' } });

    expect(podDataplane(viewOf([...objects, pending]), pending)).toMatchObject({
      mode: 'ambient-waypoint',
      redirection: 'pending',
      enrolled: true,
    });
  });
});

describe('mesh and data plane summary', () => {
  it('counts the pods of a namespace per data plane and names the waypoints', () => {
    const view = viewOf([
      istiod,
      namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }),
      service('shop', 'cart', { app: 'cart' }, { 'istio.io/use-waypoint': 'waypoint' }),
      pod('shop', 'cart'),
      pod('shop', 'web'),
      pod('shop', 'old', { sidecar: true }),
      pod('other', 'x'),
    ]);

    const summary = dataplaneSummary(view, 'shop');

    expect(summary.mesh).toBe('istiod');
    expect(summary.pods).toEqual({ sidecar: 1, ambient: 1, 'ambient-waypoint': 1, none: 0 });
    expect(summary.text).toBe(
      'Mesh: Istio with istiod in the cluster. Data plane of shop: 1 pod ambient with waypoint shop/waypoint, 1 pod ambient (ztunnel only, no waypoint), 1 pod with a sidecar.',
    );
  });

  it("leaves the control plane's and the platform's pods out of an all-namespaces count", () => {
    const view = viewOf([
      istiod,
      pod('istio-system', 'istiod-1'),
      pod('kube-system', 'coredns-1'),
      pod('shop', 'web', { sidecar: true }),
    ]);

    expect(dataplaneSummary(view, null, ['istio-system']).pods).toEqual({
      sidecar: 1,
      ambient: 0,
      'ambient-waypoint': 0,
      none: 0,
    });
  });

  it("does not count the waypoint's, ztunnel's or istio-cni's own pods as sidecars", () => {
    const proxy = (ns: string, name: string, labels: Record<string, string>, args: string[], owner?: string): Pod =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: ns,
          labels,
          ...(owner ? { ownerReferences: [{ kind: 'DaemonSet', name: owner }] } : {}),
        },
        spec: { containers: [{ name: owner === 'istio-cni-node' ? 'install-cni' : 'istio-proxy', args }] },
        status: { phase: 'Running' },
      }) as Pod;
    const view = viewOf([
      istiod,
      namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint', namespace: 'shop' },
        spec: { gatewayClassName: 'istio-waypoint' },
      },
      pod('shop', 'cart', { annotations: { 'ambient.istio.io/redirection': 'enabled' } }),
      proxy('shop', 'waypoint-6d4b8c7f9b-zq5jc', { 'gateway.networking.k8s.io/gateway-name': 'waypoint' }, [
        'proxy',
        'waypoint',
      ]),
      proxy('istio-system', 'ztunnel-4kq8d', { app: 'ztunnel' }, ['proxy', 'ztunnel'], 'ztunnel'),
      proxy('istio-system', 'istio-cni-node-9rtzw', { 'k8s-app': 'istio-cni-node' }, [], 'istio-cni-node'),
    ]);

    expect(dataplaneSummary(view, 'shop').text).toBe(
      'Mesh: Istio with istiod in the cluster. Data plane of shop: 1 pod ambient with waypoint shop/waypoint.',
    );
    expect(dataplaneSummary(view, 'istio-system').pods).toEqual({
      sidecar: 0,
      ambient: 0,
      'ambient-waypoint': 0,
      none: 0,
    });
  });

  it("says GKE's own ambient networking is not Istio, and does not claim a data plane when pods were not read", () => {
    const gke = dataplaneSummary(viewOf([namespace('gke-managed-ambient'), istiod]), null);
    const unread = dataplaneSummary(viewOf([istiod]), 'shop');

    expect(gke.mesh).toBe('gke-ambient');
    expect(gke.text).toContain("not Istio's ambient mode");
    expect(unread.text).toBe(
      'Mesh: Istio with istiod in the cluster. Data plane of shop: not known (pods were not read).',
    );
  });

  it('is stated by every report, in the JSON too', () => {
    const report = diagnoseObjects(
      [istiod, namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }), pod('shop', 'web')],
      [],
      {
        namespace: 'shop',
        workload: null,
      },
    );

    expect(report.mesh).toEqual({
      kind: 'istiod',
      dataplane: { sidecar: 0, ambient: 1, ambientWaypoint: 0, none: 0 },
      waypoints: [],
      summary: 'Mesh: Istio with istiod in the cluster. Data plane of shop: 1 pod ambient (ztunnel only, no waypoint).',
    });
  });
});
