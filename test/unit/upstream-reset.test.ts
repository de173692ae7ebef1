import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event, logEntry } from '../helpers/evidence';

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-ui', namespace: 'portal' },
  spec: { selector: { app: 'web-ui' } },
};
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web-ui-v2', namespace: 'portal' },
  spec: { template: { metadata: { labels: { app: 'web-ui', version: 'v2' } } } },
};

function access(code: string, details = '-'): Record<string, unknown> {
  return logEntry(
    '2024-05-14T10:00:00Z',
    'istio-system',
    'istio-ingressgateway-5b7f8c9d6f-abcde',
    'istio-proxy',
    `[2024-05-14T10:00:00.000Z] "POST /login HTTP/1.1" ${code} ${details} - "-" 120 95 2 - "10.1.1.1" "Mozilla/5.0" "req-1" "portal.example.com" "10.8.0.4:3000" outbound|3000||web-ui.portal.svc.cluster.local 10.8.0.9:40000 10.8.0.9:8443 10.1.1.1:5555 portal.example.com -`,
  );
}

describe('upstream-reset-503', () => {
  it('names the upstream workload behind the Service for 503 UC connection terminations', () => {
    const report = diagnoseObjects(
      [service, deployment],
      [
        access('503 UC', 'upstream_reset_before_response_started{connection_termination}'),
        access('200 -', 'via_upstream'),
      ],
    );

    const finding = report.findings.find((f) => f.runbook === 'upstream-reset-503');
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'portal', name: 'web-ui-v2' },
      { kind: 'Service', namespace: 'portal', name: 'web-ui' },
    ]);
    expect(finding?.remediation.patches[0]).toMatchObject({
      target: { kind: 'VirtualService', namespace: 'portal' },
      patch: {
        spec: {
          hosts: ['web-ui.portal.svc.cluster.local'],
          http: [
            { retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure,refused-stream' } },
          ],
        },
      },
    });
  });

  it.each([
    ['503 UH', 'no_healthy_upstream'],
    ['503 UF,URX', 'upstream_reset_before_response_started{connection_failure}'],
    ['503 NR', 'route_not_found'],
  ])('does not fire for %s', (code, details) => {
    const report = diagnoseObjects([service, deployment], [access(code, details)]);

    expect(report.findings.map((f) => f.runbook)).not.toContain('upstream-reset-503');
  });
});

/** A Service in namespace shop selecting app=NAME, and the Deployment whose pods it selects. */
function serviceAndDeployment(
  app: string,
  clusterIP: string,
  deployment: string,
  labels: Record<string, string> = {},
): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: 'shop' },
      spec: { clusterIP, selector: { app } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deployment, namespace: 'shop' },
      spec: { template: { metadata: { labels: { app, ...labels } } } },
    },
  ];
}

describe('upstream-reset-503 when the line names no cluster', () => {
  const orders: KubeObject[] = [
    ...serviceAndDeployment('orders', '10.55.240.17', 'orders-v1', { version: 'v1' }),
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'orders-v1-6d8f7c9b4c',
        namespace: 'shop',
        ownerReferences: [{ kind: 'Deployment', name: 'orders-v1', controller: true }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'orders-v1-6d8f7c9b4c-x8p2l',
        namespace: 'shop',
        labels: { app: 'orders', version: 'v1' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'orders-v1-6d8f7c9b4c', controller: true }],
      },
      spec: { containers: [{ name: 'orders' }, { name: 'istio-proxy' }] },
      status: { phase: 'Running', podIP: '10.52.3.14' },
    },
  ];
  /** Istio 1.0 wrote Envoy's default format: no upstream cluster, no addresses after the upstream host. */
  const oldFormat = (authority: string, upstreamHost: string) =>
    logEntry(
      '2018-11-06T14:02:51Z',
      'shop',
      'checkout-5f6b7c8d9f-q2w4x',
      'istio-proxy',
      `[2018-11-06T14:02:51.338Z] "GET /api/orders HTTP/1.1" 503 UC 0 57 1 - "-" "okhttp/3.10.0" "b6f7c1d2-3e4f-9a5b-8c6d-7e8f9a0b1c2d" "${authority}" "${upstreamHost}"`,
    );
  const resourcesOf = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
    diagnoseObjects(objects, entries)
      .findings.filter((f) => f.runbook === 'upstream-reset-503')
      .map((f) => f.resources);

  it('follows the ClusterIP and pod IP of an old-format line to the Service and its Deployment', () => {
    expect(resourcesOf(orders, [oldFormat('10.55.240.17:8080', '10.52.3.14:8080')])).toEqual([
      [
        { kind: 'Deployment', namespace: 'shop', name: 'orders-v1' },
        { kind: 'Service', namespace: 'shop', name: 'orders' },
      ],
    ]);
  });

  it('follows a pod IP alone, through the Endpoints that list the pod when the pod itself was not captured', () => {
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'orders', namespace: 'shop' },
      subsets: [
        {
          addresses: [
            { ip: '10.52.7.40', targetRef: { kind: 'Pod', name: 'orders-v1-6d8f7c9b4c-m4n5b', namespace: 'shop' } },
          ],
        },
      ],
    } as KubeObject;

    expect(resourcesOf([...orders.slice(1, 3), endpoints], [oldFormat('-', '10.52.7.40:8080')])).toEqual([
      [{ kind: 'Deployment', namespace: 'shop', name: 'orders-v1' }],
    ]);
  });

  it('still names the address when nothing captured has it', () => {
    expect(resourcesOf(orders, [oldFormat('10.99.0.5:8080', '10.98.1.1:8080')])).toEqual([
      [{ kind: 'Service', namespace: 'shop', name: '10.99.0.5:8080' }],
    ]);
  });
});

describe("upstream-reset-503 seen only in the application's own log", () => {
  const cart = serviceAndDeployment('cart', '10.55.0.31', 'cart');
  const appLine = (text: string) =>
    logEntry('2024-05-14T09:12:03Z', 'shop', 'checkout-5f6b7c8d9f-q2w4x', 'checkout', text);
  const found = (entries: Record<string, unknown>[]) =>
    diagnoseObjects(cart, entries).findings.filter((f) => f.runbook === 'upstream-reset-503');

  it('leads to the upstream named by the URL the HTTP client logged', () => {
    const [finding] = found([
      appLine(
        '2024-05-14T09:12:03.412Z ERROR [checkout] request to http://cart.shop:8080/api/cart failed with status 503: upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      ),
    ]);

    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      { kind: 'Service', namespace: 'shop', name: 'cart' },
    ]);
    expect(finding?.evidence[0]?.text).toContain('shop/checkout-5f6b7c8d9f-q2w4x[checkout]');
  });

  it('falls back to the calling workload, with lower confidence, when the line names no upstream', () => {
    const [finding] = found([
      appLine(
        'io.grpc.StatusRuntimeException: UNAVAILABLE: upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      ),
    ]);

    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'checkout' }]);
    expect(finding?.confidence).toBeLessThan(0.5);
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('does not name an external host it cannot find as the upstream', () => {
    const [finding] = found([
      appLine(
        'POST https://api.payments.example.com/v1/charges failed: 503 upstream connect error or disconnect/reset before headers. reset reason: connection termination',
      ),
    ]);

    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'checkout' }]);
  });

  it('ignores other reset reasons in the application log', () => {
    expect(
      found([
        appLine(
          'request to http://cart.shop:8080/api/cart failed: upstream connect error or disconnect/reset before headers. reset reason: connection failure',
        ),
      ]),
    ).toEqual([]);
  });
});

describe('upstream-reset-503 and the same words outside requests', () => {
  it("ignores the sidecar's own xDS stream dropping with connection termination", () => {
    const line = logEntry(
      '2024-05-14T09:12:03Z',
      'shop',
      'cart-7d9c5b8f6d-x2k4p',
      'istio-proxy',
      '[2024-05-14 09:12:03.412][14][warning][config] [external/envoy/source/common/config/grpc_stream.h:201] DeltaAggregatedResources gRPC config stream to xds-grpc closed since 45s ago: 14, upstream connect error or disconnect/reset before headers. reset reason: connection termination',
    );

    expect(diagnoseObjects([], [line]).findings.map((f) => f.runbook)).not.toContain('upstream-reset-503');
  });
});

describe("upstream-reset-503 with both the caller's log and its sidecar's access log", () => {
  it('reports the upstream the sidecar names, and no separate finding on the caller', () => {
    const caller = 'checkout-5f6b7c8d9f-q2w4x';
    const entries = [
      logEntry(
        '2024-05-14T09:12:03Z',
        'shop',
        caller,
        'checkout',
        '{"level":"error","msg":"cart refresh failed","status":503,"body":"upstream connect error or disconnect/reset before headers. reset reason: connection termination"}',
      ),
      logEntry(
        '2024-05-14T09:12:03Z',
        'shop',
        caller,
        'istio-proxy',
        '[2024-05-14T09:12:03.412Z] "GET /api/cart HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 1 - "-" "okhttp/4.12.0" "5b0c7e2d-9f1a-4b3c-8d2e-7a6b5c4d3e2f" "cart.shop:8080" "10.8.4.9:8080" outbound|8080||cart.shop.svc.cluster.local 10.8.1.22:40112 10.96.7.31:8080 10.8.1.22:53108 - default',
      ),
    ];

    const found = diagnoseObjects(serviceAndDeployment('cart', '10.55.0.31', 'cart'), entries).findings.filter(
      (f) => f.runbook === 'upstream-reset-503',
    );

    expect(found.map((f) => f.resources[0])).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'cart' }]);
  });
});

describe('upstream-reset-503 through HBONE (ambient gateways and waypoints)', () => {
  const catalogPod = (name: string, ip: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'bookstore',
      labels: { app: 'catalog' },
      ownerReferences: [{ kind: 'ReplicaSet', name: name.slice(0, name.lastIndexOf('-')), controller: true }],
      ...extra,
    },
    spec: { containers: [{ name: 'catalog' }], nodeName: 'node-b' },
    status: { phase: 'Running', podIP: ip, startTime: '2026-11-10T09:12:05Z' },
  });
  const objects: KubeObject[] = [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'bookstore-waypoint', namespace: 'bookstore' },
      spec: { gatewayClassName: 'istio-waypoint' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bookstore-waypoint', namespace: 'bookstore' },
      spec: { template: { metadata: { labels: { 'gateway.networking.k8s.io/gateway-name': 'bookstore-waypoint' } } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'catalog', namespace: 'bookstore' },
      spec: { clusterIP: '10.96.40.12', selector: { app: 'catalog' } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'catalog', namespace: 'bookstore' },
      spec: { template: { metadata: { labels: { app: 'catalog' } } } },
    },
    // Another workload behind the same Service labels: the pod IP, not the Service, says which one reset.
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'catalog-canary', namespace: 'bookstore' },
      spec: { template: { metadata: { labels: { app: 'catalog', track: 'canary' } } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'catalog-canary-6b8d9f7c54-zz2q8',
        namespace: 'bookstore',
        labels: { app: 'catalog', track: 'canary' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'catalog-canary-6b8d9f7c54', controller: true }],
      },
      spec: { containers: [{ name: 'catalog' }] },
      status: { phase: 'Running', podIP: '10.8.4.9', startTime: '2026-11-10T09:12:05Z' },
    },
  ];
  const terminating = catalogPod('catalog-7d4c8b9f65-w9rtx', '10.8.3.22', {
    deletionTimestamp: '2026-11-24T10:15:06Z',
  });
  const waypointLine = (
    time: string,
    ip: string,
    cluster = 'inbound-vip|80|http|catalog.bookstore.svc.cluster.local',
  ) =>
    logEntry(
      time,
      'bookstore',
      'bookstore-waypoint-6c9f8d7b5-x2k9p',
      'istio-proxy',
      `[${time}] "GET /api/books HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 1 - "-" "Go-http-client/2.0" "9ccea098-f92e-4816-a6ca-330c831d03bf" "catalog.bookstore.svc.cluster.local" "envoy://connect_originate/${ip}:8080" ${cluster} envoy://internal_client_address/ 10.96.40.12:80 10.8.1.17:48812 - default`,
    );
  const findingsOf = (entries: Record<string, unknown>[], more: KubeObject[] = []) =>
    diagnoseObjects([...objects, ...more], entries).findings.filter((f) => f.runbook === 'upstream-reset-503');

  it('follows the pod IP inside envoy://connect_originate/ to the pod that reset, and says a waypoint logged it', () => {
    const [finding, ...rest] = findingsOf([waypointLine('2026-11-20T08:00:00.000Z', '10.8.4.9')]);

    expect(rest).toEqual([]);
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'bookstore', name: 'catalog-canary' },
      { kind: 'Service', namespace: 'bookstore', name: 'catalog' },
    ]);
    expect(finding?.remediation.steps.join('\n')).toContain(
      'logged by waypoint Deployment bookstore/bookstore-waypoint, which reach the pods through HBONE tunnels',
    );
    expect(finding?.remediation.steps.join('\n')).toContain('closes idle keep-alive connections');
  });

  it('reads the same from an ingress gateway whose cluster is outbound and whose line is JSON', () => {
    const { textPayload: _text, ...entry } = logEntry(
      '2026-11-20T08:00:00Z',
      'istio-system',
      'istio-ingressgateway-5d8f7c9b46-tq2rn',
      'istio-proxy',
      '',
    );
    const json = {
      ...entry,
      jsonPayload: {
        start_time: '2026-11-20T08:00:00.000Z',
        method: 'GET',
        path: '/api/books',
        protocol: 'HTTP/2',
        response_code: 503,
        response_flags: 'UC',
        response_code_details: 'upstream_reset_before_response_started{connection_termination}',
        upstream_cluster: 'outbound|80||catalog.bookstore.svc.cluster.local',
        upstream_host: 'envoy://connect_originate/10.8.4.9:8080',
      },
    };

    const [finding] = findingsOf([json]);

    expect(finding?.resources[0]).toEqual({ kind: 'Deployment', namespace: 'bookstore', name: 'catalog-canary' });
    expect(finding?.remediation.steps.join('\n')).toContain('gateway Deployment istio-system/istio-ingressgateway');
  });

  it('falls back to the Service the waypoint cluster names when the pod IP is gone', () => {
    const [finding] = findingsOf([waypointLine('2026-11-20T08:00:00.000Z', '10.8.9.99')]);

    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'bookstore', name: 'catalog' },
      { kind: 'Service', namespace: 'bookstore', name: 'catalog' },
    ]);
  });

  it('ties 503 UC to pod terminations of the destination in the same minutes (Killing, Deleted pod, deletionTimestamp)', () => {
    const killed = event(
      '2026-11-24T10:14:02Z',
      { kind: 'Pod', namespace: 'bookstore', name: 'catalog-7d4c8b9f65-h2kqv', fieldPath: 'spec.containers{catalog}' },
      'Killing',
      'Stopping container catalog',
    );
    const lines = [
      waypointLine('2026-11-24T10:14:02.406Z', '10.8.2.31'),
      waypointLine('2026-11-24T10:14:37.095Z', '10.8.3.22'),
      // Long after both terminations: the keep-alive race, not the rollout.
      waypointLine('2026-11-24T10:31:10.000Z', '10.8.3.22'),
    ];

    const [finding] = findingsOf(lines, [killed, terminating]);

    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(finding?.resources[0]).toEqual({ kind: 'Deployment', namespace: 'bookstore', name: 'catalog' });
    expect(steps).toContain(
      '2 of the 3 503 UC came within 2 minutes of pods of Deployment bookstore/catalog terminating',
    );
    expect(steps).toContain('catalog-7d4c8b9f65-h2kqv from 2026-11-24T10:14:02.000Z (Killing event)');
    expect(steps).toContain('catalog-7d4c8b9f65-w9rtx from 2026-11-24T10:14:36.000Z (deletionTimestamp)');
    expect(steps).toContain('preStop');
    expect(steps).toContain('Some 503 UC came at other times');
    expect(steps).not.toContain('closes idle keep-alive connections');
  });

  it('does not tie the failures to terminations of another workload, or hours away', () => {
    const otherKilled = event(
      '2026-11-24T10:14:02Z',
      { kind: 'Pod', namespace: 'bookstore', name: 'storefront-84b6d9c7f5-bq7ws' },
      'Killing',
      'Stopping container storefront',
    );
    const deletedLongAgo = event(
      '2026-11-24T06:00:00Z',
      { kind: 'ReplicaSet', namespace: 'bookstore', name: 'catalog-7d4c8b9f65' },
      'SuccessfulDelete',
      'Deleted pod: catalog-7d4c8b9f65-old01',
    );

    const [finding] = findingsOf(
      [waypointLine('2026-11-24T10:14:02.406Z', '10.8.2.31')],
      [otherKilled, deletedLongAgo],
    );

    expect(finding?.remediation.steps.join('\n')).not.toContain('terminating');
    expect(finding?.remediation.steps.join('\n')).toContain('closes idle keep-alive connections');
  });

  it('does not count other HBONE resets (503 UF connect failure, UH) as connection termination', () => {
    const uf = logEntry(
      '2026-11-20T08:00:00Z',
      'bookstore',
      'bookstore-waypoint-6c9f8d7b5-x2k9p',
      'istio-proxy',
      '[2026-11-20T08:00:00.000Z] "GET /api/books HTTP/2" 503 UF,URX upstream_reset_before_response_started{remote_connection_failure} - "-" 0 91 3 - "-" "Go-http-client/2.0" "1b2c" "catalog.bookstore.svc.cluster.local" "envoy://connect_originate/10.8.4.9:8080" inbound-vip|80|http|catalog.bookstore.svc.cluster.local envoy://internal_client_address/ 10.96.40.12:80 10.8.1.17:48812 - default',
    );

    expect(findingsOf([uf])).toEqual([]);
  });
});
