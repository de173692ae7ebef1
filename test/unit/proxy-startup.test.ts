import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event, logEntry } from '../helpers/evidence';

const NS = 'orders';
const POD = 'api-7d9c5b8f6d-x2k4p';
const proxy = { kind: 'Pod', namespace: NS, name: POD, fieldPath: 'spec.containers{istio-proxy}' };

function pod(annotations: Record<string, string> = {}, readyAt = '2024-05-14T10:00:20Z', sidecar = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: POD,
      namespace: NS,
      annotations,
      labels: { 'pod-template-hash': '7d9c5b8f6d' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'api-7d9c5b8f6d', controller: true }],
    },
    spec: { containers: [{ name: 'api' }, ...(sidecar ? [{ name: 'istio-proxy' }] : [])] },
    status: {
      phase: 'Running',
      startTime: '2024-05-14T10:00:00Z',
      conditions: [{ type: 'ContainersReady', status: 'True', lastTransitionTime: readyAt }],
      containerStatuses: [
        { name: 'istio-proxy', ready: true, state: { running: { startedAt: '2024-05-14T10:00:01Z' } } },
      ],
    },
  };
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: NS },
  spec: { template: { metadata: { annotations: { 'proxy.istio.io/config': '{"concurrency": 2}' } } } },
};

const startupEvents = [
  event('2024-05-14T10:00:01Z', proxy, 'Started', 'Started container istio-proxy'),
  event(
    '2024-05-14T10:00:03Z',
    proxy,
    'Unhealthy',
    'Readiness probe failed: HTTP probe failed with statuscode: 503',
    'Warning',
  ),
  event(
    '2024-05-14T10:00:15Z',
    proxy,
    'Unhealthy',
    'Readiness probe failed: HTTP probe failed with statuscode: 503',
    'Warning',
  ),
];

function refusal(time: string) {
  return logEntry(time, NS, POD, 'api', 'Error: connect ECONNREFUSED 10.20.0.7:5432');
}

describe('proxy-startup-econnrefused', () => {
  it('fires when the first refusal falls while the sidecar is not ready, and merges the patch', () => {
    const report = diagnoseObjects(
      [pod(), deployment, ...startupEvents],
      [refusal('2024-05-14T10:00:02.5Z'), refusal('2024-05-14T10:00:09Z')],
    );

    const finding = report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: NS, name: 'api' }]);
    expect(finding?.evidence[0]?.text).toMatch(/^first application error \(2s after istio-proxy started\)/);
    expect(finding?.evidence.map((e) => e.timestamp)).toEqual([
      '2024-05-14T10:00:02.5Z',
      '2024-05-14T10:00:01Z',
      '2024-05-14T10:00:03Z',
      '2024-05-14T10:00:15Z',
      '2024-05-14T10:00:20.000Z',
    ]);
    const annotations = (
      finding?.remediation.patches[0]?.patch as {
        spec: { template: { metadata: { annotations: Record<string, string> } } };
      }
    ).spec.template.metadata.annotations;
    expect(JSON.parse(annotations['proxy.istio.io/config']!)).toEqual({
      concurrency: 2,
      holdApplicationUntilProxyStarts: true,
    });
  });

  it('does not fire when refusals begin long after the sidecar was ready (the backend is down)', () => {
    const report = diagnoseObjects(
      [pod(), deployment, ...startupEvents],
      [refusal('2024-05-14T10:12:00Z'), refusal('2024-05-14T10:12:05Z')],
    );

    expect(report.findings.map((f) => f.runbook)).not.toContain('proxy-startup-econnrefused');
    expect(report.checks.find((c) => c.id === 'proxy-startup-econnrefused')?.detail).toMatch(
      /after the sidecar was ready/,
    );
  });

  it('does not fire when holdApplicationUntilProxyStarts is already on, or the pod has no sidecar', () => {
    const held = diagnoseObjects(
      [pod({ 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true' }), ...startupEvents],
      [refusal('2024-05-14T10:00:02Z')],
    );
    const plain = diagnoseObjects([pod({}, '2024-05-14T10:00:20Z', false)], [refusal('2024-05-14T10:00:02Z')]);

    expect(held.findings.map((f) => f.runbook)).not.toContain('proxy-startup-econnrefused');
    expect(plain.findings.map((f) => f.runbook)).not.toContain('proxy-startup-econnrefused');
  });

  it('works from events and logs alone, naming the Deployment from the pod name', () => {
    const report = diagnoseObjects(startupEvents, [refusal('2024-05-14T10:00:04Z')]);

    expect(report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused')?.resources).toEqual([
      { kind: 'Deployment', namespace: NS, name: 'api' },
    ]);
  });

  it('ignores refusals logged by the sidecar itself', () => {
    const report = diagnoseObjects(
      [pod(), ...startupEvents],
      [
        logEntry(
          '2024-05-14T10:00:02Z',
          NS,
          POD,
          'istio-proxy',
          'dial tcp 10.0.0.1:15012: connect: connection refused',
        ),
      ],
    );

    expect(report.findings).toEqual([]);
  });
});
