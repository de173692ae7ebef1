import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const runbooks = (objects: KubeObject[], entries: Record<string, unknown>[] = []) =>
  diagnoseObjects(objects, entries).findings.map((f) => f.runbook);

function xds(time: string, pod = 'cart-7d9c5b8f6d-x2k4p') {
  return logEntry(
    time,
    'shop',
    pod,
    'istio-proxy',
    'warning envoy config StreamAggregatedResources gRPC config stream to xds-grpc closed: 14, no healthy upstream',
  );
}

function watch(time: string) {
  return logEntry(
    time,
    'istio-system',
    'istiod-6d5c7b9f8-abcde',
    'discovery',
    'error k8s.io/client-go@v0.29.1/tools/cache/reflector.go:150: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.0.0.1:443/api/v1/services": dial tcp 10.0.0.1:443: connect: connection refused',
  );
}

const later = (time: string) => logEntry(time, 'shop', 'cart-7d9c5b8f6d-x2k4p', 'cart', 'served request');

describe('noise a healthy cluster produces', () => {
  it('ignores a brief xDS reconnect, but reports a stream that stays down', () => {
    expect(runbooks([], [xds('2024-05-14T10:00:00Z')])).not.toContain('xds-no-healthy-upstream');
    expect(
      runbooks([], [xds('2024-05-14T10:00:00Z'), xds('2024-05-14T10:00:20Z'), xds('2024-05-14T10:01:10Z')]),
    ).toContain('xds-no-healthy-upstream');
  });

  it('ignores one old API-server watch error, but reports recent or repeated ones', () => {
    expect(runbooks([], [watch('2024-05-14T09:00:00Z'), later('2024-05-14T11:00:00Z')])).not.toContain(
      'istiod-apiserver-connection',
    );
    expect(runbooks([], [watch('2024-05-14T10:59:00Z'), later('2024-05-14T11:00:00Z')])).toContain(
      'istiod-apiserver-connection',
    );
  });

  it('ignores an istio-init failure that is only history on a running pod', () => {
    const pod = (phase: string, state: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-7d9c5b8f6d-x2k4p', namespace: 'shop' },
      spec: { initContainers: [{ name: 'istio-init' }], containers: [{ name: 'cart' }, { name: 'istio-proxy' }] },
      status: {
        phase,
        initContainerStatuses: [
          { name: 'istio-init', restartCount: 1, state, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      },
    });

    expect(runbooks([pod('Running', { terminated: { exitCode: 0, reason: 'Completed' } })])).not.toContain(
      'istio-init-failure',
    );
    expect(runbooks([pod('Pending', { waiting: { reason: 'CrashLoopBackOff' } })])).toContain('istio-init-failure');
  });

  it('does not pull an unlabeled namespace into the mesh because another namespace routes to it', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'grafana-0', namespace: 'monitoring' },
        spec: { containers: [{ name: 'grafana' }] },
        status: { phase: 'Running' },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cart-1', namespace: 'shop' },
        spec: { containers: [{ name: 'cart' }, { name: 'istio-proxy' }] },
        status: { phase: 'Running' },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'grafana', namespace: 'istio-ingress' },
        spec: { http: [{ route: [{ destination: { host: 'grafana.monitoring.svc.cluster.local' } }] }] },
      },
    ];

    expect(runbooks(objects)).not.toContain('sidecar-not-injected');
    expect(
      diagnoseObjects(objects, [], { namespace: 'monitoring', workload: null }).findings.map((f) => f.runbook),
    ).toContain('sidecar-not-injected');
  });
});
