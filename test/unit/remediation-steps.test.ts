import type { PatchProposal } from '../../src/diagnosis/evidence';
import type { ObjectAccess } from '../../src/remediation/object-access';
import type { ProposalSpec } from '../../src/remediation/proposal';
import { stepsOf } from '../../src/remediation/proposal';
import { rollbackPlan } from '../../src/remediation/touched-fields';
import { buildProposalBlocks } from '../../src/report/blocks-proposal';
import type { ActionsBlock } from '../../src/report/blocks-types';
import { ID, spec, memoryRemediation } from '../helpers/memory-remediation';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 merge. */
function merge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

const keyOf = (t: PatchProposal['target']) => `${t.kind}/${t.namespace ?? ''}/${t.name}`;

/**
 * Objects in memory answering merge patches as the API server does: the resourceVersion precondition is
 * checked, each write bumps it; `refuse` makes writes of one object fail (dry run or not).
 */
function cluster(objects: Obj[]) {
  const store = new Map<string, Obj>();
  for (const o of objects) {
    const m = o.metadata as Obj;
    store.set(`${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name)}`, structuredClone(o));
  }
  const writes: string[] = [];
  const refuse = new Map<string, { dryRun: boolean; message: string }>();
  const access: ObjectAccess = {
    read: async (t) => structuredClone(store.get(keyOf(t)) ?? null),
    patch: async (t, _type, body, dryRun) => {
      const key = keyOf(t);
      writes.push(`${dryRun ? 'dry-run' : 'write'} ${key}`);
      const refusal = refuse.get(key);
      if (refusal && (refusal.dryRun || !dryRun)) throw Object.assign(new Error(refusal.message), { code: 422 });
      const current = store.get(key);
      if (!current) throw Object.assign(new Error('not found'), { code: 404 });
      const meta = current.metadata as Obj;
      const wanted = isObj(body) && isObj(body.metadata) ? body.metadata.resourceVersion : undefined;
      if (wanted !== undefined && wanted !== meta.resourceVersion)
        throw Object.assign(new Error('the object has been modified'), { code: 409 });
      const next = merge(current, body) as Obj;
      (next.metadata as Obj).resourceVersion = String(Number(meta.resourceVersion) + 1);
      if (!dryRun) store.set(key, next);
      return structuredClone(next);
    },
    create: async () => ({}),
    delete: async () => undefined,
  };
  return { access, writes, store, refuse };
}

const NAMESPACE: Obj = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', resourceVersion: '700', labels: {} },
};
const DEPLOYMENT: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cart', namespace: 'shop', resourceVersion: '48213', generation: 2 },
  spec: { replicas: 1, template: { metadata: { annotations: {} } } },
  status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
};

const LABEL: PatchProposal = {
  target: { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'shop' },
  type: 'merge',
  patch: { metadata: { labels: { 'istio-injection': 'enabled' } } },
};
const RESTART: PatchProposal = {
  target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' },
  type: 'merge',
  patch: {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T12:00:00Z' } } } },
  },
};

function twoSteps(overrides: Partial<ProposalSpec> = {}): ProposalSpec {
  return spec({
    runbook: 'sidecar-not-injected',
    title: 'Pods run without the sidecar',
    patch: LABEL,
    resourceVersion: '700',
    laterSteps: [{ patch: RESTART, resourceVersion: '48213' }],
    risk: 'Every pod of the workloads restarts through a rollout.',
    ...overrides,
  });
}

const processor = memoryRemediation;

const labelOf = (c: ReturnType<typeof cluster>) =>
  ((c.store.get('Namespace//shop')?.metadata as Obj).labels as Obj)['istio-injection'];
const restartedAt = (c: ReturnType<typeof cluster>) =>
  ((((c.store.get('Deployment/shop/cart')?.spec as Obj).template as Obj).metadata as Obj).annotations as Obj)[
    'kubectl.kubernetes.io/restartedAt'
  ];

describe('a fix of several steps', () => {
  it('dry-runs every step before writing any, writes them in order, and rolls them back in reverse', async () => {
    const c = cluster([NAMESPACE, DEPLOYMENT]);
    const { run, proposals, audit } = processor(c.access);
    proposals.put({ ...twoSteps(), state: 'approved', approvedBy: 'U0APPROVER' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('applied');
    expect(c.writes).toEqual([
      'dry-run Namespace//shop',
      'dry-run Deployment/shop/cart',
      'write Namespace//shop',
      'write Deployment/shop/cart',
    ]);
    expect(labelOf(c)).toBe('enabled');
    expect(restartedAt(c)).toBe('2025-06-01T12:00:00Z');
    expect(audit.entries.map((e) => `${e.action} ${e.target}`)).toEqual([
      'dry-run Namespace shop',
      'dry-run Deployment shop/cart',
      'applied Namespace shop',
      'applied Deployment shop/cart',
      'applied Namespace shop, then Deployment shop/cart',
      'verified Namespace shop, then Deployment shop/cart',
    ]);

    c.writes.length = 0;
    await proposals.move(ID, 'applied', 'rolling-back', { rolledBackBy: 'U0APPROVER' });
    expect(await run({ action: 'rollback', proposalId: ID })).toBe('rolled-back');
    expect(c.writes).toEqual([
      'dry-run Deployment/shop/cart',
      'dry-run Namespace//shop',
      'write Deployment/shop/cart',
      'write Namespace//shop',
    ]);
    expect(labelOf(c)).toBeUndefined();
    expect(restartedAt(c)).toBeUndefined();
  });

  it("writes nothing when a later step's object changed since the diagnosis", async () => {
    const c = cluster([
      NAMESPACE,
      { ...DEPLOYMENT, metadata: { ...(DEPLOYMENT.metadata as Obj), resourceVersion: '48999' } },
    ]);
    const { run, proposals } = processor(c.access);
    proposals.put({ ...twoSteps(), state: 'approved', approvedBy: 'U0APPROVER' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('failed');
    expect(c.writes.filter((w) => w.startsWith('write'))).toEqual([]);
    expect((await proposals.get(ID))?.result).toContain('Deployment shop/cart changed since diagnosis');
  });

  it('restores the steps written before one the API server refuses, and says so', async () => {
    const c = cluster([NAMESPACE, DEPLOYMENT]);
    c.refuse.set('Deployment/shop/cart', { dryRun: false, message: 'admission webhook denied the request' });
    const { run, proposals } = processor(c.access);
    proposals.put({ ...twoSteps(), state: 'approved', approvedBy: 'U0APPROVER' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('failed');
    expect(labelOf(c)).toBeUndefined();
    const result = (await proposals.get(ID))?.result ?? '';
    expect(result).toContain('step 2 of 2 (Deployment shop/cart)');
    expect(result).toContain('admission webhook denied the request');
    expect(result).toContain('restored (Namespace shop)');
  });

  it('a retry after a worker died between the steps writes only the step that did not land', async () => {
    const c = cluster([NAMESPACE, DEPLOYMENT]);
    const labelled = structuredClone(NAMESPACE);
    ((labelled.metadata as Obj).labels as Obj)['istio-injection'] = 'enabled';
    (labelled.metadata as Obj).resourceVersion = '701';
    c.store.set('Namespace//shop', labelled);
    const { run, proposals } = processor(c.access);
    proposals.put({
      ...twoSteps(),
      state: 'applying',
      approvedBy: 'U0APPROVER',
      rollback: JSON.stringify([rollbackPlan(LABEL, NAMESPACE)]),
    });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('applied');
    expect(c.writes).toEqual(['dry-run Deployment/shop/cart', 'write Deployment/shop/cart']);
    expect(JSON.parse((await proposals.get(ID))?.rollback ?? '[]')).toHaveLength(2);
  });

  it('refuses the rollback, writing nothing, when someone changed a field a step set', async () => {
    const c = cluster([NAMESPACE, DEPLOYMENT]);
    const { run, proposals } = processor(c.access);
    proposals.put({ ...twoSteps(), state: 'approved', approvedBy: 'U0APPROVER' });
    await run({ action: 'apply', proposalId: ID });
    const ns = c.store.get('Namespace//shop') as Obj;
    ((ns.metadata as Obj).labels as Obj)['istio-injection'] = 'disabled';
    c.writes.length = 0;

    await proposals.move(ID, 'applied', 'rolling-back', { rolledBackBy: 'U0APPROVER' });
    expect(await run({ action: 'rollback', proposalId: ID })).toBe('applied');
    expect(c.writes).toEqual([]);
    expect((await proposals.get(ID))?.result).toContain('Namespace shop: metadata.labels.istio-injection');
  });

  it('reads records made before fixes had several steps as one step', () => {
    const legacy = spec();
    expect(stepsOf(legacy)).toEqual([{ patch: legacy.patch, resourceVersion: '48213' }]);
  });
});

describe('the proposal message of a fix of several steps', () => {
  const actionsOf = (blocks: ReturnType<typeof buildProposalBlocks>['blocks']) =>
    blocks.find((b): b is ActionsBlock => b.type === 'actions');

  it('numbers the steps, shows the risk beside the buttons, and each button asks for confirmation', () => {
    const message = buildProposalBlocks({ ...twoSteps(), state: 'proposed' });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('2 steps, applied in order and rolled back in reverse');
    expect(text.indexOf('*1.* set label istio-injection=enabled on Namespace shop')).toBeGreaterThan(0);
    expect(text.indexOf('*1.* set label istio-injection=enabled on Namespace shop')).toBeLessThan(
      text.indexOf('*2.* restart the pods (rollout restart) of Deployment shop/cart'),
    );
    expect(text).toContain('kubectl -n shop rollout restart deployment/cart');
    const ids = message.blocks.map((b) => ('block_id' in b ? b.block_id : b.type));
    expect(ids.indexOf('proposal-risk')).toBeLessThan(ids.indexOf('proposal-proposed'));
    const [approve, reject] = actionsOf(message.blocks)?.elements ?? [];
    expect(approve?.confirm?.text.text).toContain(
      'Applies 2 steps in order: Namespace shop, then Deployment shop/cart',
    );
    expect(approve?.confirm?.text.text).toContain('Risk: Every pod of the workloads restarts');
    expect(reject?.confirm?.title.text).toBe('Reject this fix?');
    for (const b of [approve, reject]) {
      expect(b?.confirm?.title.text.length).toBeLessThanOrEqual(100);
      expect(b?.confirm?.text.text.length).toBeLessThanOrEqual(300);
    }
  });

  it('asks before a rollback, naming what is restored and in which order', () => {
    const message = buildProposalBlocks({ ...twoSteps(), state: 'applied', approvedBy: 'U0APPROVER' });
    const [rollback] = actionsOf(message.blocks)?.elements ?? [];
    expect(rollback?.action_id).toBe('rollback_patch');
    expect(rollback?.confirm?.text.text).toContain(
      'Restores the previous values of Namespace shop, then Deployment shop/cart, last step first',
    );
  });

  it('keeps every confirmation within Block Kit limits for a very long risk and many steps', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      patch: { ...RESTART, target: { ...RESTART.target, name: `worker-${i}-${'x'.repeat(40)}` } },
      resourceVersion: '1',
    }));
    const message = buildProposalBlocks({
      ...twoSteps({ laterSteps: many, risk: 'r'.repeat(5_000) }),
      state: 'proposed',
    });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const b of message.blocks) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const e of actionsOf(message.blocks)?.elements ?? [])
      expect(e.confirm?.text.text.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(message.blocks)).toContain('… and 5 more');
  });
});
