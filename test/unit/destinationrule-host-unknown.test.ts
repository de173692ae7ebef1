import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'destinationrule-host-unknown';

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'productpage', namespace: 'bookinfo' },
  spec: { selector: { app: 'productpage' }, ports: [{ name: 'http', port: 9080 }] },
};

function dr(host: string, namespace = 'bookinfo'): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'rule', namespace, creationTimestamp: '2026-11-29T16:40:00Z' },
    spec: { host, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
  };
}

function entry(host: string, exportTo?: string[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'ext', namespace: 'egress' },
    spec: { hosts: [host], location: 'MESH_EXTERNAL', resolution: 'DNS', ...(exportTo ? { exportTo } : {}) },
  };
}

function steps(objects: KubeObject[]): string[] | undefined {
  const f = diagnoseObjects(objects).findings.filter((x) => x.runbook === ID);
  return f.length ? f.flatMap((x) => x.remediation.steps) : undefined;
}

describe('destinationrule-host-unknown', () => {
  it('resolves a bare name in the rule namespace, a full name and a covering wildcard', () => {
    expect(steps([service, entry('api.example.com'), dr('productpage')])).toBeUndefined();
    expect(
      steps([service, entry('api.example.com'), dr('productpage.bookinfo.svc.cluster.local', 'other')]),
    ).toBeUndefined();
    expect(steps([service, entry('api.example.com'), dr('*.bookinfo.svc.cluster.local')])).toBeUndefined();
    expect(steps([service, entry('api.example.com'), dr('api.example.com')])).toBeUndefined();
  });

  it('says that Istio does not expand "name.namespace" and names the Service meant', () => {
    expect(steps([service, entry('api.example.com'), dr('productpage.bookinfo')])?.[0]).toBe(
      'DestinationRule bookinfo/rule has host "productpage.bookinfo": no Service or ServiceEntry provides productpage.bookinfo; Service bookinfo/productpage exists, but Istio does not expand "productpage.bookinfo": write productpage.bookinfo.svc.cluster.local. Its traffic policy and subsets apply to no traffic.',
    );
  });

  it('names a same-named Service in another namespace for a bare name', () => {
    expect(steps([service, entry('api.example.com'), dr('productpage', 'shop')])?.[0]).toContain(
      'no Service or ServiceEntry provides productpage.shop.svc.cluster.local; a Service of that name exists in bookinfo/productpage',
    );
  });

  it('names a ServiceEntry whose exportTo hides the host from the rule', () => {
    expect(steps([service, entry('api.example.com', ['.']), dr('api.example.com')])?.[0]).toContain(
      'api.example.com is provided only by ServiceEntry egress/ext, whose exportTo hides it from namespace bookinfo',
    );
  });

  it('judges external hosts only when ServiceEntries were read', () => {
    expect(steps([service, dr('api.example.com')])).toBeUndefined();
    expect(steps([service, dr('reviews')])?.[0]).toContain(
      'no Service or ServiceEntry provides reviews.bookinfo.svc.cluster.local',
    );
  });
});
