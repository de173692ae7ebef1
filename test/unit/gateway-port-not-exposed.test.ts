import { exposedPorts } from '../../src/diagnosis/detectors/gateway-port-not-exposed';
import type { KubeObject, Pod, Service } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'gw-7f9c6d8b5d-x2k4q', namespace: 'edge', labels: { istio: 'edge' } },
  spec: {
    containers: [{ name: 'istio-proxy', ports: [{ name: 'tls-pass', containerPort: 9543 }] }],
  } as unknown as Pod['spec'],
  status: { phase: 'Running' },
};

function service(ports: { port: number; targetPort?: number | string; protocol?: string }[]): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'edge', namespace: 'edge' },
    spec: { selector: { istio: 'edge' }, ports },
  };
}

function gateway(ports: number[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'edge', namespace: 'edge' },
    spec: {
      selector: { istio: 'edge' },
      servers: ports.map((n) => ({ port: { number: n, name: `p${n}`, protocol: 'TCP' }, hosts: ['*'] })),
    },
  };
}

describe('gateway-port-not-exposed', () => {
  it('offers Service ports, numeric target ports and named target ports resolved in the pod, TCP only', () => {
    const ports = exposedPorts(
      [
        service([
          { port: 80, targetPort: 8080 },
          { port: 9443, targetPort: 'tls-pass' },
          { port: 53, protocol: 'UDP' },
        ]),
      ],
      pod,
    );

    expect([...ports].sort((a, b) => a - b)).toEqual([80, 8080, 9443, 9543]);
  });

  it('names the Gateway, the Service and the gateway pod for a port no Service offers', () => {
    const report = diagnoseObjects([pod, service([{ port: 80, targetPort: 8080 }]), gateway([8080, 15443])]);

    const finding = report.findings.find((f) => f.runbook === 'gateway-port-not-exposed');
    expect(finding?.resources).toEqual([
      { kind: 'Gateway', namespace: 'edge', name: 'edge' },
      { kind: 'Service', namespace: 'edge', name: 'edge' },
      { kind: 'Pod', namespace: 'edge', name: 'gw-7f9c6d8b5d-x2k4q' },
    ]);
    expect(finding?.remediation.steps[0]).toMatch(/server port\(s\) 15443,.*only 80, 8080/);
    expect(finding?.severity).toBe('info');
  });

  it('leaves a Gateway without pods to gateway-selector-no-workload', () => {
    const report = diagnoseObjects([
      service([{ port: 80 }]),
      gateway([15443]),
      { ...pod, metadata: { ...pod.metadata, labels: {} } },
    ]);

    expect(report.findings.map((f) => f.runbook)).not.toContain('gateway-port-not-exposed');
  });
});
