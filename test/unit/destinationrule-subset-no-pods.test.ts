import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'destinationrule-subset-no-pods';

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'ratings', namespace: 'bookinfo' },
  spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 9080 }] },
};

function pod(name: string, version: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bookinfo', labels: { app: 'ratings', version } },
    status: { phase: 'Running', podIP: '10.244.3.4' },
  };
}

function dr(subsets: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'ratings', namespace: 'bookinfo' },
    spec: {
      host: 'ratings.bookinfo.svc.cluster.local',
      subsets: Object.entries(subsets).map(([name, version]) => ({ name, labels: { version } })),
    },
  };
}

const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'ratings', namespace: 'bookinfo' },
  spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings', subset: 'v2' } }] }] },
};

const uh = logEntry(
  '2026-11-30T08:21:40Z',
  'bookinfo',
  'reviews-v2-7b5c8d9f64-m9wrp',
  'istio-proxy',
  '[2026-11-30T08:21:40.012Z] "GET /ratings/7 HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "Go-http-client/1.1" "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" "ratings:9080" "-" outbound|9080|v2|ratings.bookinfo.svc.cluster.local - 10.96.40.2:9080 10.244.1.23:51880 - default',
);

function found(objects: KubeObject[], entries: Record<string, unknown>[] = []) {
  return diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);
}

describe('destinationrule-subset-no-pods', () => {
  const pods = [pod('ratings-v1-5d8f6b9c47-x2k7q', 'v1')];

  it('names a subset whose labels no pod of the Service carries, and the labels the pods do carry', () => {
    const [f] = found([service, ...pods, dr({ v1: 'v1', v2: 'v2' }), vs]);

    expect(f?.remediation.steps[0]).toBe(
      'DestinationRule bookinfo/ratings subset "v2" of ratings.bookinfo.svc.cluster.local selects version=v2, but none of the 1 pod(s) of Service bookinfo/ratings has version=v2 (the Service\'s pods carry version=v1) (IST0173).',
    );
    expect(f?.severity).toBe('warning');
    expect(f?.resources).toContainEqual({ kind: 'VirtualService', namespace: 'bookinfo', name: 'ratings' });
  });

  it('is critical with 503 UH lines for the subset cluster and names the caller', () => {
    const [f] = found([service, ...pods, dr({ v1: 'v1', v2: 'v2' }), vs], [uh]);

    expect(f?.severity).toBe('critical');
    expect(f?.resources).toContainEqual({ kind: 'Deployment', namespace: 'bookinfo', name: 'reviews-v2' });
  });

  it('is informational when no VirtualService routes to the empty subset', () => {
    expect(found([service, ...pods, dr({ v1: 'v1', v2: 'v2' })])[0]?.severity).toBe('info');
  });

  it('says nothing when every subset has a pod, or when the Service has no pod at all', () => {
    expect(found([service, ...pods, pod('ratings-v2-6c9d7f8b52-hq4tz', 'v2'), dr({ v1: 'v1', v2: 'v2' }), vs])).toEqual(
      [],
    );
    expect(
      found([service, dr({ v2: 'v2' }), vs, { ...pod('ratings-old', 'v1'), status: { phase: 'Succeeded' } }]),
    ).toEqual([]);
  });
});
