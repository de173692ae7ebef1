import { KubeConfig } from '@kubernetes/client-node';
import { reasonOf, statusOf } from '../../src/collect/live/api-errors';
import { listPath, makeWireList } from '../../src/collect/live/wire-list';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi } from '../fakes/kube-api';

let kube: FakeKubeApi | null = null;
afterEach(async () => {
  await kube?.close();
  kube = null;
});

/** What the API server adds to every object's metadata (field ownership for server-side apply). */
const MANAGED = {
  managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', fieldsType: 'FieldsV1' }],
};

const pod = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    labels: { app: name.split('-')[0] as string },
    creationTimestamp: '2026-12-02T12:00:00Z',
    ...MANAGED,
  },
  spec: {
    containers: [{ name: 'app', image: 'shop/cart:1.4' }],
    // A field newer than the client's models: kept, since the objects are the server's JSON.
    hostnameOverride: 'cart-primary',
  },
  status: { phase: 'Running', startTime: '2026-12-02T12:00:01Z' },
});

async function lister(objects: KubeObject[]) {
  kube = await startFakeKubeApi({ objects });
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml);
  return makeWireList(kc);
}

describe('listPath', () => {
  it.each([
    ['v1', 'pods', undefined, '/api/v1/pods'],
    ['v1', 'pods', 'shop', '/api/v1/namespaces/shop/pods'],
    ['apps/v1', 'deployments', 'shop', '/apis/apps/v1/namespaces/shop/deployments'],
    ['networking.istio.io/v1', 'virtualservices', undefined, '/apis/networking.istio.io/v1/virtualservices'],
  ])('%s %s in %s → %s', (apiVersion, resource, namespace, path) => {
    expect(listPath(apiVersion, resource, namespace)).toBe(path);
  });
});

describe('makeWireList', () => {
  it('returns the server’s JSON without managedFields, fields newer than the client’s models included', async () => {
    const list = await lister([pod('cart-1', 'shop'), pod('web-1', 'web')]);
    const page = await list('/api/v1/namespaces/shop/pods', { limit: 50 });
    expect(page.items).toHaveLength(1);
    const [item] = page.items as KubeObject[];
    expect(item?.metadata).not.toHaveProperty('managedFields');
    expect(kube?.list('Pod')[0]?.metadata).toHaveProperty('managedFields');
    expect(item?.metadata?.creationTimestamp).toBe('2026-12-02T12:00:00Z');
    expect((item?.spec as { hostnameOverride?: string }).hostnameOverride).toBe('cart-primary');
    expect(item?.status).toEqual({ phase: 'Running', startTime: '2026-12-02T12:00:01Z' });
  });

  it('pages with the continue token and passes the selectors', async () => {
    const list = await lister([pod('cart-1', 'shop'), pod('cart-2', 'shop'), pod('web-1', 'shop')]);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await list('/api/v1/pods', {
        limit: 1,
        labelSelector: 'app=cart',
        ...(token ? { _continue: token } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(1);
      names.push(...(page.items as KubeObject[]).map((p) => p.metadata?.name as string));
      token = page.metadata?.continue;
    } while (token);
    expect(names).toEqual(['cart-1', 'cart-2']);
    const asked = kube?.requests.filter((r) => r.path === '/api/v1/pods') ?? [];
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked[0]?.query.continue).toBeUndefined();
    expect(asked[1]?.query.continue).toBeTruthy();
    expect(asked.every((r) => r.query.labelSelector === 'app=cart' && r.query.limit === '1')).toBe(true);
  });

  it('throws the status and the server’s message when a list is refused', async () => {
    const list = await lister([]);
    kube?.faults.add({ path: '/api/v1/secrets', status: 403 });
    const err = await list('/api/v1/secrets', { limit: 10 }).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(403);
    expect(reasonOf(err)).toMatch(/^HTTP 403: .*secrets/);
  });
});
