import { admitsNodeCritical } from '../../src/diagnosis/detectors/istio-node-agent-quota';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event } from '../helpers/evidence';

const ID = 'istio-node-agent-quota';
const GKE_REFUSAL =
  'Error creating: insufficient quota to match these scopes: [{PriorityClass In [system-node-critical system-cluster-critical]}]';
const OLD_REFUSAL =
  'Error creating: pods "istio-cni-node-" is forbidden: pods with system-node-critical priorityClass is not permitted in istio-system namespace';

function daemonSet(name: string, desired: number, current: number, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'istio-system' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { priorityClassName: 'system-node-critical', nodeSelector: { 'kubernetes.io/os': 'linux' } },
      },
    },
    status: { desiredNumberScheduled: desired, currentNumberScheduled: current, numberReady: current },
  };
}

function node(name: string, os = 'linux'): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/os': os } } };
}

function pod(
  ns: string,
  name: string,
  nodeName: string,
  owner: { kind: string; name: string },
  redirected = true,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: {},
      annotations: redirected ? { 'ambient.istio.io/redirection': 'enabled' } : {},
      ownerReferences: [{ ...owner, controller: true }],
    },
    spec: { nodeName, containers: [{ name: 'app' }] },
    status: { phase: 'Running' },
  };
}

function quota(ns: string, values: string[] | null, name = 'compute'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: ns },
    spec: {
      hard: { pods: '100' },
      ...(values
        ? { scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values }] } }
        : {}),
    },
  };
}

const refusal = (name: string, message = GKE_REFUSAL, time = '2026-11-27T15:38:17Z') =>
  event(time, { kind: 'DaemonSet', namespace: 'istio-system', name }, 'FailedCreate', message, 'Warning', 12);

/** Three linux nodes and a windows one; ztunnel runs on a and b; shop/cart runs on c, enrolled, and shop/web on c, not handed over. */
const CLUSTER = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  node('node-a'),
  node('node-b'),
  node('node-c'),
  node('node-win', 'windows'),
  pod('istio-system', 'ztunnel-a1b2c', 'node-a', { kind: 'DaemonSet', name: 'ztunnel' }),
  pod('istio-system', 'ztunnel-d4f5g', 'node-b', { kind: 'DaemonSet', name: 'ztunnel' }),
  pod('shop', 'cart-0', 'node-c', { kind: 'StatefulSet', name: 'cart' }),
  pod('shop', 'web-6c8d9b7f4-hx2lp', 'node-c', { kind: 'ReplicaSet', name: 'web-6c8d9b7f4' }, false),
  pod('shop', 'api-5d8f7c6b9-t4kqz', 'node-a', { kind: 'ReplicaSet', name: 'api-5d8f7c6b9' }),
  quota('kube-system', ['system-node-critical', 'system-cluster-critical']),
  quota('istio-system', null),
];

describe('istio-node-agent-quota', () => {
  it('knows a ResourceQuota that admits system-node-critical from one that does not', () => {
    expect(admitsNodeCritical(quota('x', ['system-node-critical']))).toBe(true);
    expect(admitsNodeCritical(quota('x', ['system-cluster-critical']))).toBe(false);
    expect(admitsNodeCritical(quota('x', null))).toBe(false);
    expect(
      admitsNodeCritical({
        kind: 'ResourceQuota',
        spec: { scopeSelector: { matchExpressions: [{ operator: 'Exists', scopeName: 'PriorityClass' }] } },
      } as KubeObject),
    ).toBe(true);
  });

  it('reports ztunnel refused for its priority class, naming the node without it and the ambient workloads there', () => {
    const report = diagnoseObjects([...CLUSTER, daemonSet('ztunnel', 3, 2, { app: 'ztunnel' }), refusal('ztunnel')]);

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.resources).toEqual([
      { kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' },
      { kind: 'StatefulSet', namespace: 'shop', name: 'cart' },
      { kind: 'Deployment', namespace: 'shop', name: 'web' },
    ]);
    const steps = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('wants 3 pod(s) and has 2 (2 ready): 1 node(s) have no ztunnel');
    expect(steps).toContain('Nodes without ztunnel: node-c.');
    expect(steps).toContain('StatefulSet shop/cart is redirected to a ztunnel its node does not run');
    expect(steps).toContain('Deployment shop/web was never handed to ztunnel');
    expect(steps).toContain('No ResourceQuota in istio-system has a PriorityClass scope');
    expect(steps).toContain('"namespace":"istio-system"');
    expect(report.findings.filter((f) => f.runbook === 'pod-creation-failed')).toEqual([]);
  });

  it('reads the older refusal of istio-cni-node, a warning when no ambient pod runs on the node without it', () => {
    const report = diagnoseObjects([
      node('node-a'),
      node('node-b'),
      pod('istio-system', 'istio-cni-node-x7k2p', 'node-a', { kind: 'DaemonSet', name: 'istio-cni-node' }),
      daemonSet('istio-cni-node', 2, 1, { 'k8s-app': 'istio-cni-node' }),
      refusal('istio-cni-node', OLD_REFUSAL),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps.join('\n')).toContain('Nodes without istio-cni node agent: node-b.');
  });

  it('is quiet once a quota admits the class, once the DaemonSet has caught up, and for other DaemonSets', () => {
    const admitted = diagnoseObjects([
      ...CLUSTER,
      quota('istio-system', ['system-node-critical'], 'ztunnel'),
      daemonSet('ztunnel', 3, 2, { app: 'ztunnel' }),
      refusal('ztunnel'),
    ]);
    const caughtUp = diagnoseObjects([...CLUSTER, daemonSet('ztunnel', 3, 3, { app: 'ztunnel' }), refusal('ztunnel')]);
    const other = diagnoseObjects([
      ...CLUSTER,
      daemonSet('ztunnel', 3, 3, { app: 'ztunnel' }),
      daemonSet('node-exporter', 3, 0, { app: 'node-exporter' }),
      refusal('node-exporter'),
    ]);

    expect(admitted.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(caughtUp.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(other.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(other.findings.filter((f) => f.runbook === 'pod-creation-failed')).toHaveLength(1);
  });

  it('skips without DaemonSets', () => {
    const report = diagnoseObjects([node('node-a')]);
    expect(report.checks.find((c) => c.id === ID)).toEqual({
      id: ID,
      status: 'skipped',
      detail: 'DaemonSets were not read',
    });
  });
});
