import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pod(
  ns: string,
  deployment: string,
  hash: string,
  suffix: string,
  ip: string,
  options: { sidecar?: boolean; labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${deployment}-${hash}-${suffix}`,
      namespace: ns,
      labels: { app: deployment, 'pod-template-hash': hash, ...options.labels },
      annotations: options.annotations ?? {},
      ownerReferences: [{ kind: 'ReplicaSet', name: `${deployment}-${hash}`, controller: true }],
    },
    spec: {
      containers: [{ name: deployment }, ...(options.sidecar ? [{ name: 'istio-proxy' }] : [])],
      ...(options.sidecar ? { initContainers: [{ name: 'istio-init' }] } : {}),
    },
    status: { phase: 'Running', podIP: ip },
  };
}

const strict: KubeObject = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'default', namespace: 'payments' },
  spec: { mtls: { mode: 'STRICT' } },
} as KubeObject;

const server = pod('payments', 'payments-api', '6c8d7f9b5d', 'x4k2p', '10.8.2.14', { sidecar: true });
const reportGen = pod('reports', 'report-gen', '7d9f8c6b4b', 'm2q7w', '10.8.5.20');

/** The server's sidecar closing a plaintext connection from CLIENT (Istio 1.9+ TEXT format). */
function refused(time: string, client: string) {
  return logEntry(
    time,
    'payments',
    'payments-api-6c8d7f9b5d-x4k2p',
    'istio-proxy',
    `[${time.replace('Z', '.112Z')}] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.8.2.14:8443 ${client} - -`,
  );
}

const sidecarFindings = (objects: KubeObject[], entries: Record<string, unknown>[] = []) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === 'sidecar-not-injected');

describe('injection intent read from refused plaintext calls', () => {
  const objects = [
    namespace('payments', { 'istio-injection': 'enabled' }),
    namespace('reports'),
    server,
    reportGen,
    strict,
  ];

  it('reports the calling namespace and workload when a STRICT server refuses its pods', () => {
    const found = sidecarFindings(objects, [
      refused('2024-05-14T10:00:01Z', '10.8.5.20:51514'),
      refused('2024-05-14T10:05:09Z', '10.8.5.20:40220'),
    ]);

    expect(found).toHaveLength(1);
    expect(found[0]?.resources.slice(0, 2)).toEqual([
      { kind: 'Namespace', namespace: null, name: 'reports' },
      { kind: 'Deployment', namespace: 'reports', name: 'report-gen' },
    ]);
    expect(found[0]?.evidence[0]?.text).toContain('payments/payments-api-6c8d7f9b5d-x4k2p[istio-proxy]');
    expect(found[0]?.evidence[0]?.text).toContain('filter_chain_not_found');
    expect(found[0]?.evidence.map((e) => e.text)).toContainEqual(
      'PeerAuthentication payments/default: requires mutual TLS (mode STRICT)',
    );
    expect(found[0]?.remediation.steps[0]).toMatch(
      /namespace reports has no injection label although its pods call meshed services .*Deployment payments\/payments-api.*Deployment reports\/report-gen/,
    );
  });

  it('reads the Istio 1.8 line, which has NR without details, and cites a mesh-wide policy', () => {
    const meshWide = { ...strict, metadata: { name: 'default', namespace: 'istio-system' } } as KubeObject;
    const line = logEntry(
      '2020-12-24T08:12:40Z',
      'payments',
      'payments-api-6c8d7f9b5d-x4k2p',
      'istio-proxy',
      '[2020-12-24T08:12:40.112Z] "- - -" 0 NR "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.8.2.14:8443 10.8.5.20:57884 - -',
    );

    const found = sidecarFindings([...objects.slice(0, 4), meshWide], [line]);

    expect(found.map((f) => f.resources[0]?.name)).toEqual(['reports']);
    expect(found[0]?.evidence.map((e) => e.text)).toContainEqual(
      'PeerAuthentication istio-system/default: requires mutual TLS (mode STRICT)',
    );
  });

  it('says nothing about the client namespace when the refused client has a sidecar or is not a pod', () => {
    const meshedClient = pod('reports', 'report-gen', '7d9f8c6b4b', 'm2q7w', '10.8.5.20', { sidecar: true });

    expect(
      sidecarFindings(
        [...objects.slice(0, 2), server, meshedClient, strict],
        [refused('2024-05-14T10:00:01Z', '10.8.5.20:51514')],
      ),
    ).toEqual([]);
    expect(sidecarFindings(objects, [refused('2024-05-14T10:00:01Z', '10.128.0.7:51514')])).toEqual([]);
    expect(sidecarFindings(objects)).toEqual([]);
  });
});

describe('a pod that asks for injection in a namespace labelled istio-injection=disabled', () => {
  const legacy = namespace('legacy', { 'istio-injection': 'disabled' });

  it('reports that the namespace label overrules the pod label, without proposing a patch', () => {
    const asking = pod('legacy', 'invoicer', '5b7c9d8f6c', 'k8s2t', '10.8.6.3', {
      labels: { 'sidecar.istio.io/inject': 'true' },
    });

    const found = sidecarFindings([legacy, asking, server, namespace('payments', { 'istio-injection': 'enabled' })]);

    expect(found).toHaveLength(1);
    expect(found[0]?.resources).toEqual([
      { kind: 'Namespace', namespace: null, name: 'legacy' },
      { kind: 'Deployment', namespace: 'legacy', name: 'invoicer' },
    ]);
    expect(found[0]?.remediation.steps[0]).toMatch(/istio-injection=disabled, which takes precedence/);
    expect(found[0]?.remediation.steps.join(' ')).toMatch(/kubectl label namespace legacy istio-injection-/);
    expect(found[0]?.remediation.patches).toEqual([]);
  });

  it('also reads the annotation form on a Deployment whose pods do not exist yet', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'invoicer', namespace: 'legacy' },
      spec: {
        template: {
          metadata: { labels: { app: 'invoicer' }, annotations: { 'sidecar.istio.io/inject': 'true' } },
          spec: { containers: [{ name: 'invoicer' }] },
        },
      },
    };

    const found = sidecarFindings([legacy, deployment, server]);

    expect(found.flatMap((f) => f.resources)).toContainEqual({
      kind: 'Deployment',
      namespace: 'legacy',
      name: 'invoicer',
    });
  });

  it('stays quiet for a disabled namespace whose pods do not ask', () => {
    const plain = pod('legacy', 'invoicer', '5b7c9d8f6c', 'k8s2t', '10.8.6.3');
    const optedOut = pod('legacy', 'batch', '6d8f7c9b5c', 'p2w4x', '10.8.6.4', {
      labels: { 'sidecar.istio.io/inject': 'false' },
    });

    expect(sidecarFindings([legacy, plain, optedOut, server])).toEqual([]);
  });
});

describe('refused calls and reused pod IPs', () => {
  it('does not blame a pod that started after the refused connection, whose IP another pod had before', () => {
    const later = {
      ...reportGen,
      status: { phase: 'Running', podIP: '10.8.5.20', startTime: '2024-05-14T11:00:00Z' },
    } as KubeObject;

    const found = sidecarFindings(
      [namespace('payments', { 'istio-injection': 'enabled' }), namespace('reports'), server, later, strict],
      [refused('2024-05-14T10:00:01Z', '10.8.5.20:51514')],
    );

    expect(found).toEqual([]);
  });
});

describe('ambient pods, which are meshed without a sidecar', () => {
  const ambient = { 'istio.io/dataplane-mode': 'ambient' };
  const redirected = { 'ambient.istio.io/redirection': 'enabled' };
  const waypoint: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'waypoint-6d4b8c7f9b-zq5jc',
      namespace: 'orders',
      labels: {
        'gateway.networking.k8s.io/gateway-name': 'waypoint',
        'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
        'istio.io/dataplane-mode': 'none',
      },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'waypoint-6d4b8c7f9b', controller: true }],
    },
    spec: { containers: [{ name: 'istio-proxy', args: ['proxy', 'waypoint'] }] },
    status: { phase: 'Running', podIP: '10.8.3.30' },
  };
  const objects = [
    namespace('orders'),
    pod('orders', 'orders-api', '5f6c8d7b9d', 'h2k9p', '10.8.3.21', { labels: ambient, annotations: redirected }),
    pod('orders', 'orders-worker', '84d6c9b7f5', 'rw8sd', '10.8.3.22', { labels: ambient, annotations: redirected }),
    waypoint,
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'orders-api', namespace: 'orders' },
      spec: { selector: { matchLabels: { app: 'orders-api' } }, action: 'ALLOW', rules: [{}] },
    } as KubeObject,
  ];

  it('does not ask for injection in a namespace whose pods are enrolled in ambient mode one by one, waypoint or not', () => {
    expect(sidecarFindings(objects)).toEqual([]);
    expect(
      diagnoseObjects(objects, [], { namespace: 'orders', workload: null }).findings.map((f) => f.runbook),
    ).not.toContain('sidecar-not-injected');
  });

  it('still reports a pod of that namespace that is neither injected nor enrolled', () => {
    const plain = pod('orders', 'orders-report', '7d9f8c6b4b', 'm2q7w', '10.8.3.23');

    expect(sidecarFindings([...objects, plain]).flatMap((f) => f.resources.map((r) => r.name))).toEqual([
      'orders',
      'orders-report',
    ]);
  });
});
