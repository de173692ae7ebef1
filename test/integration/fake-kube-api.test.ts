import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { startFakeKubeApi } from '../fakes/kube-api';
import { tmpSnapshot } from '../helpers/tmp-snapshot';
import type { FakeKubeApi, FakeKubeApiOptions, KubeObject } from '../fakes/kube-api';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

const running: FakeKubeApi[] = [];

async function start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const fake = await startFakeKubeApi(options);
  running.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.close()));
});

function clients(fake: FakeKubeApi) {
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfigYaml);
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    events: kc.makeApiClient(EventsV1Api),
  };
}

/** The ApiException a call rejects with. */
async function apiError(call: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function statusOf(err: ApiException<unknown>): { reason?: string; message?: string; code?: number } {
  return JSON.parse(String(err.body)) as { reason?: string; message?: string; code?: number };
}

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: { phase?: string; nodeName?: string; containers?: string[]; restarts?: number } = {},
): KubeObject {
  const containers = extra.containers ?? ['app'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, creationTimestamp: '2024-05-14T09:00:00Z' },
    spec: { containers: containers.map((c) => ({ name: c, image: `${c}:1` })), nodeName: extra.nodeName },
    status: {
      phase: extra.phase ?? 'Running',
      containerStatuses: containers.map((c) => ({ name: c, restartCount: extra.restarts ?? 0 })),
    },
  };
}

function deployment(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      generation: 3,
      resourceVersion: '100',
      uid: `uid-${name}`,
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image: `${name}:1`,
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'istio-proxy', image: 'proxyv2:1.22' },
          ],
        },
      },
    },
    status: { observedGeneration: 3, replicas: 2 },
  };
}

describe('fake Kubernetes API server', () => {
  describe('lists', () => {
    it('pages with limit/continue and returns every object exactly once', async () => {
      const objects = [
        ...Array.from({ length: 23 }, (_, i) => pod('shop', `cart-${String(i).padStart(2, '0')}`, { app: 'cart' })),
        ...Array.from({ length: 5 }, (_, i) => pod('shop-b', `web-${i}`, { app: 'web' })),
        pod('default', 'solo'),
      ];
      const fake = await start({ objects });
      const { core } = clients(fake);

      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await core.listNamespacedPod({ namespace: 'shop', limit: 5, _continue: token });
        pages++;
        expect(page.kind).toBe('PodList');
        expect(page.apiVersion).toBe('v1');
        expect(page.metadata?.resourceVersion).toBe(fake.resourceVersion);
        seen.push(...page.items.map((p) => p.metadata?.name ?? ''));
        token = page.metadata?._continue;
        if (token) expect(page.metadata?.remainingItemCount).toBe(23 - seen.length);
      } while (token);
      expect(pages).toBe(5);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      expect(seen).toEqual([...seen].sort());

      const all: string[] = [];
      token = undefined;
      do {
        const page = await core.listPodForAllNamespaces({ limit: 4, _continue: token });
        all.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
        token = page.metadata?._continue;
      } while (token);
      expect(all).toHaveLength(29);
      expect(new Set(all).size).toBe(29);
    });

    it('omits kind and apiVersion on built-in list items, like the real server', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const res = await fetch(`${fake.url}/api/v1/namespaces/shop/pods`);
      const body = (await res.json()) as { items: Record<string, unknown>[] };
      expect(body.items[0]).not.toHaveProperty('kind');
      expect(body.items[0]).not.toHaveProperty('apiVersion');
      const one = (await (await fetch(`${fake.url}/api/v1/namespaces/shop/pods/a`)).json()) as Record<string, unknown>;
      expect(one).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
    });

    it('applies defaultPageLimit when the client sends no limit', async () => {
      const fake = await start({
        objects: Array.from({ length: 7 }, (_, i) => pod('shop', `p${i}`)),
        defaultPageLimit: 3,
      });
      const page = await clients(fake).core.listNamespacedPod({ namespace: 'shop' });
      expect(page.items).toHaveLength(3);
      expect(page.metadata?._continue).toBeTruthy();
    });

    it('answers 410 Gone for invalid and expired continue tokens', async () => {
      const fake = await start({ objects: Array.from({ length: 4 }, (_, i) => pod('shop', `p${i}`)) });
      const { core } = clients(fake);
      const invalid = await apiError(core.listNamespacedPod({ namespace: 'shop', _continue: 'not-a-token' }));
      expect(invalid.code).toBe(410);
      expect(statusOf(invalid)).toMatchObject({ reason: 'Expired', code: 410 });

      const first = await core.listNamespacedPod({ namespace: 'shop', limit: 2 });
      fake.expireContinueTokens();
      const stale = await apiError(core.listNamespacedPod({ namespace: 'shop', _continue: first.metadata?._continue }));
      expect(stale.code).toBe(410);
      expect(statusOf(stale).message).toMatch(/too old/);
    });

    it('serves cluster-scoped resources and 404s for unknown objects', async () => {
      const fake = await start({
        objects: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } },
          {
            apiVersion: 'admissionregistration.k8s.io/v1',
            kind: 'MutatingWebhookConfiguration',
            metadata: { name: 'istio-sidecar-injector' },
            webhooks: [{ name: 'namespace.sidecar-injector.istio.io', clientConfig: { caBundle: '' } }],
          },
        ],
      });
      const { core } = clients(fake);
      const ns = await core.readNamespace({ name: 'shop' });
      expect(ns.metadata?.labels).toEqual({ 'istio-injection': 'enabled' });
      expect((await core.listNode()).items.map((n) => n.metadata?.name)).toEqual(['node-1']);
      const hooks = (await (
        await fetch(`${fake.url}/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations`)
      ).json()) as { kind: string; items: unknown[] };
      expect(hooks.kind).toBe('MutatingWebhookConfigurationList');
      expect(hooks.items).toHaveLength(1);
      const missing = await apiError(core.readNamespacedPod({ namespace: 'shop', name: 'nope' }));
      expect(missing.code).toBe(404);
      expect(statusOf(missing)).toMatchObject({ reason: 'NotFound', message: 'pods "nope" not found' });
      const empty = await core.listNamespacedService({ namespace: 'shop' });
      expect(empty.items).toEqual([]);
    });
  });

  describe('selectors', () => {
    const objects = [
      pod('shop', 'cart-1', { app: 'cart', tier: 'web', version: 'v1' }, { nodeName: 'n1' }),
      pod('shop', 'cart-2', { app: 'cart', tier: 'api', version: 'v2', canary: 'true' }, { nodeName: 'n2' }),
      pod('shop', 'cart-3', { app: 'cart', tier: 'db' }, { phase: 'Pending' }),
      pod('shop', 'web-1', { app: 'web', 'app.kubernetes.io/part-of': 'shop' }, { phase: 'Failed', nodeName: 'n1' }),
      pod('other', 'cart-9', { app: 'cart', tier: 'web' }),
    ];

    it('filters by label selector', async () => {
      const fake = await start({ objects });
      const { core } = clients(fake);
      const names = async (labelSelector: string) =>
        (await core.listNamespacedPod({ namespace: 'shop', labelSelector })).items.map((p) => p.metadata?.name);

      expect(await names('app=cart')).toEqual(['cart-1', 'cart-2', 'cart-3']);
      expect(await names('app==cart,tier in (web, api)')).toEqual(['cart-1', 'cart-2']);
      expect(await names('app=cart,tier notin (web)')).toEqual(['cart-2', 'cart-3']);
      expect(await names('app=cart,!canary')).toEqual(['cart-1', 'cart-3']);
      expect(await names('canary')).toEqual(['cart-2']);
      expect(await names('version!=v1')).toEqual(['cart-2', 'cart-3', 'web-1']);
      expect(await names('app.kubernetes.io/part-of=shop')).toEqual(['web-1']);
      const all = await core.listPodForAllNamespaces({ labelSelector: 'app=cart,tier=web' });
      expect(all.items.map((p) => p.metadata?.name)).toEqual(['cart-9', 'cart-1']);

      const bad = await apiError(core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in (cart' }));
      expect(bad.code).toBe(400);
    });

    it('filters by field selector and rejects unsupported fields', async () => {
      const fake = await start({ objects });
      const { core } = clients(fake);
      const names = async (fieldSelector: string) =>
        (await core.listPodForAllNamespaces({ fieldSelector })).items.map((p) => p.metadata?.name);

      expect(await names('status.phase=Running')).toEqual(['cart-9', 'cart-1', 'cart-2']);
      expect(await names('spec.nodeName=n1,status.phase!=Failed')).toEqual(['cart-1']);
      expect(await names('metadata.name==cart-3')).toEqual(['cart-3']);
      expect(await names('metadata.namespace=other')).toEqual(['cart-9']);

      const bad = await apiError(core.listPodForAllNamespaces({ fieldSelector: 'spec.image=x' }));
      expect(bad.code).toBe(400);
      expect(statusOf(bad).message).toBe('field label not supported: spec.image');
    });

    it('lists 20,000 objects with a label selector in well under a second', async () => {
      const objects = Array.from({ length: 20_000 }, (_, i) =>
        pod(`ns-${i % 50}`, `pod-${i}`, { app: `app-${i % 100}`, tier: i % 2 ? 'web' : 'api' }),
      );
      const fake = await start({ objects });
      const t0 = performance.now();
      const res = await fetch(`${fake.url}/api/v1/pods?labelSelector=${encodeURIComponent('app=app-7,tier in (web)')}`);
      const body = (await res.json()) as { items: unknown[] };
      const elapsed = performance.now() - t0;
      expect(body.items).toHaveLength(200);
      expect(elapsed).toBeLessThan(1000);
    });
  });

  describe('events', () => {
    const coreEvent: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'cart-abc.1', namespace: 'shop', uid: 'ev-1', resourceVersion: '10' },
      involvedObject: { kind: 'Pod', name: 'cart-abc', namespace: 'shop', uid: 'pod-uid' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      type: 'Warning',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: '2024-05-14T09:11:50Z',
      lastTimestamp: '2024-05-14T09:11:58Z',
      count: 5,
      reportingComponent: 'kubelet',
      reportingInstance: 'n1',
    };
    const newEvent: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'cart.2', namespace: 'shop', uid: 'ev-2', resourceVersion: '11' },
      regarding: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-6d9', namespace: 'shop' },
      reason: 'FailedCreate',
      note: 'Error creating: Internal error occurred: failed calling webhook',
      type: 'Warning',
      eventTime: '2024-05-14T09:12:00.123456Z',
      reportingController: 'replicaset-controller',
      reportingInstance: 'kcm-1',
      action: 'Create',
    };

    it('serves every event in both APIs, converted field by field', async () => {
      const fake = await start({ objects: [coreEvent, newEvent] });
      const { core, events } = clients(fake);

      const v1 = await core.listNamespacedEvent({ namespace: 'shop' });
      expect(v1.items.map((e) => e.metadata?.uid)).toEqual(['ev-1', 'ev-2']);
      const [a, b] = v1.items;
      expect(a?.involvedObject.name).toBe('cart-abc');
      expect(a?.count).toBe(5);
      expect(b?.message).toBe('Error creating: Internal error occurred: failed calling webhook');
      expect(b?.involvedObject).toMatchObject({ kind: 'ReplicaSet', name: 'cart-6d9' });
      expect(b?.reportingComponent).toBe('replicaset-controller');
      expect(b?.firstTimestamp ?? null).toBeNull();

      const v2 = await events.listEventForAllNamespaces({});
      expect(v2.apiVersion).toBe('events.k8s.io/v1');
      expect(v2.items.map((e) => e.metadata?.name)).toEqual(['cart-abc.1', 'cart.2']);
      const [c, d] = v2.items;
      expect(c?.note).toBe(coreEvent.message);
      expect(c?.regarding).toMatchObject({ kind: 'Pod', name: 'cart-abc', uid: 'pod-uid' });
      expect(c?.deprecatedCount).toBe(5);
      expect(c?.deprecatedSource).toEqual({ component: 'kubelet', host: 'n1' });
      expect(c?.reportingController).toBe('kubelet');
      expect(c?.eventTime ?? null).toBeNull();
      expect(d?.metadata?.uid).toBe('ev-2');
      expect(d?.action).toBe('Create');

      const raw = (await (
        await fetch(`${fake.url}/apis/events.k8s.io/v1/namespaces/shop/events/cart-abc.1`)
      ).json()) as Record<string, unknown>;
      expect(raw).toMatchObject({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        eventTime: null,
        deprecatedFirstTimestamp: '2024-05-14T09:11:50Z',
        deprecatedLastTimestamp: '2024-05-14T09:11:58Z',
      });
      expect(raw).not.toHaveProperty('involvedObject');
    });

    it('filters events by involvedObject.* and regarding.* fields', async () => {
      const fake = await start({ objects: [coreEvent, newEvent] });
      const { core, events } = clients(fake);
      const byKind = await core.listEventForAllNamespaces({ fieldSelector: 'involvedObject.kind=ReplicaSet' });
      expect(byKind.items.map((e) => e.metadata?.name)).toEqual(['cart.2']);
      const byUid = await core.listNamespacedEvent({ namespace: 'shop', fieldSelector: 'involvedObject.uid=pod-uid' });
      expect(byUid.items.map((e) => e.metadata?.name)).toEqual(['cart-abc.1']);
      const regarding = await events.listNamespacedEvent({
        namespace: 'shop',
        fieldSelector: 'regarding.name=cart-abc,type=Warning',
      });
      expect(regarding.items.map((e) => e.metadata?.name)).toEqual(['cart-abc.1']);
    });
  });

  describe('patches', () => {
    it('applies a merge patch, bumping resourceVersion and generation', async () => {
      const fake = await start({ objects: [deployment('shop', 'cart')] });
      const { apps } = clients(fake);
      const before = fake.resourceVersion;
      const patched = await apps.patchNamespacedDeployment(
        {
          name: 'cart',
          namespace: 'shop',
          body: {
            spec: {
              template: {
                metadata: { annotations: { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}' } },
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(patched.spec?.template.metadata?.annotations).toEqual({
        'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
      });
      expect(patched.metadata?.generation).toBe(4);
      expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(before));
      expect(fake.get('Deployment', 'shop', 'cart')?.metadata?.resourceVersion).toBe(patched.metadata?.resourceVersion);
      const last = fake.requests.at(-1);
      expect(last).toMatchObject({ method: 'PATCH', contentType: 'application/merge-patch+json' });

      const annotated = await apps.patchNamespacedDeployment(
        { name: 'cart', namespace: 'shop', body: { metadata: { annotations: { owner: 'team-a' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(annotated.metadata?.generation).toBe(4);
      expect(annotated.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', owner: 'team-a' });
    });

    it('applies a strategic merge patch that merges containers and env by name', async () => {
      const fake = await start({ objects: [deployment('shop', 'cart')] });
      const { apps } = clients(fake);
      const patched = await apps.patchNamespacedDeployment(
        {
          name: 'cart',
          namespace: 'shop',
          body: {
            metadata: { annotations: { 'deployment.kubernetes.io/revision': null } },
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'cart',
                      env: [
                        { name: 'B', value: '3' },
                        { name: 'C', value: '4' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const containers = patched.spec?.template.spec?.containers ?? [];
      expect(containers.map((c) => c.name)).toEqual(['cart', 'istio-proxy']);
      expect(containers[0]?.image).toBe('cart:1');
      expect(containers[0]?.env).toEqual([
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
        { name: 'C', value: '4' },
      ]);
      expect(patched.metadata?.annotations ?? {}).toEqual({});
    });

    it('applies a JSON patch with escaped pointers', async () => {
      const fake = await start({ objects: [deployment('shop', 'cart')] });
      const { apps } = clients(fake);
      const patched = await apps.patchNamespacedDeployment(
        {
          name: 'cart',
          namespace: 'shop',
          body: [
            { op: 'test', path: '/spec/replicas', value: 2 },
            { op: 'add', path: '/spec/template/metadata/annotations', value: {} },
            {
              op: 'add',
              path: '/spec/template/metadata/annotations/traffic.sidecar.istio.io~1excludeOutboundIPRanges',
              value: '10.0.0.5/32',
            },
            { op: 'replace', path: '/spec/replicas', value: 3 },
            { op: 'remove', path: '/spec/template/spec/containers/0/env/0' },
            {
              op: 'copy',
              from: '/metadata/annotations/deployment.kubernetes.io~1revision',
              path: '/metadata/annotations/x~0y',
            },
            { op: 'move', from: '/metadata/annotations/x~0y', path: '/metadata/annotations/moved' },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      expect(patched.spec?.replicas).toBe(3);
      expect(patched.spec?.template.metadata?.annotations).toEqual({
        'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.5/32',
      });
      expect(patched.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'B', value: '2' }]);
      expect(patched.metadata?.annotations).toEqual({
        'deployment.kubernetes.io/revision': '3',
        moved: '3',
      });

      const failed = await apiError(
        apps.patchNamespacedDeployment(
          { name: 'cart', namespace: 'shop', body: [{ op: 'test', path: '/spec/replicas', value: 9 }] },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        ),
      );
      expect(failed.code).toBe(422);
    });

    it('dryRun=All returns the would-be object and stores nothing', async () => {
      const fake = await start({ objects: [deployment('shop', 'cart')] });
      const { apps } = clients(fake);
      const rv = fake.resourceVersion;
      const result = await apps.patchNamespacedDeployment(
        { name: 'cart', namespace: 'shop', body: { spec: { replicas: 5 } }, dryRun: 'All' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(result.spec?.replicas).toBe(5);
      expect(fake.requests.at(-1)?.query.dryRun).toBe('All');
      expect(fake.resourceVersion).toBe(rv);
      expect(fake.get('deployments.apps', 'shop', 'cart')?.spec).toMatchObject({ replicas: 2 });
      expect(fake.get('Deployment', 'shop', 'cart')?.metadata?.resourceVersion).toBe('100');
    });

    it('answers 409 for a stale resourceVersion, 404 for a missing object, 415 for an unknown patch type', async () => {
      const fake = await start({ objects: [deployment('shop', 'cart')] });
      const { apps } = clients(fake);
      const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
      const stale = await apiError(
        apps.patchNamespacedDeployment(
          { name: 'cart', namespace: 'shop', body: { metadata: { resourceVersion: '99' }, spec: { replicas: 1 } } },
          merge,
        ),
      );
      expect(stale.code).toBe(409);
      expect(statusOf(stale)).toMatchObject({ reason: 'Conflict' });
      expect(statusOf(stale).message).toContain('deployments.apps "cart": the object has been modified');

      const current = await apps.patchNamespacedDeployment(
        { name: 'cart', namespace: 'shop', body: { metadata: { resourceVersion: '100' }, spec: { replicas: 1 } } },
        merge,
      );
      expect(current.spec?.replicas).toBe(1);

      const missing = await apiError(
        apps.patchNamespacedDeployment({ name: 'nope', namespace: 'shop', body: { spec: {} } }, merge),
      );
      expect(missing.code).toBe(404);

      const res = await fetch(`${fake.url}/apis/apps/v1/namespaces/shop/deployments/cart`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/xml' },
        body: '<x/>',
      });
      expect(res.status).toBe(415);
      const bad = await fetch(`${fake.url}/apis/apps/v1/namespaces/shop/deployments/cart`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: '{not json',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    });
  });

  describe('custom resources', () => {
    it('404s for an absent CRD and lists a CRD declared in crds', async () => {
      const fake = await start({ crds: ['networking.istio.io/v1beta1/virtualservices'] });
      const { custom } = clients(fake);
      const absent = await apiError(
        custom.listNamespacedCustomObject({
          group: 'networking.istio.io',
          version: 'v1alpha3',
          namespace: 'shop',
          plural: 'envoyfilters',
        }),
      );
      expect(absent.code).toBe(404);
      expect(statusOf(absent)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });

      const empty = (await custom.listNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1beta1',
        namespace: 'shop',
        plural: 'virtualservices',
      })) as { kind: string; items: unknown[] };
      expect(empty).toMatchObject({ kind: 'VirtualServiceList', items: [] });
    });

    it('creates a VirtualService and refuses a duplicate with 409 AlreadyExists', async () => {
      const fake = await start({ crds: ['networking.istio.io/v1/virtualservices'] });
      const { custom } = clients(fake);
      const body = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: { hosts: ['cart'], http: [{ route: [{ destination: { host: 'cart' } }], retries: { attempts: 3 } }] },
      };
      const params = {
        group: 'networking.istio.io',
        version: 'v1',
        namespace: 'shop',
        plural: 'virtualservices',
        body,
      };
      const created = (await custom.createNamespacedCustomObject(params)) as KubeObject;
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.metadata?.generation).toBe(1);
      expect(fake.get('VirtualService', 'shop', 'cart')?.spec).toEqual(body.spec);

      const dup = await apiError(custom.createNamespacedCustomObject(params));
      expect(dup.code).toBe(409);
      expect(statusOf(dup)).toMatchObject({ reason: 'AlreadyExists' });

      const list = (await custom.listClusterCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      })) as { items: KubeObject[] };
      expect(list.items.map((i) => [i.kind, i.metadata?.name])).toEqual([['VirtualService', 'cart']]);

      const dry = await custom.createNamespacedCustomObject({
        ...params,
        body: { ...body, metadata: { name: 'other', namespace: 'shop' } },
        dryRun: 'All',
      });
      expect(dry).toBeTruthy();
      expect(fake.get('VirtualService', 'shop', 'other')).toBeUndefined();
    });

    it('serves custom resources of objects at every Istio version', async () => {
      const fake = await start({
        objects: [
          {
            apiVersion: 'networking.istio.io/v1alpha3',
            kind: 'EnvoyFilter',
            metadata: { name: 'lua', namespace: 'istio-system' },
            spec: { configPatches: [] },
          },
          {
            apiVersion: 'networking.istio.io/v1beta1',
            kind: 'DestinationRule',
            metadata: { name: 'cart', namespace: 'shop' },
            spec: { host: 'cart' },
          },
        ],
      });
      const { custom } = clients(fake);
      const filters = (await custom.listClusterCustomObject({
        group: 'networking.istio.io',
        version: 'v1alpha3',
        plural: 'envoyfilters',
      })) as { items: KubeObject[] };
      expect(filters.items.map((i) => i.metadata?.name)).toEqual(['lua']);
      const rule = (await custom.getNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: 'shop',
        plural: 'destinationrules',
        name: 'cart',
      })) as KubeObject;
      expect(rule.apiVersion).toBe('networking.istio.io/v1');
      const strategic = await fetch(`${fake.url}/apis/networking.istio.io/v1/namespaces/shop/destinationrules/cart`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
        body: '{"spec":{"host":"x"}}',
      });
      expect(strategic.status).toBe(415);
    });

    it('lists a CRD for every custom resource it serves, and serves what a loaded CRD object describes', async () => {
      const fake = await start({
        objects: [
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            metadata: { name: 'shop', namespace: 'shop' },
            spec: { gatewayClassName: 'istio', listeners: [] },
          },
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'Gateway',
            metadata: { name: 'shop', namespace: 'shop' },
            spec: { selector: { istio: 'ingressgateway' }, servers: [] },
          },
          {
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: { name: 'controlplanerevisions.mesh.cloud.google.com' },
            spec: {
              group: 'mesh.cloud.google.com',
              names: { kind: 'ControlPlaneRevision', plural: 'controlplanerevisions' },
              scope: 'Namespaced',
              versions: [{ name: 'v1beta1', served: true, storage: true }],
            },
          },
        ],
      });
      const { custom } = clients(fake);

      const crds = (await (
        await fetch(`${fake.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`)
      ).json()) as {
        items: { metadata: { name: string }; spec: { versions: { name: string }[] } }[];
      };
      const served = Object.fromEntries(crds.items.map((c) => [c.metadata.name, c.spec.versions.map((v) => v.name)]));
      const gateways = async (group: string) =>
        (
          (await custom.listClusterCustomObject({ group, version: 'v1', plural: 'gateways' })) as {
            items: KubeObject[];
          }
        ).items.map((g) => g.apiVersion);
      const revisions = (await custom.listClusterCustomObject({
        group: 'mesh.cloud.google.com',
        version: 'v1beta1',
        plural: 'controlplanerevisions',
      })) as { kind: string; items: unknown[] };
      const notServed = await apiError(
        custom.listClusterCustomObject({
          group: 'mesh.cloud.google.com',
          version: 'v1',
          plural: 'controlplanerevisions',
        }),
      );

      expect(served).toEqual({
        'controlplanerevisions.mesh.cloud.google.com': ['v1beta1'],
        'gateways.gateway.networking.k8s.io': ['v1', 'v1beta1'],
        'gateways.networking.istio.io': ['v1alpha3', 'v1beta1', 'v1'],
      });
      expect(await gateways('gateway.networking.k8s.io')).toEqual(['gateway.networking.k8s.io/v1']);
      expect(await gateways('networking.istio.io')).toEqual(['networking.istio.io/v1']);
      expect(revisions).toMatchObject({ kind: 'ControlPlaneRevisionList', items: [] });
      expect(notServed.code).toBe(404);
    });

    it('filters events of both APIs by reason across all namespaces, and counts every request', async () => {
      const event = (namespace: string, name: string, reason: string): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { kind: 'ReplicaSet', namespace, name: 'cart-6d9f7c8b5b' },
        reason,
        message: reason === 'FailedCreate' ? 'Error creating: pods "cart-6d9f7c8b5b-" is forbidden' : 'Created pod',
        type: reason === 'FailedCreate' ? 'Warning' : 'Normal',
      });
      const fake = await start({
        objects: [
          event('shop', 'a', 'FailedCreate'),
          event('payments', 'b', 'FailedCreate'),
          event('shop', 'c', 'SuccessfulCreate'),
        ],
      });
      const { core, events } = clients(fake);

      const v1 = await core.listEventForAllNamespaces({ fieldSelector: 'reason=FailedCreate' });
      const eventsApi = await events.listEventForAllNamespaces({ fieldSelector: 'reason=FailedCreate' });

      expect(v1.items.map((e) => e.metadata?.name)).toEqual(['b', 'a']);
      expect(eventsApi.items.map((e) => e.metadata?.name)).toEqual(['b', 'a']);
      expect(fake.requests.map((r) => [r.path, r.query.fieldSelector])).toEqual([
        ['/api/v1/events', 'reason=FailedCreate'],
        ['/apis/events.k8s.io/v1/events', 'reason=FailedCreate'],
      ]);
    });
  });

  describe('faults', () => {
    it('answers 403 with a realistic Forbidden message', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const { core } = clients(fake);
      fake.faults.add({ path: '/api/v1/namespaces/shop/pods', status: 403 });
      const err = await apiError(core.listNamespacedPod({ namespace: 'shop' }));
      expect(err.code).toBe(403);
      expect(statusOf(err)).toMatchObject({
        reason: 'Forbidden',
        message:
          'pods is forbidden: User "system:serviceaccount:mesh:mesh-doctor" cannot list resource "pods" in API group "" in the namespace "shop"',
      });
    });

    it('answers 429 with Retry-After, then recovers after `times`', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const { core } = clients(fake);
      fake.faults.add({ method: 'GET', path: /\/pods/, status: 429, retryAfterSeconds: 7, times: 1 });
      const err = await apiError(core.listNamespacedPod({ namespace: 'shop' }));
      expect(err.code).toBe(429);
      expect(err.headers['retry-after']).toBe('7');
      expect(statusOf(err)).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 7 } });
      expect((await core.listNamespacedPod({ namespace: 'shop' })).items).toHaveLength(1);
      expect(fake.faults.active).toHaveLength(0);
    });

    it('answers 500, custom bodies and delays, and clears', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const { core } = clients(fake);
      fake.faults.add({ status: 500 });
      const err = await apiError(core.readNamespacedPod({ namespace: 'shop', name: 'a' }));
      expect(err.code).toBe(500);
      expect(statusOf(err)).toMatchObject({ reason: 'InternalError' });
      fake.faults.clear();

      fake.faults.add({ status: 503, body: { kind: 'Status', message: 'custom' }, times: 1 });
      const custom = await apiError(core.readNamespacedPod({ namespace: 'shop', name: 'a' }));
      expect(custom.code).toBe(503);
      expect(statusOf(custom).message).toBe('custom');

      fake.faults.add({ delayMs: 60, times: 1 });
      const t0 = Date.now();
      const slow = await core.readNamespacedPod({ namespace: 'shop', name: 'a' });
      expect(slow.metadata?.name).toBe('a');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
    });

    it('drops the connection without answering', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const { core } = clients(fake);
      fake.faults.add({ method: 'get', path: '/api/v1/namespaces/shop/pods/a', drop: true, times: 1 });
      const failure = await core.readNamespacedPod({ namespace: 'shop', name: 'a' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ApiException);
      expect((await core.readNamespacedPod({ namespace: 'shop', name: 'a' })).metadata?.name).toBe('a');
      expect(fake.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods/a')).toHaveLength(2);
    });
  });

  describe('pod logs', () => {
    const logPod = pod('shop', 'cart-1', {}, { containers: ['cart', 'istio-proxy'], restarts: 0 });
    const logs = {
      namespace: 'shop',
      pod: 'cart-1',
      container: 'cart',
      lines: [
        '2024-05-14T09:11:50.100000000Z starting',
        '2024-05-14T09:11:51Z connect ECONNREFUSED 127.0.0.1:15000',
        'continuation of the line above',
        '2024-05-14T09:12:30.5+00:00 listening on 8080',
      ],
    };

    it('serves logs with timestamps, tailLines, sinceSeconds, sinceTime and limitBytes', async () => {
      const fake = await start({ objects: [logPod], logs: [logs] });
      const { core } = clients(fake);
      const all = await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'cart' });
      expect(all).toBe(
        'starting\nconnect ECONNREFUSED 127.0.0.1:15000\ncontinuation of the line above\nlistening on 8080\n',
      );

      const stamped = await core.readNamespacedPodLog({
        namespace: 'shop',
        name: 'cart-1',
        container: 'cart',
        timestamps: true,
        tailLines: 2,
      });
      expect(stamped).toBe(
        '2024-05-14T09:11:51.000000000Z continuation of the line above\n2024-05-14T09:12:30.500000000Z listening on 8080\n',
      );

      // "now" defaults to the latest timestamp in the store (09:12:30.5).
      const recent = await core.readNamespacedPodLog({
        namespace: 'shop',
        name: 'cart-1',
        container: 'cart',
        sinceSeconds: 10,
      });
      expect(recent).toBe('listening on 8080\n');

      const res = await fetch(
        `${fake.url}/api/v1/namespaces/shop/pods/cart-1/log?container=cart&sinceTime=2024-05-14T09:11:51Z&limitBytes=10`,
      );
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('connect EC');
    });

    it('answers 400 for a missing or unknown container and previous logs, 404 for an unknown pod', async () => {
      const fake = await start({ objects: [logPod], logs: [logs], now: '2024-05-14T10:00:00Z' });
      const { core } = clients(fake);
      const noContainer = await apiError(core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1' }));
      expect(noContainer.code).toBe(400);
      expect(statusOf(noContainer).message).toBe(
        'a container name must be specified for pod cart-1, choose one of: [cart istio-proxy]',
      );
      const unknown = await apiError(
        core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'nope' }),
      );
      expect(unknown.code).toBe(400);
      expect(statusOf(unknown).message).toBe('container nope is not valid for pod cart-1');
      const previous = await apiError(
        core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'cart', previous: true }),
      );
      expect(previous.code).toBe(400);
      expect(statusOf(previous).message).toBe('previous terminated container "cart" in pod "cart-1" not found');
      const missing = await apiError(core.readNamespacedPodLog({ namespace: 'shop', name: 'gone', container: 'cart' }));
      expect(missing.code).toBe(404);
      const old = await core.readNamespacedPodLog({
        namespace: 'shop',
        name: 'cart-1',
        container: 'cart',
        sinceSeconds: 60,
      });
      expect(old).toBe('');
    });

    it("splits a restarted container's log at the current instance's start into previous and current", async () => {
      const restarted = pod('shop', 'cart-3', {}, { containers: ['cart'], restarts: 1 });
      const status = restarted.status as { containerStatuses: Record<string, unknown>[] };
      status.containerStatuses[0] = {
        ...status.containerStatuses[0],
        state: { running: { startedAt: '2024-05-14T09:12:00Z' } },
      };
      const fake = await start({ objects: [restarted], logs: [{ ...logs, pod: 'cart-3' }] });
      const { core } = clients(fake);
      const read = (previous: boolean) =>
        core.readNamespacedPodLog({
          namespace: 'shop',
          name: 'cart-3',
          container: 'cart',
          ...(previous ? { previous } : {}),
        });

      expect(await read(true)).toBe('starting\nconnect ECONNREFUSED 127.0.0.1:15000\ncontinuation of the line above\n');
      expect(await read(false)).toBe('listening on 8080\n');
    });

    it('serves an empty previous log for a restarted container whose start is not known', async () => {
      const restarted = pod('shop', 'cart-2', {}, { containers: ['cart'], restarts: 2 });
      const fake = await start({ objects: [restarted], logs: [{ ...logs, pod: 'cart-2' }] });
      const { core } = clients(fake);
      expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-2', previous: true })).toBe('');
      expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-2', tailLines: 1 })).toBe(
        'listening on 8080\n',
      );
    });
  });

  describe('snapshots', () => {
    it('loads examples/proxy-startup-econnrefused: objects, Cloud Logging events and container logs', async () => {
      const fake = await start({ snapshotDir: join(EXAMPLES, 'proxy-startup-econnrefused') });
      const { core, events } = clients(fake);
      const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' });
      expect(pods.items.length).toBeGreaterThan(0);
      const podNames = pods.items.map((p) => p.metadata?.name);
      expect(podNames).toContain('cart-pcvpnpffgp-q7xkz');

      const coreEvents = await core.listNamespacedEvent({
        namespace: 'shop',
        fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=cart',
      });
      expect(coreEvents.items.map((e) => e.reason)).toContain('ScalingReplicaSet');
      const newEvents = await events.listEventForAllNamespaces({});
      expect(newEvents.items.length).toBeGreaterThanOrEqual(coreEvents.items.length);

      const log = await core.readNamespacedPodLog({
        namespace: 'shop',
        name: 'cart-pcvpnpffgp-m2dtw',
        container: 'cart',
        timestamps: true,
      });
      expect(log).toContain('2024-05-14T09:12:07.140121333Z {"level":"info"');
      const lines = log.trimEnd().split('\n');
      expect(lines.map((l) => l.slice(0, 30))).toEqual(lines.map((l) => l.slice(0, 30)).sort());
    });

    it('loads examples/vault-injection-race: .log files and events.k8s.io events', async () => {
      const fake = await start({ snapshotDir: join(EXAMPLES, 'vault-injection-race') });
      const { core, events, apps } = clients(fake);
      const billing = await core.listNamespacedPod({ namespace: 'billing' });
      expect(billing.items.map((p) => p.metadata?.name)).toContain('invoice-api-tqgd2j26kh-8kqzp');
      const deployments = await apps.listNamespacedDeployment({ namespace: 'billing' });
      expect(deployments.items.map((d) => d.metadata?.name)).toContain('invoice-api');

      const v1 = await events.listNamespacedEvent({ namespace: 'billing' });
      const scaled = v1.items.find((e) => e.metadata?.name === 'invoice-api.17d178c6faaa2704');
      expect(scaled?.note).toBe('Scaled up replica set invoice-api-tqgd2j26kh to 1');
      const legacy = await core.readNamespacedEvent({ namespace: 'billing', name: 'invoice-api.17d178c6faaa2704' });
      expect(legacy.message).toBe(scaled?.note);
      expect(legacy.metadata?.uid).toBe('2debfb03-9bb7-4423-bd8e-d886c7fe2a7a');
      expect(legacy.involvedObject.kind).toBe('Deployment');

      const init = await core.readNamespacedPodLog({
        namespace: 'billing',
        name: 'invoice-api-tqgd2j26kh-8kqzp',
        container: 'istio-init',
        timestamps: true,
        tailLines: 3,
      });
      expect(init.trimEnd().split('\n')).toHaveLength(3);
      expect(init).toMatch(/^2024-05-21T10:02:\d\d\.\d{9}Z /);
      const head = await core.readNamespacedPodLog({
        namespace: 'billing',
        name: 'invoice-api-tqgd2j26kh-8kqzp',
        container: 'istio-init',
      });
      expect(head.startsWith('2024-05-21T10:02:11.380074Z\tinfo\tIstio iptables environment:\n')).toBe(true);
    });
  });

  describe('snapshot formats', () => {
    it('reads typed lists, Cloud Logging entries (arrays and lines) and kubectl logs files', async () => {
      const entry = (container: string, timestamp: string, payload: Record<string, unknown>) => ({
        logName: 'projects/p/logs/stdout',
        resource: {
          type: 'k8s_container',
          labels: { namespace_name: 'shop', pod_name: 'cart-1', container_name: container },
        },
        timestamp,
        ...payload,
      });
      const snap = tmpSnapshot({
        'pods.json': JSON.stringify({
          apiVersion: 'v1',
          kind: 'PodList',
          metadata: { resourceVersion: '500' },
          items: [
            {
              metadata: { name: 'cart-1', namespace: 'shop' },
              spec: { containers: [{ name: 'cart' }, { name: 'istio-proxy' }] },
            },
          ],
        }),
        'deployments.json': JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'DeploymentList',
          items: [{ metadata: { name: 'cart', namespace: 'shop', resourceVersion: '42' }, spec: { replicas: 1 } }],
        }),
        'logs.json': JSON.stringify([
          entry('cart', '2024-05-14T09:00:03Z', { jsonPayload: { message: 'third', level: 'info' } }),
          entry('cart', '2024-05-14T09:00:01Z', { textPayload: 'first\n' }),
          entry('cart', '2024-05-14T09:00:02Z', { jsonPayload: { log: 'second' } }),
          entry('istio-proxy', '2024-05-14T09:00:04Z', { jsonPayload: { response_code: 503 } }),
        ]),
        'events.ndjson': [
          JSON.stringify({
            logName: 'projects/p/logs/events',
            resource: { type: 'k8s_cluster', labels: {} },
            timestamp: '2024-05-14T09:00:05Z',
            insertId: 'abc',
            jsonPayload: {
              kind: 'Event',
              apiVersion: 'v1',
              metadata: { name: 'cart-1.1', namespace: 'shop', uid: 'ev-uid' },
              involvedObject: { kind: 'Pod', name: 'cart-1', namespace: 'shop' },
              reason: 'Unhealthy',
              message: 'Readiness probe failed',
              type: 'Warning',
            },
          }),
          '',
        ].join('\n'),
        'shop_cart-1_vault-agent.log': '2024-05-14T09:00:00.000000001Z agent started\nno timestamp\n',
        'notes.txt': 'ignored',
      });
      try {
        const fake = await start({ snapshotDir: snap.dir });
        const { core, apps, events } = clients(fake);
        const pods = await core.listNamespacedPod({ namespace: 'shop' });
        expect(pods.items.map((p) => p.metadata?.name)).toEqual(['cart-1']);
        expect(fake.get('pods', 'shop', 'cart-1')).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
        const deployment = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'cart' });
        expect(deployment.metadata?.resourceVersion).toBe('42');

        expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'cart' })).toBe(
          'first\nsecond\nthird\n',
        );
        expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'istio-proxy' })).toBe(
          '{"response_code":503}\n',
        );
        expect(
          await core.readNamespacedPodLog({
            namespace: 'shop',
            name: 'cart-1',
            container: 'vault-agent',
            timestamps: true,
          }),
        ).toBe('2024-05-14T09:00:00.000000001Z agent started\n2024-05-14T09:00:00.000000001Z no timestamp\n');

        const v2 = await events.listNamespacedEvent({ namespace: 'shop' });
        expect(v2.items).toHaveLength(1);
        expect(v2.items[0]).toMatchObject({ note: 'Readiness probe failed', reason: 'Unhealthy' });
        expect(v2.items[0]?.metadata?.uid).toBe('ev-uid');
        // "now" is the latest timestamp in the snapshot: the event at 09:00:05.
        expect(
          await core.readNamespacedPodLog({ namespace: 'shop', name: 'cart-1', container: 'cart', sinceSeconds: 3 }),
        ).toBe('second\nthird\n');
      } finally {
        snap.cleanup();
      }
    });

    it('rejects a snapshot file that is not valid JSON, naming it', async () => {
      const snap = tmpSnapshot({ 'broken.json': '{"kind": "List", "items": [' });
      try {
        await expect(startFakeKubeApi({ snapshotDir: snap.dir })).rejects.toThrow(/broken\.json: truncated JSON/);
      } finally {
        snap.cleanup();
      }
    });
  });

  describe('robustness', () => {
    it('answers bad requests with Status bodies and keeps serving', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const get = async (path: string, init?: RequestInit) => {
        const res = await fetch(`${fake.url}${path}`, init);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      expect((await get('/api/v1/foos')).status).toBe(404);
      expect((await get('/nothing/here')).status).toBe(404);
      expect((await get('/api/v1/pods/a')).status).toBe(404);
      expect((await get('/api/v1/namespaces/shop/pods?limit=abc')).status).toBe(400);
      expect((await get('/api/v1/namespaces/shop/pods?labelSelector=%3D%3D%3D')).status).toBe(400);
      expect((await get('/api/v1/namespaces/shop/pods?fieldSelector=nonsense')).status).toBe(400);
      expect((await get('/api/v1/namespaces/shop/pods/%E0%A4%A')).status).toBe(400);
      const json = { 'Content-Type': 'application/json' };
      expect((await get('/api/v1/namespaces/shop/pods', { method: 'POST', headers: json, body: '[' })).status).toBe(
        400,
      );
      expect((await get('/api/v1/namespaces/shop/pods', { method: 'POST', headers: json, body: '[]' })).status).toBe(
        400,
      );
      expect((await get('/api/v1/namespaces/shop/pods', { method: 'POST', body: 'x' })).status).toBe(415);
      expect((await get('/api/v1/namespaces/shop/pods/a?dryRun=Some', { method: 'DELETE' })).status).toBe(400);
      expect(
        (
          await get('/api/v1/namespaces/shop/pods/a', {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/json-patch+json' },
            body: '{"op":"add"}',
          })
        ).status,
      ).toBe(400);
      const ok = await get('/api/v1/namespaces/shop/pods/a');
      expect(ok.status).toBe(200);
      expect((await get('/version')).body.major).toBe('1');
      const resources = await get('/api/v1');
      expect(resources.body.kind).toBe('APIResourceList');
    });

    it('writes a kubeconfig that the client can load from a file', async () => {
      const fake = await start({ objects: [pod('shop', 'a')] });
      const dir = mkdtempSync(join(tmpdir(), 'fake-kube-'));
      try {
        const kc = new KubeConfig();
        kc.loadFromFile(fake.writeKubeconfig(dir));
        expect(kc.getCurrentCluster()?.server).toBe(fake.url);
        const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'shop' });
        expect(list.items).toHaveLength(1);
        expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/shop/pods', query: {} });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
