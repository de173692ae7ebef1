import type { KubeObject, Pod } from '../../src/diagnosis/kube-types';
import { imageTag } from '../../src/diagnosis/proxies';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'sidecar-version-skew';

function proxyPod(name: string, image: string, revision: string, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-7b9f5d6c8-h2m9q`,
      namespace: 'shop',
      creationTimestamp: '2026-11-10T15:20:31Z',
      labels: { app: name, 'pod-template-hash': '7b9f5d6c8' },
      annotations: {
        'sidecar.istio.io/status': JSON.stringify({ containers: ['istio-proxy'], revision }),
        ...annotations,
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-7b9f5d6c8`, controller: true }],
    },
    spec: {
      containers: [
        { name, image: `registry.example.com/${name}:2.8.0` },
        { name: 'istio-proxy', image },
      ],
    },
    status: { phase: 'Running' },
  };
}

function injectorValues(name: string, values: unknown): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'istio-system' },
    data: { values: JSON.stringify(values) },
  };
}

function istiod(name: string, revision: string | null, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'istio-system',
      creationTimestamp: '2026-06-10T09:00:00Z',
      labels: revision ? { 'istio.io/rev': revision } : {},
    },
    spec: { template: { spec: { containers: [{ name: 'discovery', image }] } } },
  };
}

function injectorWebhook(revision: string): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: `istio-sidecar-injector-${revision}` },
    webhooks: [
      {
        name: 'rev.namespace.sidecar-injector.istio.io',
        clientConfig: { service: { name: `istiod-${revision}`, namespace: 'istio-system' } },
        namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revision] }] },
      },
    ],
  };
}

function skew(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('sidecar-version-skew', () => {
  it('compares each proxy with the hub, tag and proxy image of its revision injector values', () => {
    const values = { global: { hub: 'docker.io/istio', tag: '1.27.2', proxy: { image: 'proxyv2' } } };

    const [finding, ...rest] = skew([
      injectorValues('istio-sidecar-injector', values),
      proxyPod('cart', 'docker.io/istio/proxyv2:1.26.3', 'default'),
      proxyPod('catalog', 'docker.io/istio/proxyv2:1.27.2', 'default'),
    ]);

    expect(rest).toEqual([]);
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio-sidecar-injector' },
    ]);
    expect(finding?.remediation.steps[0]).toMatch(
      /proxyv2:1\.26\.3, but the injector of revision default now injects docker\.io\/istio\/proxyv2:1\.27\.2/,
    );
    expect(finding?.severity).toBe('info');
    expect(finding?.remediation.patches.map((p) => p.target.name)).toEqual(['cart']);
  });

  it("falls back to the tag of the revision's istiod image, per revision", () => {
    const found = skew([
      istiod('istiod-1-27-2', '1-27-2', 'gcr.io/istio-release/pilot:1.27.2'),
      istiod('istiod', null, 'gcr.io/istio-release/pilot:1.26.3'),
      proxyPod('cart', 'gcr.io/istio-release/proxyv2:1.26.3', '1-27-2'),
      proxyPod('ledger', 'gcr.io/istio-release/proxyv2:1.26.3', 'default'),
    ]);

    expect(found.map((f) => f.resources.map((r) => r.name))).toEqual([['cart', 'istiod-1-27-2']]);
    expect(found[0]?.remediation.steps.join(' ')).toMatch(
      /proxy tag 1\.27\.2, per Deployment istio-system\/istiod-1-27-2/,
    );
  });

  it('flags proxies of a revision no injector serves, and leaves a pinned proxy image alone', () => {
    const found = skew([
      injectorWebhook('1-27-2'),
      istiod('istiod-1-27-2', '1-27-2', 'docker.io/istio/pilot:1.27.2'),
      proxyPod('cart', 'docker.io/istio/proxyv2:1.25.1', '1-25-1'),
      proxyPod('debugged', 'docker.io/istio/proxyv2:1.27.2-debug', '1-27-2', {
        'sidecar.istio.io/proxyImage': 'docker.io/istio/proxyv2:1.27.2-debug',
      }),
    ]);

    expect(found.map((f) => f.resources.map((r) => r.name))).toEqual([['cart']]);
    expect(found[0]?.remediation.steps.join(' ')).toMatch(/revision 1-25-1 is no longer installed/);
  });

  it('leaves ztunnel alone: its istio-proxy container runs the ztunnel image of its DaemonSet, not an injected proxy', () => {
    const values = { global: { hub: 'docker.io/istio', tag: '1.29.0', proxy: { image: 'proxyv2' } } };
    const ztunnel: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'ztunnel-4kq8d',
        namespace: 'istio-system',
        labels: { app: 'ztunnel', 'istio.io/dataplane-mode': 'none', 'sidecar.istio.io/inject': 'false' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ztunnel', controller: true }],
      },
      spec: {
        containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.28.2', args: ['proxy', 'ztunnel'] }],
      },
      status: { phase: 'Running' },
    };

    const found = skew([
      injectorValues('istio-sidecar-injector', values),
      istiod('istiod', null, 'docker.io/istio/pilot:1.29.0'),
      ztunnel,
      proxyPod('cart', 'docker.io/istio/proxyv2:1.28.2', 'default'),
    ]);

    expect(found.map((f) => f.resources.map((r) => `${r.kind} ${r.name}`))).toEqual([
      ['Deployment cart', 'ConfigMap istio-sidecar-injector'],
    ]);
  });

  it('does not call a revision removed when no injector configuration is visible at all', () => {
    const report = diagnoseObjects([
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'cert-manager-webhook' },
        webhooks: [{ name: 'webhook.cert-manager.io', clientConfig: { service: { name: 'cert-manager-webhook' } } }],
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { mesh: '' },
      },
      proxyPod('cart', 'docker.io/istio/proxyv2:1.4.10', 'default'),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
  });

  it('is skipped when no pods were read', () => {
    const report = diagnoseObjects([istiod('istiod', null, 'docker.io/istio/pilot:1.27.2')]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('reads the tag of an image reference with a registry port or a digest', () => {
    expect(imageTag('registry.local:5000/istio/proxyv2:1.27.2')).toBe('1.27.2');
    expect(imageTag('docker.io/istio/proxyv2:1.27.2@sha256:0f3c')).toBe('1.27.2');
    expect(imageTag('registry.local:5000/istio/proxyv2')).toBeNull();
  });
});
