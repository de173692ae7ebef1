import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'virtualservice-destination-missing';

function service(ports: number[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ratings', namespace: 'bookinfo' },
    spec: { selector: { app: 'ratings' }, ports: ports.map((port) => ({ name: `http-${port}`, port })) },
  };
}

function vs(host: string, port?: number): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'ratings', namespace: 'bookinfo' },
    spec: {
      hosts: ['ratings'],
      http: [{ route: [{ destination: { host, ...(port ? { port: { number: port } } : {}) } }] }],
    },
  };
}

const nc = logEntry(
  '2026-11-30T08:30:00Z',
  'bookinfo',
  'reviews-v2-7b5c8d9f64-m9wrp',
  'istio-proxy',
  '[2026-11-30T08:30:00.120Z] "GET /ratings/0 HTTP/1.1" 503 NC cluster_not_found - "-" 0 0 0 - "-" "Go-http-client/1.1" "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" "ratings:9080" "-" outbound|9090||ratings.bookinfo.svc.cluster.local - 10.96.40.2:9080 10.244.1.23:51880 - default',
);

function found(objects: KubeObject[], entries: Record<string, unknown>[] = []) {
  return diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);
}

describe('virtualservice-destination-missing', () => {
  it('finds a port the Service does not offer and counts the 503 NC requests for the host', () => {
    const [f] = found([service([9080]), vs('ratings', 9090)], [nc]);

    expect(f?.remediation.steps[0]).toBe(
      'VirtualService bookinfo/ratings spec.http[0].route[0].destination (host ratings): port 9090 is not a port of ratings.bookinfo.svc.cluster.local, which offers 9080 (IST0101).',
    );
    expect(f?.severity).toBe('critical');
    expect(f?.resources).toContainEqual({ kind: 'Deployment', namespace: 'bookinfo', name: 'reviews-v2' });
  });

  it('finds a host nothing provides, and a multi-port host without a port, at a lower severity without logs', () => {
    const [missing] = found([service([9080]), vs('details')]);
    const [ambiguous] = found([service([9080, 9090]), vs('ratings')]);

    expect(missing?.remediation.steps[0]).toContain(
      'no Service or ServiceEntry visible from namespace bookinfo provides details.bookinfo.svc.cluster.local (IST0101)',
    );
    expect(missing?.severity).toBe('warning');
    expect(ambiguous?.remediation.steps[0]).toContain(
      'offers several ports (9080, 9090) and the destination names none (IST0112)',
    );
  });

  it('accepts a host and port the Service offers, and external hosts when ServiceEntries were not read', () => {
    expect(found([service([9080, 9090]), vs('ratings', 9080)])).toEqual([]);
    expect(found([service([9080]), vs('ratings')])).toEqual([]);
    expect(found([service([9080]), vs('api.example.com')])).toEqual([]);
  });
});
