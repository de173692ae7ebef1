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
    expect(finding?.evidence[0]?.text).toMatch(/^first application error \(1.5 s after istio-proxy started\)/);
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

  it('reads startup-probe failures of a classic sidecar as not ready', () => {
    const startupProbeEvents = [
      startupEvents[0]!,
      event(
        '2024-05-14T10:00:03Z',
        proxy,
        'Unhealthy',
        'Startup probe failed: HTTP probe failed with statuscode: 503',
        'Warning',
        9,
      ),
    ];
    const report = diagnoseObjects([pod(), deployment, ...startupProbeEvents], [refusal('2024-05-14T10:00:02.5Z')]);

    const finding = report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.evidence.map((e) => e.text)).toContainEqual(
      expect.stringMatching(/^sidecar not ready: .*Startup probe failed/),
    );
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

  it('does not fire for a pod without a sidecar', () => {
    const plain = diagnoseObjects([pod({}, '2024-05-14T10:00:20Z', false)], [refusal('2024-05-14T10:00:02Z')]);

    expect(plain.findings.map((f) => f.runbook)).not.toContain('proxy-startup-econnrefused');
  });

  it('when the running pods already hold the application, says the race is not the cause and proposes nothing', () => {
    const held = diagnoseObjects(
      [pod({ 'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true' }), ...startupEvents],
      [refusal('2024-05-14T10:00:02Z')],
    );

    const finding = held.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.patches).toEqual([]);
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toMatch(/already runs with holdApplicationUntilProxyStarts/);
    expect(steps).not.toMatch(/Add the pod-template annotation/);
  });

  it('when only the pod template holds the application (an applied fix), asks for a restart instead of the patch', () => {
    const fixed: KubeObject = {
      ...deployment,
      spec: {
        template: {
          metadata: {
            annotations: { 'proxy.istio.io/config': '{"concurrency":2,"holdApplicationUntilProxyStarts":true}' },
          },
        },
      },
    };
    const report = diagnoseObjects([pod(), fixed, ...startupEvents], [refusal('2024-05-14T10:00:02.5Z')]);

    const finding = report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.remediation.patches).toEqual([]);
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toMatch(/already sets holdApplicationUntilProxyStarts in its pod template/);
    expect(steps).toMatch(/kubectl -n orders rollout restart deployment\/api/);
    expect(steps).not.toMatch(/Add the pod-template annotation|No patch proposed/);
  });

  it('when the pod template already asks for a native sidecar, asks for a restart instead of the patch', () => {
    const native: KubeObject = {
      ...deployment,
      spec: { template: { metadata: { annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } } } },
    };
    const report = diagnoseObjects([pod(), native, ...startupEvents], [refusal('2024-05-14T10:00:02.5Z')]);

    const finding = report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.remediation.patches).toEqual([]);
    expect(finding?.remediation.steps.join('\n')).toMatch(/restartPolicy Always/);
  });

  it('never proposes the hold annotation for a native sidecar', () => {
    const native = (startupProbe: boolean): KubeObject => {
      const base = pod();
      const spec = {
        initContainers: [
          {
            name: 'istio-proxy',
            restartPolicy: 'Always',
            ...(startupProbe
              ? {
                  startupProbe: {
                    httpGet: { path: '/healthz/ready', port: 15021 },
                    periodSeconds: 1,
                    failureThreshold: 600,
                  },
                }
              : {}),
          },
        ],
        containers: [{ name: 'api' }],
      };
      return { ...base, spec };
    };
    const nativeEvents = startupEvents.map((e) => ({
      ...e,
      involvedObject: { ...proxy, fieldPath: 'spec.initContainers{istio-proxy}' },
    }));
    const probed = diagnoseObjects([native(true), deployment, ...nativeEvents], [refusal('2024-05-14T10:00:02.5Z')]);
    const unprobed = diagnoseObjects([native(false), deployment, ...nativeEvents], [refusal('2024-05-14T10:00:02.5Z')]);

    expect(probed.findings.map((f) => f.runbook)).not.toContain('proxy-startup-econnrefused');
    expect(probed.checks.find((c) => c.id === 'proxy-startup-econnrefused')?.detail).toMatch(
      /native sidecar with a startup probe/,
    );
    const finding = unprobed.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
    expect(finding?.remediation.patches).toEqual([]);
    expect(finding?.remediation.steps.join('\n')).toMatch(/Re-enable the injected startup probe/);
  });

  it('says that native sidecars are off because of an old node, where istiod would inject them', () => {
    const istiod: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: { template: { spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.28.1' }] } } },
      status: { availableReplicas: 1 },
    };
    const node = (name: string, kubeletVersion: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { nodeInfo: { kubeletVersion } },
    });
    const objects = [pod(), deployment, istiod, ...startupEvents];
    const mixed = diagnoseObjects(
      [
        ...objects,
        node('gke-prod-pool-a-5f2c', 'v1.33.5-gke.1080000'),
        node('gke-prod-legacy-7k1q', 'v1.32.9-gke.1548000'),
      ],
      [refusal('2024-05-14T10:00:02.5Z')],
    );
    const current = diagnoseObjects(
      [...objects, node('gke-prod-pool-a-5f2c', 'v1.33.5-gke.1080000')],
      [refusal('2024-05-14T10:00:02.5Z')],
    );

    const steps = (r: typeof mixed) =>
      r.findings.find((f) => f.runbook === 'proxy-startup-econnrefused')?.remediation.steps.join('\n');
    expect(steps(mixed)).toMatch(
      /Native sidecars are off because node gke-prod-legacy-7k1q runs kubelet v1\.32\.9-gke\.1548000/,
    );
    expect(steps(current)).not.toMatch(/Native sidecars are off/);
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
