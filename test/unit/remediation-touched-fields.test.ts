import type { PatchProposal } from '../../src/diagnosis/evidence';
import {
  disallowedReason,
  editedSinceApply,
  mergeLeaves,
  restoredAlready,
  rollbackPlan,
  valueAt,
} from '../../src/remediation/touched-fields';

const CONFIG = 'proxy.istio.io/config';
const HOLD = '{"holdApplicationUntilProxyStarts":true}';
const RETRIES = { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure,refused-stream' };

const cart = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' };
const shopNamespace = { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'shop' };
const cartVs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', namespace: 'shop', name: 'cart' };

const podAnnotations = (annotations: Record<string, unknown>) => ({
  spec: { template: { metadata: { annotations } } },
});

const holdPatch: PatchProposal = { target: cart, type: 'merge', patch: podAnnotations({ [CONFIG]: HOLD }) };

const retriesPatch = (routes: number, extra: object[] = []): PatchProposal => ({
  target: cartVs,
  type: 'json',
  patch: [
    ...extra,
    ...Array.from({ length: routes }, (_, i) => ({ op: 'add', path: `/spec/http/${i}/retries`, value: RETRIES })),
  ],
});

const deployment = (annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cart', namespace: 'shop', resourceVersion: '1234' },
  spec: {
    replicas: 2,
    template: {
      metadata: annotations ? { labels: { app: 'cart' }, annotations } : { labels: { app: 'cart' } },
      spec: { containers: [{ name: 'cart', image: 'cart:1.4' }] },
    },
  },
});

const virtualService = (http: object[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'cart', namespace: 'shop' },
  spec: { hosts: ['cart.shop.svc.cluster.local'], http },
});

describe('mergeLeaves', () => {
  it('lists every path a merge patch sets, with nulls as removals and arrays as whole values', () => {
    const patch = {
      metadata: { labels: { 'istio-injection': null, 'istio.io/rev': 'asm-1-22' } },
      spec: { a: [1, 2] },
    };

    const leaves = mergeLeaves(patch);

    expect(leaves).toEqual([
      { path: ['metadata', 'labels', 'istio-injection'], value: null },
      { path: ['metadata', 'labels', 'istio.io/rev'], value: 'asm-1-22' },
      { path: ['spec', 'a'], value: [1, 2] },
    ]);
  });

  it('keeps annotation names with dots and slashes as one path segment', () => {
    const leaves = mergeLeaves(holdPatch.patch);

    expect(leaves).toEqual([{ path: ['spec', 'template', 'metadata', 'annotations', CONFIG], value: HOLD }]);
  });

  it('treats a non-object patch as a single leaf at the root', () => {
    expect(mergeLeaves('x')).toEqual([{ path: [], value: 'x' }]);
  });
});

describe('valueAt', () => {
  it('walks objects and numeric array indexes, and is undefined past a missing or scalar step', () => {
    const vs = virtualService([{ route: [] }, { route: [], retries: RETRIES }]);

    expect(valueAt(vs, ['spec', 'http', '1', 'retries'])).toEqual(RETRIES);
    expect(valueAt(vs, ['spec', 'http', '0', 'retries'])).toBeUndefined();
    expect(valueAt(vs, ['spec', 'hosts', '0', 'x'])).toBeUndefined();
    expect(valueAt(vs, ['spec', 'http', 'first'])).toBeUndefined();
    expect(valueAt(vs, [])).toBe(vs);
  });
});

describe('rollbackPlan', () => {
  it('restores the exact previous string of an annotation that existed', () => {
    const before = '{"terminationDrainDuration": "20s"}';

    const plan = rollbackPlan(holdPatch, deployment({ [CONFIG]: before, 'other/annotation': 'kept' }));

    expect(plan).toEqual({
      type: 'merge',
      patch: podAnnotations({ [CONFIG]: before }),
      applied: [{ path: ['spec', 'template', 'metadata', 'annotations', CONFIG], value: HOLD }],
    });
  });

  it('removes an annotation that was absent (null in the merge patch)', () => {
    const withoutAnnotations = rollbackPlan(holdPatch, deployment());
    const withOtherAnnotations = rollbackPlan(holdPatch, deployment({ 'sidecar.istio.io/inject': 'true' }));

    expect(withoutAnnotations).toMatchObject({ type: 'merge', patch: podAnnotations({ [CONFIG]: null }) });
    expect(withOtherAnnotations).toMatchObject({ type: 'merge', patch: podAnnotations({ [CONFIG]: null }) });
  });

  it('undoes a namespace label patch: restores the removed label and removes the added one', () => {
    const patch: PatchProposal = {
      target: shopNamespace,
      type: 'merge',
      patch: { metadata: { labels: { 'istio.io/rev': 'asm-1-22', 'istio-injection': null } } },
    };
    const current = { metadata: { name: 'shop', labels: { 'istio-injection': 'disabled', team: 'shop' } } };

    const plan = rollbackPlan(patch, current);

    expect(plan).toEqual({
      type: 'merge',
      patch: { metadata: { labels: { 'istio.io/rev': null, 'istio-injection': 'disabled' } } },
      applied: [
        { path: ['metadata', 'labels', 'istio.io/rev'], value: 'asm-1-22' },
        { path: ['metadata', 'labels', 'istio-injection'], value: null },
      ],
    });
  });

  it('removes VirtualService retries that were absent and replaces those that were present, in reverse order', () => {
    const oldRetries = { attempts: 1, perTryTimeout: '1s' };
    const current = virtualService([{ route: [] }, { route: [], retries: oldRetries }]);

    const plan = rollbackPlan(retriesPatch(2), current);

    expect(plan).toEqual({
      type: 'json',
      ops: [
        { op: 'replace', path: '/spec/http/1/retries', value: oldRetries },
        { op: 'remove', path: '/spec/http/0/retries' },
      ],
      applied: [
        { path: ['spec', 'http', '0', 'retries'], value: RETRIES },
        { path: ['spec', 'http', '1', 'retries'], value: RETRIES },
      ],
    });
  });

  it('ignores test ops of a JSON patch', () => {
    const patch = retriesPatch(1, [{ op: 'test', path: '/metadata/resourceVersion', value: '77' }]);

    const plan = rollbackPlan(patch, virtualService([{ route: [] }]));

    expect(plan).toEqual({
      type: 'json',
      ops: [{ op: 'remove', path: '/spec/http/0/retries' }],
      applied: [{ path: ['spec', 'http', '0', 'retries'], value: RETRIES }],
    });
  });

  it('deletes an object the apply created', () => {
    const create: PatchProposal = { target: cartVs, type: 'merge', patch: virtualService([{ retries: RETRIES }]) };

    expect(rollbackPlan(create, null)).toEqual({ type: 'delete' });
  });
});

describe('editedSinceApply', () => {
  it('returns nothing when every field still has the value the apply set', () => {
    const plan = rollbackPlan(holdPatch, deployment());

    const edited = editedSinceApply(plan, deployment({ [CONFIG]: HOLD, 'added/by-someone': 'x' }));

    expect(edited).toEqual([]);
  });

  it('names a field someone changed or removed since the apply', () => {
    const plan = rollbackPlan(holdPatch, deployment());

    const changed = editedSinceApply(plan, deployment({ [CONFIG]: '{"holdApplicationUntilProxyStarts":false}' }));
    const removed = editedSinceApply(plan, deployment());

    expect(changed).toEqual([`spec.template.metadata.annotations.${CONFIG}`]);
    expect(removed).toEqual([`spec.template.metadata.annotations.${CONFIG}`]);
  });

  it('treats a label the apply removed as unchanged while it stays absent, and edited once re-added', () => {
    const patch: PatchProposal = {
      target: shopNamespace,
      type: 'merge',
      patch: { metadata: { labels: { 'istio-injection': null } } },
    };
    const plan = rollbackPlan(patch, { metadata: { labels: { 'istio-injection': 'disabled' } } });

    expect(editedSinceApply(plan, { metadata: { labels: {} } })).toEqual([]);
    expect(editedSinceApply(plan, { metadata: { labels: { 'istio-injection': 'enabled' } } })).toEqual([
      'metadata.labels.istio-injection',
    ]);
  });

  it('checks the retries a JSON patch set on each route', () => {
    const plan = rollbackPlan(retriesPatch(2), virtualService([{ route: [] }, { route: [] }]));

    const unchanged = editedSinceApply(plan, virtualService([{ retries: RETRIES }, { retries: RETRIES }]));
    const edited = editedSinceApply(plan, virtualService([{ retries: RETRIES }, { retries: { attempts: 9 } }]));

    expect(unchanged).toEqual([]);
    expect(edited).toEqual(['spec.http.1.retries']);
  });

  it('reports a created object that was deleted since, and nothing while it exists', () => {
    expect(editedSinceApply({ type: 'delete' }, null)).toEqual(['the object was deleted']);
    expect(editedSinceApply({ type: 'delete' }, virtualService([]))).toEqual([]);
  });
});

describe('disallowedReason', () => {
  it.each(['Deployment', 'StatefulSet', 'DaemonSet'])('accepts pod-template annotations on a %s', (kind) => {
    const p: PatchProposal = { ...holdPatch, target: { ...cart, kind } };

    expect(disallowedReason(p, false)).toBeNull();
  });

  it('accepts Namespace labels, including a removal', () => {
    const p: PatchProposal = {
      target: shopNamespace,
      type: 'merge',
      patch: { metadata: { labels: { 'istio.io/rev': 'asm-1-22', 'istio-injection': null } } },
    };

    expect(disallowedReason(p, false)).toBeNull();
  });

  it('accepts a JSON patch that adds or replaces route retries of a VirtualService', () => {
    const p: PatchProposal = {
      target: cartVs,
      type: 'json',
      patch: [
        { op: 'add', path: '/spec/http/0/retries', value: RETRIES },
        { op: 'replace', path: '/spec/http/12/retries', value: RETRIES },
      ],
    };

    expect(disallowedReason(p, false)).toBeNull();
  });

  it('accepts creating a VirtualService', () => {
    const p: PatchProposal = {
      target: cartVs,
      type: 'merge',
      patch: virtualService([{ route: [{ destination: { host: 'cart' } }], retries: RETRIES }]),
    };

    expect(disallowedReason(p, true)).toBeNull();
  });

  it('refuses a Deployment patch that also sets spec.replicas', () => {
    const p: PatchProposal = {
      target: cart,
      type: 'merge',
      patch: { spec: { replicas: 0, template: { metadata: { annotations: { [CONFIG]: HOLD } } } } },
    };

    expect(disallowedReason(p, false)).toBe(
      'a Deployment patch may only set pod-template annotations, not spec.replicas',
    );
  });

  it('refuses a change to the pod template containers', () => {
    const p: PatchProposal = {
      target: { ...cart, kind: 'StatefulSet' },
      type: 'merge',
      patch: { spec: { template: { spec: { containers: [{ name: 'cart', image: 'evil:latest' }] } } } },
    };

    expect(disallowedReason(p, false)).toBe(
      'a StatefulSet patch may only set pod-template annotations, not spec.template.spec.containers',
    );
  });

  it('refuses pod-template labels and nested annotation values', () => {
    const labels: PatchProposal = {
      target: cart,
      type: 'merge',
      patch: { spec: { template: { metadata: { labels: { app: 'other' } } } } },
    };
    const nested: PatchProposal = { target: cart, type: 'merge', patch: podAnnotations({ [CONFIG]: { a: 1 } }) };
    const wholeMap: PatchProposal = {
      target: cart,
      type: 'merge',
      patch: { spec: { template: { metadata: { annotations: null } } } },
    };

    expect(disallowedReason(labels, false)).toMatch(/not spec\.template\.metadata\.labels\.app$/);
    expect(disallowedReason(nested, false)).toMatch(
      /not spec\.template\.metadata\.annotations\.proxy\.istio\.io\/config\.a$/,
    );
    expect(disallowedReason(wholeMap, false)).toMatch(/not spec\.template\.metadata\.annotations$/);
  });

  it('refuses any patch of a Secret', () => {
    const p: PatchProposal = {
      target: { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'cart-db' },
      type: 'merge',
      patch: { metadata: { annotations: { a: 'b' } } },
    };

    expect(disallowedReason(p, false)).toBe('merge patches of a Secret are not allowed');
  });

  it('refuses a JSON patch with a remove op or a path outside route retries', () => {
    const remove: PatchProposal = {
      target: cartVs,
      type: 'json',
      patch: [{ op: 'remove', path: '/spec/http/0/retries' }],
    };
    const outside: PatchProposal = {
      target: cartVs,
      type: 'json',
      patch: [
        { op: 'add', path: '/spec/http/0/retries', value: RETRIES },
        { op: 'replace', path: '/spec/http/0/route', value: [] },
      ],
    };
    const nestedInRetries: PatchProposal = {
      target: cartVs,
      type: 'json',
      patch: [{ op: 'add', path: '/spec/http/0/retries/attempts', value: 100 }],
    };
    const testOp: PatchProposal = {
      target: cartVs,
      type: 'json',
      patch: [{ op: 'test', path: '/spec/http/0/retries', value: RETRIES }],
    };

    for (const p of [remove, outside, nestedInRetries, testOp]) {
      expect(disallowedReason(p, false)).toBe('a VirtualService patch may only set route retries');
    }
  });

  it('refuses a JSON patch of a Deployment even inside the pod-template annotations', () => {
    const p: PatchProposal = {
      target: cart,
      type: 'json',
      patch: [{ op: 'add', path: '/spec/template/metadata/annotations/x', value: 'y' }],
    };

    expect(disallowedReason(p, false)).toBe('json patches of a Deployment are not allowed');
  });

  it('refuses creating anything but a VirtualService', () => {
    const deploymentCreate: PatchProposal = { target: cart, type: 'merge', patch: deployment() };
    const mislabelled: PatchProposal = { target: cartVs, type: 'merge', patch: deployment() };

    expect(disallowedReason(deploymentCreate, true)).toBe('only a VirtualService may be created, not a Deployment');
    expect(disallowedReason(mislabelled, true)).toBe('only a VirtualService may be created, not a VirtualService');
  });

  it('refuses a strategic merge patch even of pod-template annotations', () => {
    const p: PatchProposal = { ...holdPatch, type: 'strategic' };

    expect(disallowedReason(p, false)).toBe('strategic patches of a Deployment are not allowed');
  });

  it('refuses a Namespace annotation', () => {
    const p: PatchProposal = {
      target: shopNamespace,
      type: 'merge',
      patch: { metadata: { annotations: { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=x' } } },
    };

    expect(disallowedReason(p, false)).toBe(
      'a Namespace patch may only set labels, not metadata.annotations.scheduler.alpha.kubernetes.io/node-selector',
    );
  });

  it('refuses a merge patch of a VirtualService that already exists', () => {
    const p: PatchProposal = { target: cartVs, type: 'merge', patch: { spec: { http: [] } } };

    expect(disallowedReason(p, false)).toBe('merge patches of a VirtualService are not allowed');
  });
});

describe('fixes found by review', () => {
  const vsTarget = {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    namespace: 'shop',
    name: 'cart',
  };

  it('refuses creating a VirtualService whose body names another object than the target', () => {
    const create = (name: string, namespace: string) => ({
      target: vsTarget,
      type: 'merge' as const,
      patch: {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name, namespace },
        spec: {},
      },
    });

    expect(disallowedReason(create('cart', 'shop'), true)).toBeNull();
    expect(disallowedReason(create('other', 'shop'), true)).toMatch(/target name and namespace/);
    expect(disallowedReason(create('cart', 'payments'), true)).toMatch(/target name and namespace/);
  });

  it('treats an empty object in a merge patch as a leaf, so it cannot slip past the allowed paths', () => {
    const p = {
      target: { ...vsTarget, apiVersion: 'apps/v1', kind: 'Deployment' },
      type: 'merge' as const,
      patch: { spec: { replicas: {} } },
    };

    expect(mergeLeaves(p.patch)).toEqual([{ path: ['spec', 'replicas'], value: {} }]);
    expect(disallowedReason(p, false)).toMatch(/not spec\.replicas/);
  });

  it('does not count keys returned in another order as an edit', () => {
    const plan = rollbackPlan(
      {
        target: vsTarget,
        type: 'json',
        patch: [{ op: 'add', path: '/spec/http/0/retries', value: { attempts: 3, retryOn: '5xx' } }],
      },
      { spec: { http: [{}] } },
    );

    expect(editedSinceApply(plan, { spec: { http: [{ retries: { retryOn: '5xx', attempts: 3 } }] } })).toEqual([]);
    expect(editedSinceApply(plan, { spec: { http: [{ retries: { retryOn: '5xx', attempts: 4 } }] } })).toEqual([
      'spec.http.0.retries',
    ]);
  });
});

describe('restoredAlready', () => {
  const withAnnotations = (annotations: Record<string, string>) => ({ ...podAnnotations(annotations), metadata: {} });

  it('is true once every field the apply set is back to its previous value, or absent again', () => {
    const fromValue = rollbackPlan(holdPatch, withAnnotations({ [CONFIG]: '{}', other: 'x' }));
    const fromAbsent = rollbackPlan(holdPatch, withAnnotations({ other: 'x' }));

    expect(restoredAlready(fromValue, withAnnotations({ [CONFIG]: '{}', other: 'y' }))).toBe(true);
    expect(restoredAlready(fromValue, withAnnotations({ [CONFIG]: HOLD }))).toBe(false);
    expect(restoredAlready(fromAbsent, withAnnotations({ other: 'x' }))).toBe(true);
    expect(restoredAlready(fromAbsent, withAnnotations({ [CONFIG]: HOLD }))).toBe(false);
    expect(restoredAlready(fromAbsent, null)).toBe(false);
  });

  it('follows a JSON plan: removed paths absent, replaced ones equal', () => {
    const before = { spec: { http: [{ route: [] }, { retries: { attempts: 1 } }] } };
    const plan = rollbackPlan(retriesPatch(2), before);

    expect(restoredAlready(plan, before)).toBe(true);
    expect(
      restoredAlready(plan, { spec: { http: [{ route: [], retries: RETRIES }, { retries: { attempts: 1 } }] } }),
    ).toBe(false);
  });

  it('for a created object, is true once it is gone', () => {
    expect(restoredAlready({ type: 'delete' }, null)).toBe(true);
    expect(restoredAlready({ type: 'delete' }, { kind: 'VirtualService' })).toBe(false);
  });
});
