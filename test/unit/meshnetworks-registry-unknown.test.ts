import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'meshnetworks-registry-unknown';

function meshConfig(meshNetworks: string, name = 'istio'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'istio-system' },
    data: { mesh: '', meshNetworks },
  };
}

function remoteSecret(cluster: string, namespace = 'istio-system'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `istio-remote-secret-${cluster}`, namespace, labels: { 'istio/multiCluster': 'true' } },
    type: 'Opaque',
    data: { [cluster]: 'YXBpVmVyc2lvbjogdjEK' },
  };
}

function istiod(clusterId: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: 'istio-system' },
    spec: {
      template: { spec: { containers: [{ name: 'discovery', env: [{ name: 'CLUSTER_ID', value: clusterId }] }] } },
    },
  };
}

const networks = (...registries: string[]) =>
  `networks:\n${registries.map((r, i) => `  network${i + 1}:\n    endpoints:\n    - fromRegistry: ${r}\n    gateways:\n    - address: 203.0.113.5${i}\n      port: 15443\n`).join('')}`;

function findings(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('meshnetworks-registry-unknown', () => {
  it('reports a fromRegistry that is neither the local cluster nor a remote secret, as info', () => {
    const [finding, ...rest] = findings([
      istiod('cluster-east'),
      meshConfig(networks('cluster-east', 'west-cluster', 'Kubernetes', 'External')),
      remoteSecret('cluster-west'),
    ]);

    expect(rest).toEqual([]);
    expect(finding?.resources).toEqual([{ kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }]);
    expect(finding?.evidence[0]?.text).toMatch(/network network2 has endpoints fromRegistry: west-cluster/);
    expect(finding?.remediation.steps[0]).toMatch(/local cluster is cluster-east .* give cluster-west/);
    expect(finding?.severity).toBe('info');
  });

  it('counts only remote secrets of the control plane namespace that carry the multicluster label', () => {
    const elsewhere = remoteSecret('cluster-west', 'default');
    const unlabelled = { ...remoteSecret('cluster-north'), metadata: { name: 'north', namespace: 'istio-system' } };

    const found = findings([
      istiod('cluster-east'),
      meshConfig(networks('cluster-west', 'cluster-north')),
      elsewhere,
      unlabelled,
    ]);

    expect(found[0]?.evidence.map((e) => e.text)).toEqual([
      'ConfigMap istio-system/istio: meshNetworks: network network1 has endpoints fromRegistry: cluster-west',
      'ConfigMap istio-system/istio: meshNetworks: network network2 has endpoints fromRegistry: cluster-north',
    ]);
  });

  it('accepts known registries, reports unreadable YAML, and is skipped without secrets', () => {
    const ok = findings([
      istiod('cluster-east'),
      meshConfig(networks('cluster-east', 'cluster-west')),
      remoteSecret('cluster-west'),
    ]);
    const [broken] = findings([meshConfig('networks:\n  network1: [\n'), remoteSecret('cluster-west')]);
    const unread = diagnoseObjects([meshConfig(networks('west-cluster'))]);

    expect(ok).toEqual([]);
    expect(broken?.evidence[0]?.text).toMatch(/meshNetworks is not valid YAML/);
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
