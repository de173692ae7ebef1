import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ambient-no-healthy-upstream';
const ZTUNNEL = 'ztunnel-8kq2d';

function pod(name: string, ns: string, ip: string, labels: Record<string, string>, ready = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, annotations: { 'ambient.istio.io/redirection': 'enabled' } },
    spec: { containers: [{ name: 'app' }], nodeName: 'node-a' },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

const caller = pod('orders-7c9d8f6b5d-q2w4x', 'shop', '10.60.1.5', { app: 'orders' });

function service(name: string, clusterIP: string, selector?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop' },
    spec: { clusterIP, ...(selector ? { selector } : {}), ports: [{ name: 'tcp', port: 5432 }] },
  };
}

function istiod(tag: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: 'istio-system' },
    spec: { template: { spec: { containers: [{ name: 'discovery', image: `docker.io/istio/pilot:${tag}` }] } } },
  };
}

function refused(addr: string, extra = '', pod = ZTUNNEL, container = 'istio-proxy'): Record<string, unknown> {
  return logEntry(
    '2026-11-18T09:42:17.514Z',
    'istio-system',
    pod,
    container,
    `2026-11-18T09:42:17.514833Z\twarn\taccess\tconnection failed\tsrc.addr=10.60.1.5:50412 ${extra}dst.addr=${addr} direction="outbound" error="no healthy upstream: ${addr}"`,
  );
}

const found = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

describe('ambient-no-healthy-upstream', () => {
  it('names a selectorless Service whose hand-made endpoints are off-mesh, and its callers', () => {
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'orders-db', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.20.8.15' }] }],
    };
    const findings = found(
      [caller, service('orders-db', '10.96.140.22'), endpoints],
      [refused('10.96.140.22:5432'), refused('10.96.140.22:5432')],
    );

    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.resources).toEqual([
      { kind: 'Service', namespace: 'shop', name: 'orders-db' },
      { kind: 'Pod', namespace: 'shop', name: 'orders-7c9d8f6b5d-q2w4x' },
    ]);
    const text = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('seen 2 time(s)');
    expect(text).toContain('has no selector, and its manually managed Endpoints list 10.20.8.15, none of them a pod');
    expect(text).toContain('ServiceEntry with resolution STATIC');
  });

  it('explains a ServiceEntry with resolution NONE by the istiod version', () => {
    const entry: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'partner', namespace: 'shop' },
      spec: { hosts: ['api.partner.example'], ports: [{ number: 443 }], resolution: 'NONE' },
      status: { addresses: [{ value: '240.240.0.4' }] },
    };
    const text = (objects: KubeObject[]) =>
      found(objects, [refused('240.240.0.4:443')])[0]?.remediation.steps.join('\n') ?? '';

    expect(text([caller, entry, istiod('1.27.3-distroless')])).toContain(
      'before Istio 1.28 ztunnel gives such an entry an address but no endpoint, so every connection to it fails (istiod runs 1.27.3)',
    );
    expect(text([caller, entry, istiod('1.28.1')])).toContain('istiod runs 1.28.1, which treats that as passthrough');
    expect(text([caller, entry])).toContain('(the istiod version was not seen)');
    const ztunnel: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ztunnel', namespace: 'istio-system' },
      spec: { template: { spec: { containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.27.3' }] } } },
    };
    expect(text([caller, entry, istiod('1.28.1'), ztunnel])).toContain(
      'but the ztunnel DaemonSet runs 1.27.3, which cannot route it',
    );
  });

  it('names selected pods that are none Ready, and the workload behind them', () => {
    const backend = pod('stock-5f6d7c8b9a-k8l9m', 'shop', '10.60.2.9', { app: 'stock' }, false);
    const findings = found(
      [caller, backend, service('stock', '10.96.3.3', { app: 'stock' })],
      [refused('10.96.3.3:5432')],
    );

    expect(findings[0]?.resources).toContainEqual({ kind: 'Pod', namespace: 'shop', name: 'stock-5f6d7c8b9a-k8l9m' });
    expect(findings[0]?.remediation.steps.join('\n')).toContain('none of them Ready');
  });

  it('reads a Cloud Logging JSON payload and names the caller by src.workload', () => {
    const entry = {
      timestamp: '2026-11-18T09:42:17.514Z',
      logName: 'projects/p/logs/stdout',
      resource: {
        type: 'k8s_container',
        labels: { namespace_name: 'istio-system', pod_name: ZTUNNEL, container_name: 'istio-proxy' },
      },
      jsonPayload: {
        scope: 'access',
        message: 'connection failed',
        'src.addr': '10.60.9.9:1234',
        'src.workload': 'orders-7c9d8f6b5d-q2w4x',
        'src.namespace': 'shop',
        'dst.addr': '10.96.140.22:5432',
        direction: 'outbound',
        error: 'no healthy upstream: 10.96.140.22:5432',
      },
    };
    const findings = found([service('orders-db', '10.96.140.22')], [entry]);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.resources).toContainEqual({ kind: 'Deployment', namespace: 'shop', name: 'orders' });
  });

  it("leaves Envoy's no healthy upstream and look-alikes written by other containers alone", () => {
    const envoy = logEntry(
      '2026-11-18T09:42:17.514Z',
      'shop',
      'orders-7c9d8f6b5d-q2w4x',
      'istio-proxy',
      '[2026-11-18T09:42:17.514Z] "GET /stock HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "curl/8.5.0" "5b1f6c2e" "stock:8080" "-" outbound|8080||stock.shop.svc.cluster.local - 10.96.3.3:8080 10.60.1.5:50412 - default',
    );
    const app = refused('10.96.140.22:5432', '', 'orders-7c9d8f6b5d-q2w4x', 'orders');

    expect(found([caller, service('orders-db', '10.96.140.22')], [envoy, app])).toEqual([]);
  });

  it('reports an address no captured object has, with lower confidence', () => {
    const findings = found([caller], [refused('10.96.77.1:443')]);

    expect(findings[0]?.resources).toEqual([{ kind: 'Pod', namespace: 'shop', name: 'orders-7c9d8f6b5d-q2w4x' }]);
    expect(findings[0]?.confidence).toBeLessThan(0.7);
    expect(findings[0]?.remediation.steps.join('\n')).toContain(
      'No captured Service cluster IP or ServiceEntry address is 10.96.77.1',
    );
  });

  it('is skipped without logs', () => {
    const report = diagnoseObjects([caller]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
