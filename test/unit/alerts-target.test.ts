import { extractGroupTarget, extractTarget } from '../../src/alerts';

const NO_NAMESPACE = 'namespace (namespace, kubernetes_namespace, destination_workload_namespace, namespace_name, …)';
const NO_WORKLOAD = 'workload (deployment, workload, destination_workload, app, pod, …)';

describe('extractTarget', () => {
  it.each<[string, Record<string, string>, string, string, string[]]>([
    [
      'kube-state-metrics',
      { namespace: 'shop', deployment: 'cart', job: 'ksm' },
      'shop',
      'cart',
      ['namespace', 'deployment'],
    ],
    [
      'Prometheus pod discovery',
      { kubernetes_namespace: 'shop', app: 'cart' },
      'shop',
      'cart',
      ['kubernetes_namespace', 'app'],
    ],
    [
      'honor_labels off',
      { exported_namespace: 'shop', workload: 'cart' },
      'shop',
      'cart',
      ['exported_namespace', 'workload'],
    ],
    [
      'Istio destination labels',
      { destination_workload_namespace: 'shop', destination_workload: 'cart', reporter: 'destination' },
      'shop',
      'cart',
      ['destination_workload_namespace', 'destination_workload'],
    ],
    [
      'Istio canonical service',
      { destination_service_namespace: 'shop', destination_canonical_service: 'cart' },
      'shop',
      'cart',
      ['destination_service_namespace', 'destination_canonical_service'],
    ],
    [
      'Cloud Monitoring Istio metric labels',
      { namespace_name: 'payments', destination_workload_name: 'checkout', destination_workload_namespace: 'payments' },
      'payments',
      'checkout',
      ['destination_workload_namespace', 'destination_workload_name'],
    ],
    [
      'the recommended app label',
      { namespace: 'shop', app_kubernetes_io_name: 'cart' },
      'shop',
      'cart',
      ['namespace', 'app_kubernetes_io_name'],
    ],
    [
      'OpenTelemetry attributes',
      { k8s_namespace_name: 'shop', k8s_deployment_name: 'cart' },
      'shop',
      'cart',
      ['k8s_namespace_name', 'k8s_deployment_name'],
    ],
    ['a StatefulSet', { namespace: 'data', statefulset: 'redis' }, 'data', 'redis', ['namespace', 'statefulset']],
    [
      'a DaemonSet',
      { namespace: 'kube-system', daemonset: 'istio-cni-node' },
      'kube-system',
      'istio-cni-node',
      ['namespace', 'daemonset'],
    ],
    [
      'GKE system metadata',
      { namespace_name: 'shop', top_level_controller_name: 'cart', pod_name: 'cart-7d9f8b6c5d-x2x4q' },
      'shop',
      'cart',
      ['namespace_name', 'top_level_controller_name'],
    ],
    [
      'a ReplicaSet pod name',
      { namespace_name: 'shop', pod_name: 'cart-7d9f8b6c5d-x2x4q' },
      'shop',
      'cart',
      ['namespace_name', 'pod_name'],
    ],
    [
      'a ReplicaSet pod of a hyphenated deployment',
      { namespace: 'shop', pod: 'cart-api-v2-5f6d7c8b9-k7w2z' },
      'shop',
      'cart-api-v2',
      ['namespace', 'pod'],
    ],
    ['a StatefulSet pod name', { namespace: 'data', pod: 'redis-12' }, 'data', 'redis', ['namespace', 'pod']],
    ['a Service', { namespace: 'shop', service: 'cart-svc' }, 'shop', 'cart-svc', ['namespace', 'service']],
  ])('reads %s', (_name, labels, namespace, workload, from) => {
    const target = extractTarget(labels);

    expect(target).toEqual({ cluster: null, namespace, workload, lacking: [], from });
  });

  it('pairs a destination workload with the destination namespace, not the scraped pod namespace', () => {
    const labels = { namespace: 'web', destination_workload: 'cart', destination_workload_namespace: 'shop' };

    const target = extractTarget(labels);

    expect(target).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: 'cart',
      lacking: [],
      from: ['destination_workload_namespace', 'destination_workload'],
    });
  });

  it('prefers any destination label over a source workload', () => {
    const labels = {
      source_workload: 'frontend',
      source_workload_namespace: 'web',
      destination_workload: 'unknown',
      destination_service_name: 'cart',
      destination_service_namespace: 'shop',
    };

    const target = extractTarget(labels);

    expect(target).toMatchObject({
      namespace: 'shop',
      workload: 'cart',
      from: ['destination_service_namespace', 'destination_service_name'],
    });
  });

  it('uses a source workload with its own namespace when nothing names the destination', () => {
    const labels = { source_workload: 'frontend', source_workload_namespace: 'web', response_code: '503' };

    const target = extractTarget(labels);

    expect(target).toMatchObject({
      namespace: 'web',
      workload: 'frontend',
      from: ['source_workload_namespace', 'source_workload'],
    });
  });

  it("ignores Istio's unknown and values that are not DNS-1123 labels", () => {
    const labels = {
      destination_workload: 'unknown',
      destination_workload_namespace: 'unknown',
      namespace: 'Shop',
      kubernetes_namespace: '',
      deployment: 'cart_v2',
      workload: 'x'.repeat(64),
      app: '-cart',
      namespace_name: 'shop',
      app_kubernetes_io_name: 'cart',
    };

    const target = extractTarget(labels);

    expect(target).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: 'cart',
      lacking: [],
      from: ['namespace_name', 'app_kubernetes_io_name'],
    });
  });

  it('does not guess a workload from pod names it cannot read', () => {
    const labels = { namespace: 'shop', pod: 'debug-shell', pod_name: 'node-agent-x2x4q' };

    const target = extractTarget(labels);

    expect(target).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: null,
      lacking: [NO_WORKLOAD],
      from: ['namespace'],
    });
  });

  it('drops a workload without a namespace', () => {
    const target = extractTarget({ deployment: 'cart', severity: 'critical' });

    expect(target).toEqual({ cluster: null, namespace: null, workload: null, lacking: [NO_NAMESPACE], from: [] });
  });

  it('says both are lacking when the labels name neither', () => {
    const target = extractTarget({
      alertname: 'EnvoyStatsScrapeFailing',
      instance: '10.8.2.17:15090',
      job: 'envoy-stats',
    });

    expect(target).toEqual({
      cluster: null,
      namespace: null,
      workload: null,
      lacking: [NO_NAMESPACE, NO_WORKLOAD],
      from: [],
    });
  });
});

describe('extractGroupTarget', () => {
  const common = { alertname: 'IstioHigh5xxRate', severity: 'critical' };

  it('returns the shared target when all alerts agree', () => {
    const alerts = [
      { ...common, namespace: 'shop', pod: 'cart-7d9f8b6c5d-x2x4q' },
      { ...common, namespace: 'shop', pod: 'cart-7d9f8b6c5d-b8k2m' },
    ];

    const target = extractGroupTarget(alerts, common);

    expect(target).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: 'cart',
      lacking: [],
      from: ['namespace', 'pod'],
    });
  });

  it('keeps only the namespace when the alerts name several workloads in it', () => {
    const alerts = [
      { ...common, namespace: 'shop', deployment: 'cart' },
      { ...common, namespace: 'shop', deployment: 'checkout' },
      { ...common, namespace: 'shop', deployment: 'cart' },
    ];

    const target = extractGroupTarget(alerts, { ...common, namespace: 'shop' });

    expect(target).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: null,
      lacking: ['one workload (the 3 alerts name 2: cart, checkout)'],
      from: ['namespace'],
    });
  });

  it('gives no target when the alerts span several namespaces', () => {
    const alerts = [
      { ...common, namespace: 'shop', deployment: 'cart' },
      { ...common, namespace: 'payments', deployment: 'checkout' },
      { ...common, instance: '10.8.2.17:15090' },
    ];

    const target = extractGroupTarget(alerts, common);

    expect(target).toEqual({
      cluster: null,
      namespace: null,
      workload: null,
      lacking: ['one namespace (the 3 alerts span 3 namespaces: shop, payments, (none))'],
      from: [],
    });
  });

  it('fills in common labels an alert lacks', () => {
    const alerts = [{ alertname: 'IstioHigh5xxRate', deployment: 'cart' }];

    const target = extractGroupTarget(alerts, { namespace: 'shop' });

    expect(target).toMatchObject({ namespace: 'shop', workload: 'cart' });
  });

  it('reads the common labels when there are no alerts', () => {
    const target = extractGroupTarget([], { namespace: 'shop', deployment: 'cart' });

    expect(target).toMatchObject({ namespace: 'shop', workload: 'cart', from: ['namespace', 'deployment'] });
  });
});

describe('the cluster an alert names', () => {
  it.each([
    [{ cluster: 'prod-eu' }, 'prod-eu'],
    [{ cluster_name: 'shop-prod-euw1', location: 'europe-west1' }, 'shop-prod-euw1'],
    [{ k8s_cluster: ' staging ' }, 'staging'],
    [
      { k8s_cluster_name: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' },
      'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
    ],
    [{ cluster: 'two words', cluster_name: 'prod-eu' }, 'prod-eu'],
    [{ cluster: '' }, null],
    [{}, null],
  ])('reads %j as %j', (labels, cluster) => {
    expect(extractTarget({ namespace: 'shop', deployment: 'cart', ...labels }).cluster).toBe(cluster);
  });

  it('names a GKE cluster also by its gcloud context, from the project and location of a Cloud Monitoring resource', () => {
    const gke = { project_id: 'acme-shop-prod', location: 'europe-west1', cluster_name: 'shop-prod-eu' };

    expect(extractTarget({ namespace_name: 'shop', ...gke }).clusterAliases).toEqual([
      'gke_acme-shop-prod_europe-west1_shop-prod-eu',
    ]);
    expect(extractTarget({ namespace: 'shop', cluster: 'prod-eu' }).clusterAliases).toBeUndefined();
    expect(extractTarget({ namespace: 'shop', cluster_name: 'prod-eu', location: 'europe-west1' })).not.toHaveProperty(
      'clusterAliases',
    );
    const group = extractGroupTarget([{ pod_name: 'cart-7d9f8b6c5d-x2x4q' }, { pod_name: 'web-5f6d7c8b9-abcde' }], {
      namespace_name: 'shop',
      ...gke,
    });
    expect(group).toMatchObject({
      namespace: 'shop',
      workload: null,
      clusterAliases: ['gke_acme-shop-prod_europe-west1_shop-prod-eu'],
    });
  });

  it("keeps a group's cluster when its alerts share it, and names the clusters it spans otherwise", () => {
    const one = extractGroupTarget([{ pod: 'cart-7d9f8b6c5d-x2x4q' }, { pod: 'cart-7d9f8b6c5d-abcde' }], {
      namespace: 'shop',
      cluster: 'prod-eu',
    });
    const two = extractGroupTarget(
      [
        { namespace: 'shop', deployment: 'cart', cluster: 'prod-eu' },
        { namespace: 'shop', deployment: 'cart', cluster: 'prod-us' },
      ],
      { namespace: 'shop', deployment: 'cart' },
    );

    expect(one).toMatchObject({ cluster: 'prod-eu', namespace: 'shop' });
    expect(two).toMatchObject({
      cluster: null,
      namespace: null,
      lacking: ['one cluster (the 2 alerts span 2 clusters: prod-eu, prod-us)'],
    });
  });
});
