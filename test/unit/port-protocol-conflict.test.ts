import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'port-protocol-conflict';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'api-1', namespace: 'shop', labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', ports: [{ name: 'web', containerPort: 8080 }] }, { name: 'istio-proxy' }] },
  status: { phase: 'Running' },
};

function service(name: string, ports: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop' },
    spec: { selector: { app: 'api' }, ports },
  };
}

function entry(name: string, protocol: string): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace: 'shop' },
    spec: { hosts: ['db.example.net'], ports: [{ number: 5432, name: 'db', protocol }] },
  };
}

const found = (objects: KubeObject[]) => diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);

describe('port-protocol-conflict', () => {
  it('finds two Services giving one container port (by number and by name) different protocols', () => {
    const findings = found([
      pod,
      service('api', [{ name: 'http', port: 8080, targetPort: 'web' }]),
      service('api-raw', [{ name: 'tcp', port: 8080, targetPort: 8080 }]),
    ]);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.resources).toEqual([
      { kind: 'Service', namespace: 'shop', name: 'api' },
      { kind: 'Service', namespace: 'shop', name: 'api-raw' },
      { kind: 'Pod', namespace: 'shop', name: 'api-1' },
    ]);
    expect(findings[0]?.remediation.steps[0]).toContain('is given 2 protocols (http, tcp)');
  });

  it('finds one target port reached through two port numbers in one Service', () => {
    const findings = found([
      pod,
      service('api', [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'http-alt', port: 8080, targetPort: 8080 },
      ]),
    ]);

    expect(findings[0]?.remediation.steps[0]).toContain('through 2 Service port numbers (80, 8080)');
  });

  it('accepts Services that agree, and ignores UDP ports', () => {
    expect(
      found([
        pod,
        service('api', [{ name: 'http', port: 8080, targetPort: 'web' }]),
        service('api-canary', [{ name: 'http-canary', port: 8080, targetPort: 8080 }]),
        service('api-udp', [{ port: 9000, targetPort: 8080, protocol: 'UDP' }]),
      ]),
    ).toEqual([]);
  });

  it('finds ServiceEntries giving one host and port different protocols', () => {
    const findings = found([entry('db-tcp', 'TCP'), entry('db-tls', 'TLS')]);

    expect(findings.map((f) => f.resources.map((r) => r.name))).toEqual([['db-tcp', 'db-tls']]);
    expect(found([entry('db-tcp', 'TCP'), entry('db-tcp-2', 'TCP')])).toEqual([]);
  });

  it('reports both conflicts of the example as warnings', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
  });
});
