import { KubeConfig } from '@kubernetes/client-node';
import { FAILED_CREATE_SELECTOR, readCluster, SECRETS_PERMISSION } from '../../src/collect/live/cluster-reader';
import { makeKubeApis } from '../../src/collect/live/kube-apis';
import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { LogMatcher } from '../../src/collect/log-matcher';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi, FakeKubeApiOptions } from '../fakes/kube-api';
import { KEY_VALUE, sameNamedGateways, tlsSecret } from '../fakes/kube-api/sample-objects';

const fast = { attempts: 2, baseMs: 1, maxMs: 5, timeoutMs: 2000 };

const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  creationTimestamp: '2026-12-02T12:00:00Z',
});

/** A small mesh: Istio and Gateway API Gateways of the same name, a route, ConfigMaps, a Node, a Secret. */
const OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('istio-system') },
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('shop') },
  ...sameNamedGateways(),
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta('cart', 'shop'),
    spec: { parentRefs: [{ name: 'shop-gateway' }], rules: [{ backendRefs: [{ name: 'cart', port: 8080 }] }] },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('istio', 'istio-system'), data: { mesh: 'defaultConfig: {}' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('istio-leader', 'istio-system'), data: {} },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('gke-prod-pool-1-a1b2'),
    status: {
      nodeInfo: { kubeletVersion: 'v1.31.4-gke.1256000', containerRuntimeVersion: 'containerd://1.7.24' },
      images: [{ names: ['gcr.io/istio-release/proxyv2:1.24.2'], sizeBytes: 91234567 }],
    },
  },
  tlsSecret('shop-credential', 'istio-system'),
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('cart-6d9f7c8b5b.17c8', 'shop'),
    involvedObject: { kind: 'ReplicaSet', namespace: 'shop', name: 'cart-6d9f7c8b5b' },
    reason: 'FailedCreate',
    type: 'Warning',
    message:
      'Error creating: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": context deadline exceeded',
    count: 14,
    lastTimestamp: '2026-12-02T12:30:00Z',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('cart-6d9f7c8b5b-x1.17c9', 'shop'),
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cart-6d9f7c8b5b-x1' },
    reason: 'Scheduled',
    type: 'Normal',
    message: 'Successfully assigned shop/cart-6d9f7c8b5b-x1 to gke-prod-pool-1-a1b2',
    lastTimestamp: '2026-12-02T12:29:00Z',
  },
];

let kube: FakeKubeApi | null = null;
afterEach(async () => {
  await kube?.close();
  kube = null;
});

async function read(options: FakeKubeApiOptions, namespace: string | null = null) {
  kube = await startFakeKubeApi(options);
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml);
  const builder = new EvidenceBuilder(new LogMatcher([]));
  const checks = await readCluster(makeKubeApis(kc), builder, {
    namespace,
    controlPlaneNamespaces: ['istio-system'],
    retry: fast,
  });
  return {
    checks,
    evidence: builder.build(),
    requests: kube.requests,
    check: (id: string) => checks.find((c) => c.id === id),
  };
}

describe('the cluster reader', () => {
  it('files Gateway API kinds apart from Istio ones, with their real apiVersion', async () => {
    const { evidence, check } = await read({ objects: OBJECTS });

    expect(evidence.objects.get('Gateway')?.map((g) => g.apiVersion)).toEqual(['networking.istio.io/v1']);
    expect(evidence.objects.get('Gateway.gateway.networking.k8s.io')?.map((g) => g.apiVersion)).toEqual([
      'gateway.networking.k8s.io/v1',
    ]);
    expect(evidence.objects.get('HTTPRoute')?.[0]?.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(check('read:gateways')).toMatchObject({
      status: 'ok',
      detail: '1 gateways (networking.istio.io/v1) in all namespaces',
    });
    expect(check('read:gateways.gateway.networking.k8s.io')).toMatchObject({ status: 'ok' });
  });

  it('reads the CRDs first and lists only installed custom kinds, once each, at a served version', async () => {
    const { checks, requests, check } = await read({ objects: OBJECTS });

    expect(requests[0]?.path).toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(check('read:sidecars')).toEqual({
      id: 'read:sidecars',
      status: 'skipped',
      detail: 'Sidecar is not installed (no sidecars.networking.istio.io CRD)',
    });
    expect(requests.filter((r) => r.path.includes('sidecars'))).toEqual([]);
    const paths = requests.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(requests.length).toBe(checks.filter((c) => c.status !== 'skipped').length);
    expect(checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('lists a custom kind at the version its CRD serves, without trying newer ones', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'peerauthentications.security.istio.io' },
      spec: {
        group: 'security.istio.io',
        names: { kind: 'PeerAuthentication', plural: 'peerauthentications' },
        scope: 'Namespaced',
        versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    const strict = {
      apiVersion: 'security.istio.io/v1beta1',
      kind: 'PeerAuthentication',
      metadata: meta('default', 'istio-system'),
      spec: { mtls: { mode: 'STRICT' } },
    };

    const { evidence, requests, check } = await read({ objects: [crd, strict] });

    expect(requests.filter((r) => r.path.includes('peerauthentications')).map((r) => r.path)).toEqual([
      '/apis/security.istio.io/v1beta1/peerauthentications',
    ]);
    expect(check('read:peerauthentications')?.detail).toBe(
      '1 peerauthentications (security.istio.io/v1beta1) in all namespaces',
    );
    expect(evidence.objects.get('CustomResourceDefinition')?.[0]?.spec).toEqual({
      group: 'security.istio.io',
      names: { kind: 'PeerAuthentication', plural: 'peerauthentications' },
      scope: 'Namespaced',
      versions: [{ name: 'v1beta1', served: true, storage: true }],
    });
  });

  it('falls back to trying versions in turn when the CRDs may not be listed; absent kinds stay skipped', async () => {
    const started = await startFakeKubeApi({ objects: OBJECTS });
    started.faults.add({ path: '/apis/apiextensions.k8s.io/', status: 403 });
    const kc = new KubeConfig();
    kc.loadFromString(started.kubeconfigYaml);
    kube = started;
    const builder = new EvidenceBuilder(new LogMatcher([]));

    const checks = await readCluster(makeKubeApis(kc), builder, {
      controlPlaneNamespaces: ['istio-system'],
      retry: fast,
    });

    const byId = (id: string) => checks.find((c) => c.id === id);
    expect(byId('read:customresourcedefinitions')?.detail).toMatch(
      /access denied: mesh-doctor may not list customresourcedefinitions/,
    );
    expect(byId('read:sidecars')).toMatchObject({ status: 'skipped' });
    expect(started.requests.filter((r) => r.path.endsWith('/sidecars')).map((r) => r.path)).toEqual([
      '/apis/networking.istio.io/v1/sidecars',
      '/apis/networking.istio.io/v1beta1/sidecars',
      '/apis/networking.istio.io/v1alpha3/sidecars',
    ]);
    expect(builder.build().objects.get('Gateway.gateway.networking.k8s.io')).toHaveLength(1);
  });

  it('keeps only the mesh ConfigMaps, and Secrets and Nodes reduced', async () => {
    const { evidence } = await read({ objects: OBJECTS });

    expect(evidence.objects.get('ConfigMap')?.map((c) => c.metadata?.name)).toEqual(['istio']);
    const secret = evidence.objects.get('Secret')?.[0];
    expect(secret).toMatchObject({ type: 'kubernetes.io/tls', keys: ['ca.crt', 'tls.crt', 'tls.key'] });
    expect(secret?.certificate).toMatchObject({ sans: ['shop.example.com', '*.shop.example.com'] });
    expect(JSON.stringify([...evidence.objects.values()])).not.toContain(KEY_VALUE);
    expect(evidence.objects.get('Node')?.[0]?.status).toEqual({
      nodeInfo: { kubeletVersion: 'v1.31.4-gke.1256000', containerRuntimeVersion: 'containerd://1.7.24' },
    });
  });

  it('skips Secrets, without an error, when the optional permission is not granted', async () => {
    kube = await startFakeKubeApi({ objects: OBJECTS });
    kube.faults.add({ path: '/api/v1/secrets', status: 403 });
    const kc = new KubeConfig();
    kc.loadFromString(kube.kubeconfigYaml);
    const builder = new EvidenceBuilder(new LogMatcher([]));

    const checks = await readCluster(makeKubeApis(kc), builder, {
      controlPlaneNamespaces: ['istio-system'],
      retry: fast,
    });

    expect(checks.find((c) => c.id === 'read:secrets')).toEqual({
      id: 'read:secrets',
      status: 'skipped',
      detail: expect.stringMatching(new RegExp(`^secrets not readable \\(optional permission: ${SECRETS_PERMISSION}`)),
    });
    expect(checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(builder.build().capturedKinds.has('Secret')).toBe(false);
  });

  it('for a control-plane target, also lists FailedCreate events in every namespace, in one call', async () => {
    const cp = await read({ objects: OBJECTS }, 'istio-system');
    const failedCreate = cp.requests.filter((r) => r.query.fieldSelector === FAILED_CREATE_SELECTOR);

    expect(failedCreate.map((r) => r.path)).toEqual(['/apis/events.k8s.io/v1/events']);
    expect(cp.evidence.events.map((e) => [e.object.namespace, e.reason])).toEqual([['shop', 'FailedCreate']]);
    expect(cp.check('read:events-failedcreate')).toMatchObject({ status: 'ok' });
    await kube?.close();

    const app = await read({ objects: OBJECTS }, 'shop');

    expect(app.requests.filter((r) => r.query.fieldSelector !== undefined)).toEqual([]);
    expect(app.check('read:events-failedcreate')).toBeUndefined();
  });
});
