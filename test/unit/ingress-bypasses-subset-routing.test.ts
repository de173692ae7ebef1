import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'ingress-bypasses-subset-routing';

function vs(name: string, gateways: string[] | null, route: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'bookinfo' },
    spec: {
      hosts: [name === 'reviews' ? 'reviews' : 'bookinfo.example.com'],
      ...(gateways ? { gateways } : {}),
      http: [{ route }],
    },
  };
}

const split = vs('reviews', null, [
  { destination: { host: 'reviews', subset: 'v1' }, weight: 95 },
  { destination: { host: 'reviews', subset: 'v2' }, weight: 5 },
]);

function found(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('ingress-bypasses-subset-routing', () => {
  it('finds a gateway route to the whole host that the mesh splits, with the split', () => {
    const [f] = found([
      split,
      vs('ingress', ['bookinfo-gateway'], [{ destination: { host: 'reviews.bookinfo.svc.cluster.local' } }]),
    ]);

    expect(f?.remediation.steps[0]).toBe(
      'VirtualService bookinfo/ingress (gateways bookinfo-gateway) spec.http[0].route[0].destination sends reviews.bookinfo.svc.cluster.local to the whole Service, while VirtualService bookinfo/reviews splits it by subset (v1 95%, v2 5%) for the mesh only.',
    );
    expect(f?.severity).toBe('warning');
  });

  it('says nothing when the gateway route has the subsets, or the VirtualService also applies to the mesh', () => {
    expect(
      found([split, vs('ingress', ['bookinfo-gateway'], [{ destination: { host: 'reviews', subset: 'v1' } }])]),
    ).toEqual([]);
    expect(found([split, vs('ingress', ['bookinfo-gateway', 'mesh'], [{ destination: { host: 'reviews' } }])])).toEqual(
      [],
    );
    expect(found([split, vs('ingress', ['bookinfo-gateway'], [{ destination: { host: 'productpage' } }])])).toEqual([]);
  });
});
