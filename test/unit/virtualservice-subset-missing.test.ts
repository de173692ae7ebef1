import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'virtualservice-subset-missing';

function dr(namespace: string, host: string, subsets: string[], exportTo?: string[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews', namespace, creationTimestamp: '2026-10-02T09:10:00Z' },
    spec: {
      host,
      subsets: subsets.map((name) => ({ name, labels: { version: name } })),
      ...(exportTo ? { exportTo } : {}),
    },
  };
}

function vs(host: string, subset: string, mirror = false): KubeObject {
  const destination = { host, subset };
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'bookinfo', generation: 2, creationTimestamp: '2026-11-30T08:00:00Z' },
    spec: {
      hosts: ['reviews'],
      http: [
        mirror
          ? { route: [{ destination: { host, subset: 'v1' } }], mirror: destination }
          : {
              name: 'canary',
              route: [
                { destination: { host, subset: 'v1' }, weight: 90 },
                { destination, weight: 10 },
              ],
            },
      ],
    },
  };
}

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'reviews', namespace: 'bookinfo' },
  spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] },
};

function nc(time: string, subset: string): Record<string, unknown> {
  return logEntry(
    time,
    'bookinfo',
    'productpage-v1-5d8f6b9c47-x2k7q',
    'istio-proxy',
    `[${time}] "GET /reviews/0 HTTP/1.1" 503 NC cluster_not_found - "-" 0 0 0 - "-" "python-requests/2.32.3" "0ed90475-e8e2-481e-a36f-1600099950d8" "reviews:9080" "-" outbound|9080|${subset}|reviews.bookinfo.svc.cluster.local - 10.96.81.4:9080 10.244.1.23:50006 - canary`,
  );
}

function finding(objects: KubeObject[], entries: Record<string, unknown>[] = []) {
  const report = diagnoseObjects(objects, entries);
  return { report, found: report.findings.filter((f) => f.runbook === ID) };
}

describe('virtualservice-subset-missing', () => {
  it('finds a subset the DestinationRule lacks, and counts the 503 NC requests on its cluster only', () => {
    const { found } = finding(
      [service, dr('bookinfo', 'reviews', ['v1', 'v2']), vs('reviews', 'v3')],
      [nc('2026-11-30T08:14:18Z', 'v3'), nc('2026-11-30T08:16:00Z', 'v3'), nc('2026-11-30T08:17:00Z', 'v9')],
    );

    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe('critical');
    expect(found[0]?.resources).toEqual(
      expect.arrayContaining([
        { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' },
        { kind: 'DestinationRule', namespace: 'bookinfo', name: 'reviews' },
        { kind: 'Deployment', namespace: 'bookinfo', name: 'productpage-v1' },
      ]),
    );
    expect(found[0]?.evidence[0]?.text).toMatch(/^2 request\(s\) answered 503 NC; latest: bookinfo\/productpage-v1-/);
    expect(found[0]?.remediation.steps.join(' ')).toMatch(
      /2 request\(s\) answered 503 NC \(route canary, cluster outbound\|9080\|v3\|reviews.bookinfo.svc.cluster.local, authority reviews:9080\), seen 2 time\(s\) from 2026-11-30T08:14:18Z to 2026-11-30T08:16:00Z/,
    );
    expect(found[0]?.remediation.steps.join(' ')).toContain('generation 2');
  });

  it('resolves short and full host names to the same host', () => {
    expect(
      finding([service, dr('bookinfo', 'reviews.bookinfo.svc.cluster.local', ['v1', 'v3']), vs('reviews', 'v3')]).found,
    ).toEqual([]);
  });

  it('does not expand "name.namespace" hosts, as Istio does not, and says so', () => {
    const { found } = finding([service, dr('bookinfo', 'reviews', ['v1', 'v3']), vs('reviews.bookinfo', 'v3')]);

    expect(found).toHaveLength(1);
    expect(found[0]?.remediation.steps.join(' ')).toContain('routes to subset "v1" of reviews.bookinfo,');
    expect(found[0]?.remediation.steps.join(' ')).toContain('write reviews.bookinfo.svc.cluster.local');
  });

  it('ignores a DestinationRule in another namespace that is not exported to the VirtualService', () => {
    expect(
      finding([
        service,
        dr('istio-system', 'reviews.bookinfo.svc.cluster.local', ['v1', 'v3'], ['.']),
        vs('reviews', 'v3'),
      ]).found,
    ).toHaveLength(1);
    expect(
      finding([service, dr('istio-system', 'reviews.bookinfo.svc.cluster.local', ['v1', 'v3']), vs('reviews', 'v3')])
        .found,
    ).toEqual([]);
  });

  it('reports a finding without failing requests, or a mirror, at a lower severity and says why', () => {
    const quiet = finding([service, dr('bookinfo', 'reviews', ['v1']), vs('reviews', 'v3')]).found[0];
    const mirror = finding([service, dr('bookinfo', 'reviews', ['v1']), vs('reviews', 'v3', true)]).found[0];

    expect(quiet?.severity).toBe('warning');
    expect(quiet?.remediation.steps.join(' ')).toContain('no logs were read');
    expect(mirror?.severity).toBe('warning');
    expect(mirror?.remediation.steps.join(' ')).toContain('spec.http[0].mirror');
  });

  it('is skipped when no DestinationRules were read', () => {
    const { report } = finding([service, vs('reviews', 'v3')]);

    expect(report.checks.find((c) => c.id === ID)).toMatchObject({ status: 'skipped' });
  });
});
