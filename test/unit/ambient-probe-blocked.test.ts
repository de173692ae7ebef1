import type { KubeObject } from '../../src/diagnosis/kube-types';
import { cidrContains } from '../../src/diagnosis/network-policies';
import { diagnoseObjects, event } from '../helpers/evidence';

const ID = 'ambient-probe-blocked';
const POD = 'ledger-7d5c9b8f6-q4w2z';
const TIMEOUT =
  'Readiness probe failed: Get "http://10.60.4.12:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)';

function namespace(labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'accounts', labels } };
}

const AMBIENT = namespace({ 'istio.io/dataplane-mode': 'ambient' });

function ledger(o: { ready?: boolean; sidecar?: boolean; probe?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: POD,
      namespace: 'accounts',
      labels: { app: 'ledger', 'pod-template-hash': '7d5c9b8f6' },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ledger-7d5c9b8f6', controller: true }],
    },
    spec: {
      nodeName: 'gke-acct-pool-1-3c7e9a2b-z4lq',
      containers: [
        {
          name: 'ledger',
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: o.probe ?? { httpGet: { path: '/ready', port: 'http' } },
        },
        ...(o.sidecar ? [{ name: 'istio-proxy' }] : []),
      ],
    },
    status: {
      phase: 'Running',
      startTime: '2026-07-14T12:00:00Z',
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: '2026-07-14T12:05:00Z' }],
      containerStatuses: [{ name: 'ledger', ready: !!o.ready, restartCount: 0, state: { running: {} } }],
    },
  };
}

function failures(message = TIMEOUT, count = 30): KubeObject {
  return event(
    '2026-07-14T12:09:40Z',
    { kind: 'Pod', namespace: 'accounts', name: POD, fieldPath: 'spec.containers{ledger}' },
    'Unhealthy',
    message,
    'Warning',
    count,
  );
}

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'accounts', creationTimestamp: '2026-07-14T12:04:30Z' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ...spec },
  };
}

const DENY = policy('deny-all-ingress', {});

function allowFrom(from: unknown[] | undefined, ports?: unknown[]): KubeObject {
  return policy('allow-some', {
    podSelector: { matchLabels: { app: 'ledger' } },
    ingress: [{ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }],
  });
}

function found(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('ambient-probe-blocked', () => {
  it('names the default-deny policy and the workload of an ambient pod whose probe times out', () => {
    const [finding, ...rest] = found([AMBIENT, ledger(), failures(), DENY]);

    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'NetworkPolicy', namespace: 'accounts', name: 'deny-all-ingress' },
      { kind: 'Deployment', namespace: 'accounts', name: 'ledger' },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('readiness probe on port 8080 timed out 30 time(s)');
    expect(text).toContain('NetworkPolicy accounts/deny-all-ingress (no ingress rule: denies all)');
    expect(text).toContain('CNIs that recognise the node by its address');
    expect(text).toContain(
      'a NetworkPolicy in accounts selecting these pods with an ingress rule from ipBlock 169.254.7.127/32',
    );
  });

  it('reports a pod without readiness probe that its liveness probe keeps restarting, while the failures are recent', () => {
    const restarted = (ready: boolean): KubeObject => {
      const pod = ledger({ ready, probe: {} }) as KubeObject & {
        spec: { containers: Record<string, unknown>[] };
        status: { containerStatuses: Record<string, unknown>[] };
      };
      pod.spec.containers[0]!.livenessProbe = { tcpSocket: { port: 8080 } };
      pod.status.containerStatuses[0]!.restartCount = 6;
      return pod;
    };
    const liveness = failures('Liveness probe failed: dial tcp 10.60.4.12:8080: i/o timeout', 18);
    const later: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'clock', namespace: 'other', creationTimestamp: '2026-07-14T12:30:00Z' },
    };

    const [finding] = found([AMBIENT, restarted(true), liveness, DENY]);
    expect(finding?.remediation.steps[0]).toContain(
      "are restarted by their liveness probe: the kubelet's liveness probe on port 8080 timed out 18 time(s)",
    );
    expect(found([AMBIENT, restarted(true), liveness, DENY, later])).toEqual([]);
  });

  it('says when the cluster runs Cilium', () => {
    const cilium: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'cilium', namespace: 'kube-system' },
    };
    const [finding] = found([AMBIENT, ledger(), failures(), DENY, cilium]);

    expect(finding?.remediation.steps.join('\n')).toContain('The cluster runs Cilium (DaemonSet kube-system/cilium)');
  });

  it('is satisfied by any rule admitting the probe address or all sources on the probe port', () => {
    const admitted = [
      allowFrom([{ ipBlock: { cidr: '169.254.0.0/16' } }]),
      allowFrom([{ ipBlock: { cidr: '169.254.7.127/32' } }], [{ port: 'http' }]),
      allowFrom(undefined, [{ port: 8080, protocol: 'TCP' }]),
      allowFrom([{ ipBlock: { cidr: '0.0.0.0/0' } }], [{ port: 8000, endPort: 8100 }]),
    ];
    for (const allow of admitted) expect(found([AMBIENT, ledger(), failures(), DENY, allow])).toEqual([]);
  });

  it('still fires when the allowing rule excludes the address, covers another port or admits only pods', () => {
    const refused = [
      allowFrom([{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.7.127/32'] } }]),
      allowFrom([{ ipBlock: { cidr: '169.254.7.127/32' } }], [{ port: 9090 }]),
      allowFrom([{ namespaceSelector: {} }]),
      allowFrom(undefined, [{ port: 8080, protocol: 'UDP' }]),
    ];
    for (const allow of refused) {
      const [finding] = found([AMBIENT, ledger(), failures(), allow]);
      expect(finding?.resources[0]).toEqual({ kind: 'NetworkPolicy', namespace: 'accounts', name: 'allow-some' });
      expect(finding?.remediation.steps.join('\n')).toContain(
        'in NetworkPolicy accounts/allow-some, or a NetworkPolicy',
      );
    }
  });

  it('leaves sidecar pods, Ready pods, refusals, exec probes and pods no ingress policy selects alone', () => {
    expect(found([AMBIENT, ledger({ sidecar: true }), failures(), DENY])).toEqual([]);
    expect(found([AMBIENT, ledger({ ready: true }), failures(), DENY])).toEqual([]);
    expect(
      found([
        AMBIENT,
        ledger(),
        failures(
          'Readiness probe failed: Get "http://10.60.4.12:8080/ready": dial tcp 10.60.4.12:8080: connect: connection refused',
        ),
        DENY,
      ]),
    ).toEqual([]);
    expect(
      found([
        AMBIENT,
        ledger({ probe: { exec: { command: ['cat', '/tmp/ready'] } } }),
        failures('Readiness probe failed: command timed out: "cat /tmp/ready" timed out after 1s'),
        DENY,
      ]),
    ).toEqual([]);
    expect(found([AMBIENT, ledger(), failures(), policy('egress-only', { policyTypes: ['Egress'] })])).toEqual([]);
    const outside = ledger();
    outside.metadata = { ...outside.metadata, annotations: {} };
    expect(found([namespace({}), outside, failures(), DENY])).toEqual([]);
  });

  it('reads Cilium policies: endpoint selection, default deny, fromCIDR and the world entity', () => {
    const cnp = (name: string, ingress: unknown[]): KubeObject => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name, namespace: 'accounts' },
      spec: { endpointSelector: { matchLabels: { 'k8s:app': 'ledger' } }, ingress },
    });
    const ccnp = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'allow-ambient-probes' },
      spec: { endpointSelector: {}, ...spec },
    });
    const denying = cnp('ledger-from-gateway', [{ fromEndpoints: [{ matchLabels: { app: 'gateway' } }] }]);

    const [finding] = found([AMBIENT, ledger(), failures(), denying]);
    expect(finding?.resources[0]).toEqual({
      kind: 'CiliumNetworkPolicy',
      namespace: 'accounts',
      name: 'ledger-from-gateway',
    });
    expect(
      found([AMBIENT, ledger(), failures(), denying, ccnp({ ingress: [{ fromCIDR: ['169.254.7.127/32'] }] })]),
    ).toEqual([]);
    expect(found([AMBIENT, ledger(), failures(), cnp('from-world', [{ fromEntities: ['world'] }])])).toEqual([]);
    expect(
      found([AMBIENT, ledger(), failures(), ccnp({ ingress: [{}], enableDefaultDeny: { ingress: false } })]),
    ).toEqual([]);
  });

  it('compares IPv4 CIDRs', () => {
    expect(cidrContains('169.254.7.127/32', '169.254.7.127')).toBe(true);
    expect(cidrContains('169.254.0.0/16', '169.254.7.127')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '169.254.7.127')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '169.254.7.127')).toBe(true);
    expect(cidrContains('fd00::/8', '169.254.7.127')).toBe(false);
  });

  it('is skipped when neither pods nor network policies were read', () => {
    const noPolicies = diagnoseObjects([AMBIENT, ledger(), failures()]);
    const noPods = diagnoseObjects([AMBIENT, DENY]);

    expect(noPolicies.checks.find((c) => c.id === ID)).toMatchObject({ status: 'skipped' });
    expect(noPods.checks.find((c) => c.id === ID)).toMatchObject({ status: 'skipped' });
  });
});
