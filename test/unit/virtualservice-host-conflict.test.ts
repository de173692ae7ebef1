import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'virtualservice-host-conflict';

function vs(
  namespace: string,
  name: string,
  created: string,
  host: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace, creationTimestamp: created },
    spec: { hosts: [host], http: [{ route: [{ destination: { host } }] }], ...extra },
  };
}

function found(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('virtualservice-host-conflict', () => {
  const older = vs('bookinfo', 'reviews', '2026-10-02T09:10:00Z', 'reviews');

  it('groups a short and a full host name and names the older VirtualService as the one used', () => {
    const [f] = found([
      vs('bookinfo', 'reviews-jason', '2026-11-30T08:02:41Z', 'reviews.bookinfo.svc.cluster.local'),
      older,
    ]);

    expect(f?.resources.slice(0, 2).map((r) => r.name)).toEqual(['reviews', 'reviews-jason']);
    expect(f?.remediation.steps[0]).toContain('in practice the oldest, VirtualService bookinfo/reviews;');
    expect(f?.severity).toBe('warning');
  });

  it('ignores VirtualServices bound only to gateways, and ones no namespace sees together', () => {
    expect(
      found([older, vs('bookinfo', 'edge', '2026-11-30T08:00:00Z', 'reviews', { gateways: ['bookinfo-gateway'] })]),
    ).toEqual([]);
    expect(
      found([
        vs('bookinfo', 'reviews', '2026-10-02T09:10:00Z', 'reviews.bookinfo.svc.cluster.local', { exportTo: ['.'] }),
        vs('qa', 'reviews', '2026-11-30T08:00:00Z', 'reviews.bookinfo.svc.cluster.local', { exportTo: ['.'] }),
      ]),
    ).toEqual([]);
  });

  it('counts a VirtualService bound to mesh and a gateway as a mesh one, and one exported to the other namespace', () => {
    expect(
      found([
        vs('bookinfo', 'reviews', '2026-10-02T09:10:00Z', 'reviews.bookinfo.svc.cluster.local', { exportTo: ['qa'] }),
        vs('qa', 'reviews', '2026-11-30T08:00:00Z', 'reviews.bookinfo.svc.cluster.local', {
          gateways: ['mesh', 'edge'],
          exportTo: ['.'],
        }),
      ]),
    ).toHaveLength(1);
  });
});
