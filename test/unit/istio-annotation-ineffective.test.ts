import { closestKnown, invalidValue, readFromPods } from '../../src/diagnosis/annotations';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'istio-annotation-ineffective';

function deployment(own: Record<string, string>, template: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ledger', namespace: 'payments', annotations: own },
    spec: { template: { metadata: { annotations: template }, spec: { containers: [{ name: 'ledger' }] } } },
  };
}

function findings(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('istio-annotation-ineffective', () => {
  it('reports a pod annotation on the workload metadata that the template lacks, and not one the template repeats', () => {
    const [finding] = findings([
      deployment(
        { 'sidecar.istio.io/proxyCPU': '500m', 'sidecar.istio.io/proxyMemory': '1Gi' },
        { 'sidecar.istio.io/proxyMemory': '1Gi' },
      ),
    ]);

    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'payments', name: 'ledger' }]);
    expect(finding?.evidence.map((e) => e.text)).toEqual([
      "Deployment payments/ledger: sidecar.istio.io/proxyCPU is set on the Deployment's own metadata, where Istio never reads it; it takes effect only under spec.template.metadata.annotations (IST0107)",
    ]);
    expect(finding?.severity).toBe('info');
  });

  it('proposes moving the misplaced valid annotations into the pod template, and not an invalid one', () => {
    const [finding] = findings([
      deployment(
        {
          'sidecar.istio.io/proxyCPU': '500m',
          'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
          'sidecar.istio.io/rewriteAppHTTPProbers': 'maybe',
          'team.example/owner': 'payments',
        },
        {},
      ),
    ]);

    expect(finding?.remediation.patches).toEqual([
      {
        target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'ledger' },
        type: 'merge',
        patch: {
          metadata: {
            annotations: { 'sidecar.istio.io/proxyCPU': null, 'traffic.sidecar.istio.io/excludeOutboundPorts': null },
          },
          spec: {
            template: {
              metadata: {
                annotations: {
                  'sidecar.istio.io/proxyCPU': '500m',
                  'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
                },
              },
            },
          },
        },
      },
    ]);
    expect(finding?.evidence.map((e) => e.text).join('\n')).toContain(
      'sidecar.istio.io/rewriteAppHTTPProbers is set on the Deployment\'s own metadata, where Istio never reads it; it takes effect only under spec.template.metadata.annotations (IST0107), and there it would be refused: sidecar.istio.io/rewriteAppHTTPProbers "maybe" is not "true" or "false"',
    );
    expect(
      findings([deployment({}, { 'sidecar.istio.io/rewriteAppHTTPProbers': 'yes' })])[0]?.remediation.patches,
    ).toEqual([]);
  });

  it('names the closest known annotation for a typo, and checks values by type', () => {
    const [finding] = findings([
      deployment(
        {},
        {
          'traffic.sidecar.istio.io/excludeInboundPort': '9090',
          'sidecar.istio.io/rewriteAppHTTPProbers': 'yes',
          'readiness.status.sidecar.istio.io/periodSeconds': '10s',
          'proxy.istio.io/config': '- a list',
        },
      ),
    ]);

    expect(finding?.evidence.map((e) => e.text.replace('Deployment payments/ledger: ', ''))).toEqual([
      'traffic.sidecar.istio.io/excludeInboundPort is not an Istio annotation (did you mean traffic.sidecar.istio.io/excludeInboundPorts?), so it is ignored (IST0108)',
      'sidecar.istio.io/rewriteAppHTTPProbers "yes" is not "true" or "false"',
      'readiness.status.sidecar.istio.io/periodSeconds "10s" is not a whole number',
    ]);
    expect(finding?.remediation.steps).toContain(
      'proxy.istio.io/config is not a YAML or JSON object of ProxyConfig fields',
    );
  });

  it('accepts valid template annotations and other prefixes, and knows which names Istio reads from pods', () => {
    const found = findings([
      deployment(
        { 'deployment.kubernetes.io/revision': '4', 'networking.istio.io/exportTo': '.' },
        { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}', 'sidecar.istio.io/inject': 'true' },
      ),
    ]);

    expect(found).toEqual([]);
    expect(readFromPods('sidecar.istio.io/proxyCPU')).toBe(true);
    expect(closestKnown('sidecar.istio.io/completely-different-thing')).toBeNull();
    expect(invalidValue('proxy.istio.io/config', 'holdApplicationUntilProxyStarts: true')).toBeNull();
  });
});
