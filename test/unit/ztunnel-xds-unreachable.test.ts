import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ztunnel-xds-unreachable';
const NODE = 'gke-edge-pool-2-8c1d-r4tn';

function ztunnelPod(name: string, node = NODE): KubeObject {
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
      nodeName: node,
      containers: [
        {
          name: 'istio-proxy',
          image: 'docker.io/istio/ztunnel:1.27.3-distroless',
          env: [{ name: 'XDS_ADDRESS', value: 'istiod.istio-system.svc:15012' }],
        },
      ],
    },
    status: { phase: 'Running' },
  };
}

function istiod(available: number): KubeObject[] {
  const labels = { app: 'istiod', 'istio.io/rev': 'default' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: {
        replicas: 1,
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.27.3' }] },
        },
      },
      status: { replicas: 1, availableReplicas: available },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: { selector: labels, ports: [{ name: 'https-dns', port: 15012, targetPort: 15012 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      subsets: [{ [available > 0 ? 'addresses' : 'notReadyAddresses']: [{ ip: '10.52.3.9' }] }],
    },
  ];
}

function ambientPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ledger-6c8f7d9b4-zq7xw',
      namespace: 'payments',
      labels: { app: 'ledger', 'istio.io/dataplane-mode': 'ambient' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ledger-6c8f7d9b4', controller: true }],
    },
    spec: { nodeName: NODE, containers: [{ name: 'ledger', image: 'ledger:3.1' }] },
    status: { phase: 'Running' },
  };
}

const refused = (id: number, retry: string) =>
  `2026-05-19T10:00:00.000000Z\twarn\txds::client:xds{id=${id}}\tXDS client connection error: gRPC connection error connecting to https://istiod.istio-system.svc:15012: status: Unknown, message: "client error (Connect)", source: tcp connect error: Connection refused (os error 111), retrying in ${retry}`;
const established = (id: number) => `2026-05-19T10:00:00.000000Z\tinfo\txds::client:xds{id=${id}}\tStream established`;

const at = (time: string, text: string, pod = 'ztunnel-p8k2d', container = 'istio-proxy') =>
  logEntry(time, 'istio-system', pod, container, text);

const found = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

describe('ztunnel-xds-unreachable', () => {
  it('reports ztunnel that keeps failing to connect, with istiod not ready and the ambient workloads on the node', () => {
    const [finding, ...more] = found(
      [ztunnelPod('ztunnel-p8k2d'), ...istiod(0), ambientPod()],
      [
        at('2026-05-19T10:00:01.000Z', established(4)),
        at('2026-05-19T10:04:00.000Z', refused(5, '20ms')),
        at('2026-05-19T10:04:00.030Z', refused(6, '40ms')),
        at('2026-05-19T10:05:30.000Z', refused(18, '15s')),
        at(
          '2026-05-19T10:05:31.000Z',
          "2026-05-19T10:05:31.000000Z\twarn\tstate\ttimed out waiting for workload 'ledger.payments (ledger-6c8f7d9b4-zq7xw)' from xds",
        ),
      ],
    );

    expect(more).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' },
      { kind: 'Service', namespace: 'istio-system', name: 'istiod' },
      { kind: 'Deployment', namespace: 'istio-system', name: 'istiod' },
      { kind: 'Deployment', namespace: 'payments', name: 'ledger' },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain(`ztunnel-p8k2d (node ${NODE}): 3 connection error(s)`);
    expect(text).toContain('no reconnect since');
    expect(text).toContain('Service istio-system/istiod has no ready endpoint');
    expect(text).toContain('1 ambient workload(s) on that node');
    expect(text).toContain(
      'never sent it (timed out waiting for workload ... from xds): payments/ledger-6c8f7d9b4-zq7xw of Deployment payments/ledger',
    );
  });

  it('ignores errors followed by a reconnect (istiod rotating or restarting)', () => {
    expect(
      found(
        [ztunnelPod('ztunnel-p8k2d'), ...istiod(1)],
        [
          at('2026-05-19T10:00:00.000Z', refused(5, '20ms')),
          at('2026-05-19T10:00:00.030Z', refused(6, '40ms')),
          at('2026-05-19T10:00:00.090Z', established(7)),
          at('2026-05-19T10:30:00.000Z', refused(8, '20ms')),
          at('2026-05-19T10:30:00.025Z', established(9)),
        ],
      ),
    ).toEqual([]);
  });

  it('ignores errors that stopped long before the newest evidence even without a reconnect line', () => {
    expect(
      found(
        [ztunnelPod('ztunnel-p8k2d'), ...istiod(1)],
        [
          at('2026-05-19T10:00:00.000Z', refused(5, '20ms')),
          at('2026-05-19T10:00:00.030Z', refused(6, '40ms')),
          at('2026-05-19T10:20:00.000Z', 'an unrelated line that marks how far the logs reach', 'ztunnel-w2m9c'),
        ],
      ),
    ).toEqual([]);
  });

  it('reports a long outage that has ended as a warning', () => {
    const [finding] = found(
      [ztunnelPod('ztunnel-p8k2d'), ...istiod(1)],
      [
        at('2026-05-19T10:00:00.000Z', refused(5, '20ms')),
        at('2026-05-19T10:00:40.000Z', refused(12, '15s')),
        at('2026-05-19T10:01:30.000Z', refused(15, '15s')),
        at('2026-05-19T10:01:45.100Z', established(16)),
      ],
    );

    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps.join('\n')).toContain('reconnected at 2026-05-19T10:01:45.100Z');
  });

  it('reports a stream that keeps dropping and reconnecting (istiod restarting again and again)', () => {
    const flap = (minute: number) => [
      at(`2026-05-19T10:0${minute}:00.000Z`, refused(10 + minute * 3, '20ms')),
      at(`2026-05-19T10:0${minute}:00.030Z`, refused(11 + minute * 3, '40ms')),
      at(`2026-05-19T10:0${minute}:00.100Z`, established(12 + minute * 3)),
    ];
    const [finding] = found([ztunnelPod('ztunnel-p8k2d'), ...istiod(1)], [0, 2, 4, 6].flatMap(flap));

    expect(finding?.severity).toBe('critical');
    expect(finding?.remediation.steps.join('\n')).toContain(
      '8 connection error(s) in 4 outages with reconnects in between',
    );
    expect(finding?.remediation.steps.join('\n')).toContain('The stream keeps dropping on ztunnel-p8k2d');
    expect(found([ztunnelPod('ztunnel-p8k2d'), ...istiod(1)], [0, 4, 8].flatMap(flap))).toEqual([]);
  });

  it('names a NetworkPolicy on istiod that leaves 15012 closed, not one that opens it', () => {
    const policy = (name: string, ports: unknown[]): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: 'istio-system' },
      spec: { podSelector: { matchLabels: { app: 'istiod' } }, policyTypes: ['Ingress'], ingress: [{ ports }] },
    });
    const lines = [
      at(
        '2026-05-19T10:04:00.000Z',
        refused(5, '20ms').replace('Connection refused (os error 111)', 'deadline has elapsed'),
      ),
      at(
        '2026-05-19T10:04:10.000Z',
        refused(9, '320ms').replace('Connection refused (os error 111)', 'deadline has elapsed'),
      ),
    ];

    const [blocked] = found(
      [ztunnelPod('ztunnel-p8k2d'), ...istiod(1), policy('webhooks-only', [{ port: 15017 }])],
      lines,
    );
    const [open] = found(
      [
        ztunnelPod('ztunnel-p8k2d'),
        ...istiod(1),
        policy('webhooks-only', [{ port: 15017 }]),
        policy('xds', [{ port: 'tls-xds' }]),
      ],
      lines.map((l) => ({ ...l })),
    );

    expect(blocked?.resources).toContainEqual({
      kind: 'NetworkPolicy',
      namespace: 'istio-system',
      name: 'webhooks-only',
    });
    expect(blocked?.remediation.steps.join('\n')).toContain('allows no ingress on TCP 15012');
    expect(open?.resources).not.toContainEqual({
      kind: 'NetworkPolicy',
      namespace: 'istio-system',
      name: 'webhooks-only',
    });
    expect(open?.remediation.steps.join('\n')).toContain('a NetworkPolicy, firewall or node network drops traffic');
  });

  it('reads the older tracing format and ignores the same text from a pod that is not ztunnel', () => {
    const old = (id: number) =>
      `2026-05-19T10:00:00.000000Z  WARN xds{id=${id}}: ztunnel::xds::client: XDS client connection error: gRPC connection error (Unknown error): client error (Connect), retrying in 40ms`;

    expect(
      found(
        [ztunnelPod('ztunnel-p8k2d'), ...istiod(0)],
        [at('2026-05-19T10:00:00Z', old(2)), at('2026-05-19T10:00:01Z', old(3))],
      ),
    ).toHaveLength(1);
    expect(
      found(
        [...istiod(0)],
        [
          logEntry('2026-05-19T10:00:00Z', 'egress', 'agw-egress-7b5d9c8f6-2kqzt', 'agentgateway', old(2)),
          logEntry('2026-05-19T10:00:01Z', 'egress', 'agw-egress-7b5d9c8f6-2kqzt', 'agentgateway', old(3)),
        ],
      ),
    ).toEqual([]);
  });

  it('skips when no logs were read', () => {
    const report = diagnoseObjects([ztunnelPod('ztunnel-p8k2d'), ...istiod(0)]);
    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
