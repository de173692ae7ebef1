import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event, logEntry } from '../helpers/evidence';

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

describe('routine xDS stream rotations', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'cart-7d9c5b8f6d-x2k4p', namespace: 'shop' },
    spec: { containers: [{ name: 'cart' }, { name: 'istio-proxy' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'cart', ready: true, restartCount: 0 },
        { name: 'istio-proxy', ready: true, restartCount: 0 },
      ],
    },
  };
  const line = (time: string, text: string) => logEntry(time, 'shop', 'cart-7d9c5b8f6d-x2k4p', 'istio-proxy', text);
  const goaway = (time: string) =>
    line(
      time,
      'warning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: 14, closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR, debug data: ',
    );
  const closedSince = (time: string) =>
    line(
      time,
      'warning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tDeltaAggregatedResources gRPC config stream to xds-grpc closed since 1792s ago: 14, upstream connect error or disconnect/reset before headers. reset reason: connection termination\tthread=18',
    );
  const reconnected = (time: string) =>
    line(time, 'info\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012');

  it('stays quiet for GOAWAY rotations every few minutes over half an hour on a ready proxy', () => {
    const entries = ['10:01:12', '10:08:40', '10:16:05', '10:23:51', '10:31:02'].flatMap((t) => [
      goaway(`2024-05-14T${t}Z`),
      reconnected(`2024-05-14T${t}.4Z`),
    ]);

    expect(runbooks([pod], entries)).not.toContain('xds-no-healthy-upstream');
  });

  it('stays quiet for status-14 closes each followed by a reconnect, a few per half hour', () => {
    const entries = [
      ['10:00:05', '10:00:06'],
      ['10:11:40', '10:11:41'],
      ['10:24:19', '10:24:20'],
    ].flatMap(([closed, back]) => [closedSince(`2024-05-14T${closed}Z`), reconnected(`2024-05-14T${back}Z`)]);

    expect(runbooks([pod], entries)).not.toContain('xds-no-healthy-upstream');
  });

  it('reports the same closes when the proxy never reconnects after the last one', () => {
    const entries = [
      closedSince('2024-05-14T10:00:05Z'),
      reconnected('2024-05-14T10:00:07Z'),
      closedSince('2024-05-14T10:11:40Z'),
      closedSince('2024-05-14T10:24:19Z'),
    ];

    expect(runbooks([pod], entries)).toContain('xds-no-healthy-upstream');
  });

  it('reports closes at a high rate even when the proxy reconnects in between', () => {
    const entries = ['10:00:05', '10:01:10', '10:02:30', '10:03:45'].flatMap((t) => [
      xds(`2024-05-14T${t}Z`),
      reconnected(`2024-05-14T${t}.9Z`),
    ]);

    expect(runbooks([pod], entries)).toContain('xds-no-healthy-upstream');
  });
});

describe("another mesh's init container", () => {
  const initPod = (container: string, annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-6f7d8c9b5d-m4k2p', namespace: 'storefront', annotations },
    spec: {
      initContainers: [{ name: container }],
      containers: [{ name: 'web' }, { name: container === 'istio-init' ? 'istio-proxy' : 'linkerd-proxy' }],
    },
    status: {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: container,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    },
  });
  const iptables = (container: string) =>
    logEntry(
      '2024-05-14T10:00:00Z',
      'storefront',
      'web-6f7d8c9b5d-m4k2p',
      container,
      "iptables v1.8.7 (legacy): can't initialize iptables table `nat': Permission denied (you must be root)",
    );
  const psp = (namespaceAnnotations: Record<string, string>): KubeObject[] => [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'storefront', annotations: namespaceAnnotations },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-6f7d8c9b5d',
        namespace: 'storefront',
        ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
      },
      spec: { replicas: 2, template: { metadata: { annotations: namespaceAnnotations } } },
      status: { replicas: 0 },
    },
    event(
      '2024-05-14T10:00:00Z',
      { kind: 'ReplicaSet', namespace: 'storefront', name: 'web-6f7d8c9b5d' },
      'FailedCreate',
      'Error creating: pods "web-6f7d8c9b5d-" is forbidden: PodSecurityPolicy: unable to admit pod: [spec.initContainers[0].securityContext.capabilities.add: Invalid value: "NET_ADMIN": capability may not be added]',
      'Warning',
      12,
    ),
  ];

  it.each(['linkerd-init', 'kuma-init'])('does not report %s refused NET_ADMIN as istio-init-failure', (name) => {
    expect(runbooks([initPod(name, {})], [iptables(name)])).not.toContain('istio-init-failure');
  });

  it("reports Istio's own init container in the same state", () => {
    expect(runbooks([initPod('istio-init', {})], [iptables('istio-init')])).toContain('istio-init-failure');
  });

  it('does not blame istio-init for a pod security policy refusal in a Linkerd-injected namespace', () => {
    expect(runbooks(psp({ 'linkerd.io/inject': 'enabled' }))).not.toContain('istio-init-failure');
    expect(runbooks(psp({}))).toContain('istio-init-failure');
  });
});
