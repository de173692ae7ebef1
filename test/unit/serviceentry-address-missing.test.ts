import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'serviceentry-address-missing';

function entry(name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace: 'shop' },
    spec: { hosts: [`${name}.example.net`], resolution: 'DNS', ...spec },
    ...(status ? { status } : {}),
  };
}

function meshConfig(mesh: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace: 'istio-system' },
    data: { mesh },
  };
}

const tcp = { ports: [{ number: 5432, name: 'tcp-pg', protocol: 'TCP' }] };
const found = (objects: KubeObject[]) => diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);

describe('serviceentry-address-missing', () => {
  it('reports a TCP ServiceEntry without addresses as a warning when the mesh config does not allocate', () => {
    const findings = found([entry('db', tcp), meshConfig('accessLogFile: /dev/stdout\n')]);

    expect(findings.map((f) => [f.resources[0]?.name, f.severity])).toEqual([['db', 'warning']]);
  });

  it('counts a port without a protocol as TCP, and is informational when the mesh config was not read', () => {
    const findings = found([entry('db', { ports: [{ number: 5432, name: 'pg' }] })]);

    expect(findings[0]?.severity).toBe('info');
    expect(findings[0]?.remediation.steps.join('\n')).toContain('were not read');
  });

  it('accepts addresses, an allocated status address, non-TCP ports and DNS auto-allocation', () => {
    const cm = meshConfig('accessLogFile: /dev/stdout\n');
    expect(
      found([
        cm,
        entry('a', { ...tcp, addresses: ['10.1.2.3'] }),
        entry('b', tcp, { addresses: [{ host: 'b.example.net', value: '240.240.0.1' }] }),
        entry('c', { ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
      ]),
    ).toEqual([]);
    expect(
      found([
        entry('db', tcp),
        meshConfig(
          'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"\n',
        ),
      ]),
    ).toEqual([]);
  });

  it('still reports when DNS capture is on without auto-allocation', () => {
    const findings = found([
      entry('db', tcp),
      meshConfig('defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n'),
    ]);

    expect(findings).toHaveLength(1);
  });

  it('names the example entry', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    expect(report.findings.filter((f) => f.runbook === ID).map((f) => f.resources[0]?.name)).toEqual([
      'ledger-postgres',
    ]);
  });
});
