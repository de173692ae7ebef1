import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ztunnel-version-skew';

function istiod(name: string, rev: string, version: string): KubeObject[] {
  const labels = { app: 'istiod', 'istio.io/rev': rev };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'istio-system' },
      spec: {
        replicas: 1,
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'discovery', image: `docker.io/istio/pilot:${version}` }] },
        },
      },
      status: { replicas: 1, availableReplicas: 1 },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'istio-system' },
      spec: { selector: labels, ports: [{ port: 15012, targetPort: 15012 }] },
    },
  ];
}

function daemonSet(version: string, xds = 'istiod.istio-system.svc:15012'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ztunnel', namespace: 'istio-system' },
    spec: {
      template: {
        metadata: { labels: { app: 'ztunnel' } },
        spec: {
          containers: [
            {
              name: 'istio-proxy',
              image: `docker.io/istio/ztunnel:${version}-distroless`,
              env: [{ name: 'XDS_ADDRESS', value: xds }],
            },
          ],
        },
      },
    },
  };
}

function ztunnelPod(name: string, version: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'istio-system',
      labels: { app: 'ztunnel' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ztunnel', controller: true }],
    },
    spec: {
      nodeName: 'ip-10-0-12-34.eu-west-1.compute.internal',
      containers: [{ name: 'istio-proxy', image: `docker.io/istio/ztunnel:${version}-distroless` }],
    },
    status: { phase: 'Running' },
  };
}

const passthrough: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'mainframe', namespace: 'ledger' },
  spec: {
    hosts: ['mainframe.corp.example'],
    resolution: 'NONE',
    ports: [{ number: 3270, name: 'tcp', protocol: 'TCP' }],
  },
};

const nack = (type: string, error: string) =>
  logEntry(
    '2026-10-02T11:20:00Z',
    'istio-system',
    'ztunnel-6wq9f',
    'istio-proxy',
    `2026-10-02T11:20:00.000000Z\terror\txds::client:xds{id=3}\tsending response\ttype_url="type.googleapis.com/istio.${type}" nonce="n-1" type=Nack error="${error}"`,
  );
const decode = nack('workload.Address', 'ledger/mainframe.corp.example: decode error: unknown enum value 3');

const found = (objects: KubeObject[], entries: Record<string, unknown>[] = []) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

describe('ztunnel-version-skew', () => {
  it('reports an older ztunnel that NACKs a newer istiod, naming the rejected ServiceEntry', () => {
    const [finding, ...more] = found(
      [
        ...istiod('istiod', 'default', '1.28.2'),
        daemonSet('1.27.4'),
        ztunnelPod('ztunnel-6wq9f', '1.27.4'),
        passthrough,
      ],
      [decode, decode],
    );

    expect(more).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' },
      { kind: 'Deployment', namespace: 'istio-system', name: 'istiod' },
      { kind: 'ServiceEntry', namespace: 'ledger', name: 'mainframe' },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('runs istiod 1.28.2, but 1 ztunnel pod(s) of DaemonSet istio-system/ztunnel run 1.27.4');
    expect(text).toContain('rejecting ledger/mainframe.corp.example (decode error: unknown enum value 3)');
  });

  it('warns about an older ztunnel without NACKs, and says the template is already new when only the pods lag', () => {
    const [quiet] = found(
      [...istiod('istiod', 'default', '1.28.2'), daemonSet('1.27.4'), ztunnelPod('ztunnel-6wq9f', '1.27.4')],
      [logEntry('2026-10-02T11:20:00Z', 'istio-system', 'ztunnel-6wq9f', 'istio-proxy', 'nothing to see')],
    );
    const [lagging] = found([
      ...istiod('istiod', 'default', '1.28.2'),
      daemonSet('1.28.2'),
      ztunnelPod('ztunnel-6wq9f', '1.27.4'),
    ]);

    expect(quiet?.severity).toBe('warning');
    expect(quiet?.remediation.steps.join('\n')).toContain('No NACK seen');
    expect(quiet?.remediation.steps.join('\n')).toContain('Lower severity');
    expect(lagging?.remediation.steps.join('\n')).toContain('already carries ztunnel 1.28.2 in its template');
  });

  it('leaves NACKs at the same minor version (a patch apart) to configuration checks', () => {
    expect(
      found(
        [...istiod('istiod', 'default', '1.28.2'), daemonSet('1.28.0'), ztunnelPod('ztunnel-6wq9f', '1.28.0')],
        [nack('security.Authorization', 'ledger/allow-batch: invalid cidr: invalid prefix length')],
      ),
    ).toEqual([]);
  });

  it('compares with the istiod revision ztunnel connects to during a canary upgrade', () => {
    const both = [...istiod('istiod-1-27', '1-27', '1.27.4'), ...istiod('istiod-1-28', '1-28', '1.28.2')];

    expect(
      found([
        ...both,
        daemonSet('1.27.4', 'istiod-1-27.istio-system.svc:15012'),
        ztunnelPod('ztunnel-6wq9f', '1.27.4'),
      ]),
    ).toEqual([]);
    expect(
      found([
        ...both,
        daemonSet('1.27.4', 'istiod-1-28.istio-system.svc:15012'),
        ztunnelPod('ztunnel-6wq9f', '1.27.4'),
      ]),
    ).toHaveLength(1);
  });

  it('skips without ztunnel pods or lines', () => {
    const report = diagnoseObjects([...istiod('istiod', 'default', '1.28.2')]);
    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
