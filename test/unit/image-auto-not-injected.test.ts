import type { KubeObject, Pod, Webhook } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event } from '../helpers/evidence';

const ID = 'image-auto-not-injected';

function revisionInjector(rev: string): KubeObject {
  const hook: Webhook = {
    name: 'rev.namespace.sidecar-injector.istio.io',
    clientConfig: { caBundle: 'LS0t', service: { name: `istiod-${rev}`, namespace: 'istio-system' } },
    namespaceSelector: {
      matchExpressions: [
        { key: 'istio.io/rev', operator: 'In', values: [rev] },
        { key: 'istio-injection', operator: 'DoesNotExist' },
      ],
    },
    objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] },
  };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: `istio-sidecar-injector-${rev}`, labels: { 'istio.io/rev': rev } },
    webhooks: [hook],
  };
}

function namespace(labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress', labels } };
}

function gatewayPod(image: string, waitingReason?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'istio-ingressgateway-6d9f8c7b5-k7n2w',
      namespace: 'istio-ingress',
      labels: { istio: 'ingressgateway', 'sidecar.istio.io/inject': 'true', 'pod-template-hash': '6d9f8c7b5' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'istio-ingressgateway-6d9f8c7b5', controller: true },
      ],
    },
    spec: { containers: [{ name: 'istio-proxy', image }] },
    status: {
      phase: waitingReason ? 'Pending' : 'Running',
      containerStatuses: [
        {
          name: 'istio-proxy',
          ready: !waitingReason,
          state: waitingReason
            ? { waiting: { reason: waitingReason, message: 'Back-off pulling image "auto"' } }
            : { running: { startedAt: '2026-12-02T09:41:20Z' } },
        },
      ],
    },
  };
}

function gatewayDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' },
    spec: {
      template: {
        metadata: { labels: { istio: 'ingressgateway', 'sidecar.istio.io/inject': 'true' } },
        spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
      },
    },
  };
}

function findings(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('image-auto-not-injected', () => {
  it('reports a gateway no revision injector selects, with its failing pod, and labels the namespace for the revision', () => {
    const [finding, ...rest] = findings([
      revisionInjector('1-27-2'),
      namespace({}),
      gatewayDeployment(),
      gatewayPod('auto', 'ImagePullBackOff'),
      event(
        '2026-12-02T09:53:40Z',
        { kind: 'Pod', namespace: 'istio-ingress', name: 'istio-ingressgateway-6d9f8c7b5-k7n2w' },
        'BackOff',
        'Back-off pulling image "auto"',
      ),
    ]);

    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources[0]).toEqual({
      kind: 'Deployment',
      namespace: 'istio-ingress',
      name: 'istio-ingressgateway',
    });
    expect(finding?.evidence[0]?.text).toMatch(/BackOff .*Back-off pulling image "auto"/);
    expect(finding?.remediation.steps[0]).toMatch(/only revisioned injectors are installed \(1-27-2\)/);
    expect(finding?.remediation.patches[0]?.patch).toEqual({ metadata: { labels: { 'istio.io/rev': '1-27-2' } } });
  });

  it('says a disabled namespace wins, proposes no label change there, and is a warning with no failing pod', () => {
    const [finding] = findings([
      revisionInjector('1-27-2'),
      namespace({ 'istio-injection': 'disabled' }),
      gatewayDeployment(),
    ]);

    expect(finding?.remediation.steps[0]).toMatch(/labelled istio-injection=disabled/);
    expect(finding?.remediation.patches).toEqual([]);
    expect(finding?.severity).toBe('warning');
  });

  it('leaves a gateway alone when an injector selects it, and is skipped without webhook configurations', () => {
    const injected = findings([
      revisionInjector('1-27-2'),
      namespace({ 'istio.io/rev': '1-27-2' }),
      gatewayDeployment(),
      gatewayPod('docker.io/istio/proxyv2:1.27.2'),
    ]);
    const unread = diagnoseObjects([namespace({}), gatewayDeployment()]);

    expect(injected).toEqual([]);
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
