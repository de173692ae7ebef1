import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { declaredProtocol, protocolOfName } from '../../src/diagnosis/ports';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'port-protocol-undeclared';

function pod(namespace: string, name: string, labels: Record<string, string>, sidecar: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      containers: [
        { name: 'app', ports: [{ name: 'grpc-api', containerPort: 9090 }] },
        ...(sidecar ? [{ name: 'istio-proxy' }] : []),
      ],
    },
    status: { phase: 'Running' },
  };
}

function service(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

describe('protocol selection', () => {
  it.each([
    [{ name: 'http' }, 'http'],
    [{ name: 'http2-web' }, 'http2'],
    [{ name: 'grpc-web' }, 'grpc-web'],
    [{ name: 'tcp-mysql' }, 'tcp'],
    [{ name: 'web', appProtocol: 'kubernetes.io/h2c' }, 'http2'],
    [{ name: 'http', appProtocol: 'tcp' }, 'tcp'],
    [{ name: 'web' }, 'sniffed'],
    [{ name: 'httpapi' }, 'sniffed'],
    [{ name: 'web', appProtocol: 'example.com/custom' }, 'sniffed'],
    [{}, 'sniffed'],
    [{ protocol: 'UDP' }, 'udp'],
  ])('%j is %s', (port, protocol) => {
    expect(declaredProtocol(port).protocol).toBe(protocol);
  });

  it('reads a protocol only from a whole prefix before a dash', () => {
    expect(protocolOfName('mongo-primary')).toBe('mongo');
    expect(protocolOfName('mongodb')).toBeNull();
  });
});

describe('port-protocol-undeclared', () => {
  it('warns for a sniffed server-first port and names the Service, the workload and proposes a guarded patch', () => {
    const report = diagnoseObjects([
      pod('shop', 'orders-db-0', { app: 'orders-db' }, true),
      service('shop', 'orders-db', { selector: { app: 'orders-db' }, ports: [{ port: 3306, targetPort: 3306 }] }),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('warning');
    expect(finding?.resources).toEqual([
      { kind: 'Service', namespace: 'shop', name: 'orders-db' },
      { kind: 'Pod', namespace: 'shop', name: 'orders-db-0' },
    ]);
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain(
      `--type=json -p '[{"op":"test","path":"/spec/ports/0/port","value":3306},{"op":"add","path":"/spec/ports/0/appProtocol","value":"tcp"}]'`,
    );
    expect(steps).toContain('Lower severity: no logs were read');
    expect(finding?.remediation.patches).toEqual([
      {
        target: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'orders-db' },
        type: 'json',
        patch: [
          { op: 'test', path: '/spec/ports/0/port', value: 3306 },
          { op: 'add', path: '/spec/ports/0/appProtocol', value: 'tcp' },
        ],
      },
    ]);
  });

  it('takes the protocol from the target container port name and reports other ports as information', () => {
    const report = diagnoseObjects([
      pod('shop', 'pricing-1', { app: 'pricing' }, true),
      service('shop', 'pricing', {
        selector: { app: 'pricing' },
        ports: [
          { name: 'api', port: 80, targetPort: 'grpc-api' },
          { name: 'http-metrics', port: 9102, targetPort: 9102 },
        ],
      }),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('info');
    expect(finding?.evidence).toHaveLength(1);
    expect(finding?.remediation.steps.join('\n')).toContain(
      `[{"op":"test","path":"/spec/ports/0/name","value":"api"},{"op":"add","path":"/spec/ports/0/appProtocol","value":"grpc"}]`,
    );
  });

  it('leaves namespaces without sidecars, UDP ports and declared ports alone', () => {
    const report = diagnoseObjects([
      pod('batch', 'loader-1', { app: 'loader' }, false),
      service('batch', 'loader', { selector: { app: 'loader' }, ports: [{ port: 3306 }] }),
      pod('shop', 'stats-1', { app: 'stats' }, true),
      service('shop', 'stats', {
        selector: { app: 'stats' },
        ports: [
          { name: 'statsd', port: 8125, protocol: 'UDP' },
          { name: 'db', port: 3306, appProtocol: 'tcp' },
        ],
      }),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
  });

  it("does not take a waypoint's or ztunnel's istio-proxy for a sidecar that sniffs", () => {
    const waypoint: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'waypoint-6d4b8c7f9b-zq5jc',
        namespace: 'shop',
        labels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint', 'istio.io/dataplane-mode': 'none' },
      },
      spec: { containers: [{ name: 'istio-proxy', args: ['proxy', 'waypoint'] }] },
      status: { phase: 'Running' },
    };
    const ztunnel: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'ztunnel-4kq8d',
        namespace: 'kube-system',
        labels: { app: 'ztunnel' },
        ownerReferences: [{ kind: 'DaemonSet', name: 'ztunnel' }],
      },
      spec: { containers: [{ name: 'istio-proxy', args: ['proxy', 'ztunnel'] }] },
      status: { phase: 'Running' },
    };
    const report = diagnoseObjects([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'shop',
          labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' },
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint', namespace: 'shop' },
        spec: { gatewayClassName: 'istio-waypoint' },
      },
      waypoint,
      ztunnel,
      pod('shop', 'orders-db-0', { app: 'orders-db' }, false),
      service('shop', 'orders-db', { selector: { app: 'orders-db' }, ports: [{ port: 3306, targetPort: 3306 }] }),
      service('shop', 'legacy-tcp', {
        type: 'ExternalName',
        externalName: 'db.example.net',
        ports: [{ name: 'tcp', port: 5432 }],
      }),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
  });

  it('flags ExternalName ports named tcp, not those named https', () => {
    const report = diagnoseObjects([
      pod('shop', 'web-1', { app: 'web' }, true),
      service('shop', 'legacy-tcp', {
        type: 'ExternalName',
        externalName: 'db.example.net',
        ports: [{ name: 'tcp', port: 5432 }],
      }),
      service('shop', 'legacy-tls', {
        type: 'ExternalName',
        externalName: 'api.example.net',
        ports: [{ name: 'https', port: 443 }],
      }),
    ]);

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings.map((f) => f.resources[0]?.name)).toEqual(['legacy-tcp']);
    expect(findings[0]?.severity).toBe('warning');
  });

  it('is skipped when Services were not read', () => {
    const report = diagnoseObjects([pod('shop', 'web-1', { app: 'web' }, true)]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('reports the example with the MySQL port as a warning', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const bySeverity = Object.fromEntries(
      report.findings.filter((f) => f.runbook === ID).map((f) => [f.resources[0]?.name, f.severity]),
    );
    expect(bySeverity).toEqual({ 'catalog-api': 'info', 'stock-db': 'warning', 'supplier-feed': 'warning' });
  });
});
