import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

function gateway(namespace: string, selector: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace, creationTimestamp: '2024-06-11T08:00:00Z' },
    spec: { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  };
}

function pod(namespace: string, labels: Record<string, string>, phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gw-7f9c6d8b5d-x2k4q', namespace, labels },
    status: { phase },
  };
}

function istiod(scoped: boolean): KubeObject {
  const env = scoped ? [{ name: 'PILOT_SCOPE_GATEWAY_TO_NAMESPACE', value: 'true' }] : [];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod' } },
    spec: { template: { metadata: { labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', env }] } } },
  };
}

const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'site', namespace: 'web' },
  spec: { hosts: ['*'], gateways: ['web/web'] },
};

function finding(objects: KubeObject[], target?: { namespace: string | null; workload: string | null }) {
  return diagnoseObjects(objects, [], target).findings.find((f) => f.runbook === 'gateway-selector-no-workload');
}

describe('gateway-selector-no-workload', () => {
  it('accepts gateway pods in another namespace by default, but not when istiod scopes Gateways to their namespace', () => {
    const objects = [gateway('web', { istio: 'ingressgateway' }), pod('istio-system', { istio: 'ingressgateway' })];

    expect(finding([...objects, istiod(false)])).toBeUndefined();
    expect(finding([...objects, istiod(true)])?.remediation.steps[0]).toMatch(/PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true/);
  });

  it('does not count a finished pod, and names the VirtualServices bound, at a lower severity', () => {
    const f = finding([
      gateway('web', { istio: 'ingressgateway' }),
      pod('web', { istio: 'ingressgateway' }, 'Succeeded'),
      vs,
    ]);

    expect(f?.resources).toEqual([
      { kind: 'Gateway', namespace: 'web', name: 'web' },
      { kind: 'VirtualService', namespace: 'web', name: 'site' },
    ]);
    expect(f?.severity).toBe('warning');
  });

  it('does not report a Gateway whose pods may run in a namespace this diagnosis did not read', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'edge', namespace: 'edge' },
      spec: { selector: { istio: 'edge' } },
    };

    expect(
      finding([gateway('web', { istio: 'edge' }), service, pod('web', { app: 'site' })], {
        namespace: 'web',
        workload: null,
      }),
    ).toBeUndefined();
    expect(finding([gateway('web', { istio: 'edge' }), service, pod('web', { app: 'site' })])).toBeDefined();
  });

  it('skips when pods were not read', () => {
    const report = diagnoseObjects([gateway('web', { istio: 'ingressgateway' })]);

    expect(report.checks.find((c) => c.id === 'gateway-selector-no-workload')).toMatchObject({ status: 'skipped' });
  });
});
