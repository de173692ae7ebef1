import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ambient-hbone-blocked';
const TIMEOUT = 'connection timed out, maybe a NetworkPolicy is blocking HBONE port 15008: deadline has elapsed';

function namespace(
  name: string,
  labels: Record<string, string> = { 'istio.io/dataplane-mode': 'ambient' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pod(
  ns: string,
  name: string,
  app: string,
  ip: string,
  options: { sidecar?: boolean; ports?: { name: string; containerPort: number }[] } = {},
): KubeObject {
  const hash = name.split('-').at(-2) ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, controller: true }],
    },
    spec: {
      nodeName: 'node-a',
      containers: [
        { name: app, image: `${app}:1`, ports: options.ports ?? [{ name: 'http', containerPort: 8080 }] },
        ...(options.sidecar ? [{ name: 'istio-proxy', image: 'proxyv2:1.28.1' }] : []),
      ],
    },
    status: { phase: 'Running', podIP: ip, startTime: '2026-05-11T07:00:00Z' },
  };
}

function policy(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: { matchLabels: { app: 'payment-gateway' } }, policyTypes: ['Ingress'], ...spec },
  };
}

const fromOrders = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } } }];
const rules = (...ports: Record<string, unknown>[][]) => ({
  ingress: ports.map((p) => ({ from: fromOrders, ports: p })),
});

const gateway = pod('payments', 'payment-gateway-7f5b9c6d8-m4x7p', 'payment-gateway', '10.52.2.17');
const caller = pod('orders', 'order-api-6c8f7d9b45-t7k2m', 'order-api', '10.52.1.23');
const worker = pod('orders', 'fulfillment-worker-59d7c6b8f4-j4q9x', 'fulfillment-worker', '10.52.1.37');
const base = [namespace('payments'), namespace('orders'), gateway, caller, worker];
const blocking = policy(
  'payments',
  'payment-gateway-ingress',
  rules([{ protocol: 'TCP', port: 8080 }], [{ protocol: 'TCP', port: 9102 }]),
);
const denyAll = policy('payments', 'default-deny-ingress', { podSelector: {} });

function ztunnel(
  time: string,
  options: { src?: [string, string]; dst?: string; dstWorkload?: string; error?: string; level?: string } = {},
): Record<string, unknown> {
  const [srcPod, srcIp] = options.src ?? ['order-api-6c8f7d9b45-t7k2m', '10.52.1.23'];
  const dst = options.dst ?? '10.52.2.17';
  const error = options.error ?? TIMEOUT;
  return logEntry(
    time,
    'istio-system',
    'ztunnel-q8n4c',
    'istio-proxy',
    `${time}\t${options.level ?? 'error'}\taccess\tconnection complete\tsrc.addr=${srcIp}:48712 src.workload="${srcPod}" src.namespace="orders" dst.addr=${dst}:15008 dst.hbone_addr=${dst}:8080 dst.workload="${options.dstWorkload ?? 'payment-gateway-7f5b9c6d8-m4x7p'}" dst.namespace="payments" direction="outbound" bytes_sent=0 bytes_recv=0 duration="10002ms" error="${error}"`,
  );
}

const report = (objects: KubeObject[], entries: Record<string, unknown>[] = []) => diagnoseObjects(objects, entries);
const found = (objects: KubeObject[], entries: Record<string, unknown>[] = []) =>
  report(objects, entries).findings.filter((f) => f.runbook === ID);

describe('ambient-hbone-blocked', () => {
  it('names the NetworkPolicy, the destination and the callers of timed-out HBONE connections, and patches the rule in use', () => {
    const [finding, ...more] = found(
      [...base, blocking, denyAll],
      [
        ztunnel('2026-05-11T08:12:04.318402Z'),
        ztunnel('2026-05-11T08:12:31.902771Z', { src: ['fulfillment-worker-59d7c6b8f4-j4q9x', '10.52.1.37'] }),
        ztunnel('2026-05-11T08:19:41.249118Z'),
      ],
    );

    expect(more).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'payments', name: 'payment-gateway' },
      { kind: 'NetworkPolicy', namespace: 'payments', name: 'payment-gateway-ingress' },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain(
      'Connections to Deployment payments/payment-gateway (pod IP 10.52.2.17, application port 8080) timed out on HBONE port 15008 with nothing sent or received: seen 3 time(s) from 2026-05-11T08:12:04.318402Z to 2026-05-11T08:19:41.249118Z',
    );
    expect(text).toContain('Callers: Deployment orders/order-api (2), Deployment orders/fulfillment-worker (1).');
    expect(text).toContain('allows ingress on TCP 8080 (rule 0) and TCP 9102 (rule 1), never on TCP 15008');
    expect(text).toContain(
      'NetworkPolicy payments/default-deny-ingress selects pod payment-gateway-7f5b9c6d8-m4x7p and admits no ingress',
    );
    expect(text).toContain('Rule 1 is left as it is');
    expect(finding?.remediation.patches).toEqual([
      {
        target: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          namespace: 'payments',
          name: 'payment-gateway-ingress',
        },
        type: 'json',
        patch: [
          { op: 'test', path: '/spec/ingress/0/ports', value: [{ protocol: 'TCP', port: 8080 }] },
          { op: 'add', path: '/spec/ingress/0/ports/-', value: { protocol: 'TCP', port: 15008 } },
        ],
      },
    ]);
  });

  it('finds the destination by the workload ztunnel names when its IP belongs to no pod read', () => {
    const [finding] = found([...base, blocking], [ztunnel('2026-05-11T08:12:04Z', { dst: '10.52.9.9' })]);

    expect(finding?.resources).toContainEqual({
      kind: 'NetworkPolicy',
      namespace: 'payments',
      name: 'payment-gateway-ingress',
    });
  });

  it('reads named ports, ranges and protocols: a policy admitting TCP 15008 is not blamed', () => {
    const named = pod('payments', 'payment-gateway-7f5b9c6d8-m4x7p', 'payment-gateway', '10.52.2.17', {
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'hbone', containerPort: 15008 },
      ],
    });
    const admitting = [
      rules([{ protocol: 'TCP', port: 8080 }, { port: 15008 }]),
      rules([{ protocol: 'TCP', port: 8000, endPort: 16000 }]),
      rules([{ protocol: 'TCP', port: 8080 }], [{ protocol: 'TCP' }]),
      { ingress: [{ from: fromOrders }] },
    ];
    for (const spec of admitting) {
      expect(found([...base, policy('payments', 'payment-gateway-ingress', spec)])).toEqual([]);
    }
    const byName = [namespace('payments'), namespace('orders'), named, caller];
    expect(found([...byName, policy('payments', 'np', rules([{ protocol: 'TCP', port: 'hbone' }]))])).toEqual([]);
    expect(found([...byName, policy('payments', 'np', rules([{ protocol: 'TCP', port: 'grpc' }]))])).toHaveLength(1);
    expect(found([...base, policy('payments', 'np', rules([{ protocol: 'UDP', port: 15008 }]))])).toHaveLength(1);
    expect(
      found([...base, policy('payments', 'np', rules([{ protocol: 'TCP', port: 15000, endPort: 15007 }]))]),
    ).toHaveLength(1);
  });

  it('warns from the objects alone for a running ambient pod, proposing 15008 on every rule with ports', () => {
    const [finding] = found([...base, blocking]);

    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps.join('\n')).toContain('Lower severity: no logs were read');
    expect(finding?.remediation.steps[0]).toContain('runs in ambient mode (ztunnel only)');
    expect(finding?.remediation.patches[0]?.patch).toEqual([
      { op: 'test', path: '/spec/ingress/0/ports', value: [{ protocol: 'TCP', port: 8080 }] },
      { op: 'add', path: '/spec/ingress/0/ports/-', value: { protocol: 'TCP', port: 15008 } },
      { op: 'test', path: '/spec/ingress/1/ports', value: [{ protocol: 'TCP', port: 9102 }] },
      { op: 'add', path: '/spec/ingress/1/ports/-', value: { protocol: 'TCP', port: 15008 } },
    ]);
    expect(
      found(
        [...base, blocking],
        [ztunnel('2026-05-11T08:12:04Z', { level: 'info', error: 'io error: Connection refused (os error 111)' })],
      )[0]?.remediation.steps.join('\n'),
    ).toContain('Lower severity: no failing requests seen in the logs read');
  });

  it('leaves alone sidecar and non-ambient pods, egress-only policies, default denies, and pods another policy opens', () => {
    const sidecar = pod('payments', 'payment-gateway-7f5b9c6d8-m4x7p', 'payment-gateway', '10.52.2.17', {
      sidecar: true,
    });
    const opener = policy('payments', 'allow-hbone', { podSelector: {}, ...rules([{ protocol: 'TCP', port: 15008 }]) });
    const egressOnly = policy('payments', 'egress', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 53 }] }] });

    expect(found([namespace('payments'), sidecar, blocking])).toEqual([]);
    expect(found([namespace('payments', {}), gateway, blocking])).toEqual([]);
    expect(found([...base, egressOnly])).toEqual([]);
    expect(found([...base, denyAll])).toEqual([]);
    expect(found([...base, blocking, opener])).toEqual([]);
    expect(
      found([
        ...base,
        policy('payments', 'other', { podSelector: { matchLabels: { app: 'x' } }, ...rules([{ port: 8080 }]) }),
      ]),
    ).toEqual([]);
  });

  it('with a timeout but no policy to blame, says where else to look and proposes nothing', () => {
    const [finding] = found(
      [...base, policy('payments', 'unrelated', { podSelector: { matchLabels: { app: 'x' } } })],
      [ztunnel('2026-05-11T08:12:04Z')],
    );

    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'payments', name: 'payment-gateway' }]);
    expect(finding?.remediation.steps.join('\n')).toContain('No Kubernetes NetworkPolicy limits ingress');
    expect(finding?.remediation.patches).toEqual([]);

    const cilium: KubeObject = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'payment-gateway-l4', namespace: 'payments' },
      spec: {
        endpointSelector: { matchLabels: { app: 'payment-gateway' } },
        ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      },
    };
    expect(found([...base, cilium, blocking], [ztunnel('2026-05-11T08:12:04Z')])[0]?.remediation.steps).toContain(
      'CiliumNetworkPolicy payments/payment-gateway-l4 also selects pod payment-gateway-7f5b9c6d8-m4x7p for ingress: it must allow TCP 15008 from the callers as well.',
    );
  });

  it("with a timeout and a policy that does admit 15008, points at that policy's peers", () => {
    const partners = policy('payments', 'allow-partners', {
      ingress: [{ from: [{ ipBlock: { cidr: '192.168.10.0/24' } }], ports: [{ protocol: 'TCP', port: 15008 }] }],
    });
    const [finding] = found([...base, denyAll, partners], [ztunnel('2026-05-11T08:12:04Z')]);

    expect(finding?.resources).toContainEqual({ kind: 'NetworkPolicy', namespace: 'payments', name: 'allow-partners' });
    expect(finding?.confidence).toBe(0.8);
    expect(finding?.remediation.steps.join('\n')).toContain(
      'only from the peers of its rules: check that they include the callers',
    );
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('names the default deny when nothing admits any traffic, and proposes no patch', () => {
    const [finding] = found([...base, denyAll], [ztunnel('2026-05-11T08:12:04Z')]);

    expect(finding?.resources).toContainEqual({
      kind: 'NetworkPolicy',
      namespace: 'payments',
      name: 'default-deny-ingress',
    });
    expect(finding?.remediation.steps.join('\n')).toContain('No NetworkPolicy admits any traffic');
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('patches none when several policies lack 15008 for the port in use, and says so', () => {
    const second = policy('payments', 'payment-gateway-partners', rules([{ protocol: 'TCP', port: 8080 }]));
    const [finding] = found([...base, blocking, second], [ztunnel('2026-05-11T08:12:04Z')]);

    expect(finding?.resources).toHaveLength(3);
    expect(finding?.remediation.patches).toEqual([]);
    expect(finding?.remediation.steps.join('\n')).toContain('Several NetworkPolicies select the pods');
  });

  it('ignores other ztunnel errors, and is skipped with neither logs nor NetworkPolicies', () => {
    const refused = ztunnel('2026-05-11T08:12:04Z', { error: 'io error: Connection refused (os error 111)' });

    expect(found([...base, policy('payments', 'np', rules([]))], [refused])).toEqual([]);
    expect(report([...base]).checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
