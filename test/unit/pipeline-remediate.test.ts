import type { PatchProposal } from '../../src/diagnosis/evidence';
import type { ObjectAccess } from '../../src/remediation/object-access';
import { rollbackPlan } from '../../src/remediation/touched-fields';
import { ID, NOW, spec, memoryRemediation } from '../helpers/memory-remediation';

type Obj = Record<string, unknown>;
const ANNOTATION = 'proxy.istio.io/config';

/** A Deployment whose pod template has `annotation` (or none), at resourceVersion `rv`. */
function cart(rv: string, annotation: string | undefined): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop', resourceVersion: rv, generation: 2 },
    spec: { replicas: 1, template: { metadata: { annotations: annotation ? { [ANNOTATION]: annotation } : {} } } },
    status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  };
}

/** One object in memory; records writes, can refuse dry runs. */
function objects(initial: Obj, options: { refuseDryRun?: string } = {}) {
  let current = initial;
  const writes: Array<{ dryRun: boolean; body: unknown }> = [];
  const access: ObjectAccess = {
    read: async () => structuredClone(current),
    patch: async (_t, _type, body, dryRun) => {
      writes.push({ dryRun, body });
      if (dryRun && options.refuseDryRun) throw Object.assign(new Error(options.refuseDryRun), { code: 422 });
      const annotations = (
        (body as Obj).spec as { template: { metadata: { annotations: Record<string, string | null> } } }
      ).template.metadata.annotations;
      if (!dryRun) {
        const next = cart(
          String(Number((current.metadata as Obj).resourceVersion) + 1),
          annotations[ANNOTATION] ?? undefined,
        );
        current = next;
      }
      return structuredClone(current);
    },
    create: async () => ({}),
    delete: async () => undefined,
  };
  return { access, writes, set: (o: Obj) => void (current = o) };
}

const processor = memoryRemediation;

const PATCH = spec().patch as PatchProposal;

describe('the apply job', () => {
  it("in another cluster's worker: refused before anything is read or written, the proposal left as it was", async () => {
    const cluster = objects(cart('48213', undefined));
    const { run, proposals, audit } = processor(cluster.access, 'staging');
    proposals.put({ ...spec({ cluster: 'prod-eu' }), state: 'approved', approvedBy: 'U0APPROVER' });
    const read = jest.spyOn(cluster.access, 'read');

    await expect(run({ action: 'apply', proposalId: ID, cluster: 'prod-eu' })).rejects.toThrow(
      `proposal ${ID} is for cluster prod-eu, this worker writes to staging`,
    );
    expect(read).not.toHaveBeenCalled();
    expect(cluster.writes).toEqual([]);
    expect(audit.entries).toEqual([]);
    expect((await proposals.get(ID))?.state).toBe('approved');
    // Its own cluster's worker applies it.
    const own = processor(cluster.access, 'prod-eu');
    own.proposals.put({ ...spec({ cluster: 'prod-eu' }), state: 'approved', approvedBy: 'U0APPROVER' });
    expect(await own.run({ action: 'apply', proposalId: ID, cluster: 'prod-eu' })).toBe('applied');
  });

  it('re-reads, dry-runs, applies once with the resourceVersion precondition, then verifies', async () => {
    const cluster = objects(cart('48213', '{"terminationDrainDuration":"20s"}'));
    const { run, proposals, audit, slack } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'approved', approvedBy: 'U0APPROVER', approvedAt: new Date(NOW).toISOString() });

    const state = await run({ action: 'apply', proposalId: ID });

    expect(state).toBe('applied');
    expect(cluster.writes.map((w) => w.dryRun)).toEqual([true, false]);
    expect((cluster.writes[1]?.body as { metadata: Obj }).metadata.resourceVersion).toBe('48213');
    expect(audit.entries.map((e) => e.action)).toEqual(['dry-run', 'applied', 'verified']);
    expect(slack.texts().find((t) => t.includes('re-diagnosis'))).toContain('*Fixed*');
  });

  it('a retry after the write landed records it as applied and writes nothing again', async () => {
    const before = cart('48213', undefined);
    const cluster = objects(cart('48214', '{"holdApplicationUntilProxyStarts":true}'));
    const { run, proposals } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'applying', rollback: JSON.stringify(rollbackPlan(PATCH, before)) });

    const state = await run({ action: 'apply', proposalId: ID });

    expect(state).toBe('applied');
    expect(cluster.writes).toEqual([]);
    expect(JSON.parse((await proposals.get(ID))?.rollback ?? '{}')).toMatchObject({ type: 'merge' });
  });

  it('a retry before the write landed applies it (once)', async () => {
    const before = cart('48213', undefined);
    const cluster = objects(before);
    const { run, proposals } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'applying', rollback: JSON.stringify(rollbackPlan(PATCH, before)) });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('applied');
    expect(cluster.writes.filter((w) => !w.dryRun)).toHaveLength(1);
  });

  it('writes nothing when the record is lost before the rollback values could be kept', async () => {
    const cluster = objects(cart('48213', undefined));
    const { run, proposals } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'approved', approvedBy: 'U0APPROVER' });
    const patch = cluster.access.patch;
    cluster.access.patch = async (...args) => {
      proposals.drop(ID); // expired or lost during the dry run
      return patch(...args);
    };

    expect(await run({ action: 'apply', proposalId: ID })).toBe('unknown');
    expect(cluster.writes.map((w) => w.dryRun)).toEqual([true]);
  });

  it('a job for a proposal that is not approved does nothing', async () => {
    const cluster = objects(cart('48213', undefined));
    const { run, proposals } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'rejected' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('rejected');
    expect(cluster.writes).toEqual([]);
  });

  it('a refused dry run fails the proposal with the reason and writes nothing', async () => {
    const cluster = objects(cart('48213', undefined), { refuseDryRun: 'denied by policy' });
    const { run, proposals } = processor(cluster.access);
    proposals.put({ ...spec(), state: 'approved' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('failed');
    expect(cluster.writes.filter((w) => !w.dryRun)).toEqual([]);
    expect((await proposals.get(ID))?.result).toContain('denied by policy');
  });
});

describe('protected namespaces at apply time', () => {
  it('refuses an approved patch in a denied namespace: nothing is written, the message and the audit say why', async () => {
    const cluster = objects(cart('48213', undefined));
    const { run, proposals, audit, slack } = processor(cluster.access);
    const frozen = spec();
    frozen.patch.target.namespace = 'shop-frozen';
    proposals.put({ ...frozen, state: 'approved', approvedBy: 'U0APPROVER', messageTs: '1748779300.000200' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('failed');

    const reason =
      'namespace shop-frozen is on the deny list (MESH_PATCH_DENY_NAMESPACES): no patch may change it; nothing was applied.';
    expect(cluster.writes).toEqual([]);
    expect((await proposals.get(ID))?.result).toBe(`Refused: ${reason}`);
    expect(audit.entries).toMatchObject([{ action: 'refused', actor: 'U0APPROVER', detail: reason }]);
    expect(JSON.stringify(slack.writes.filter((w) => w.call === 'update').at(-1))).toContain('is on the deny list');
  });

  it('refuses a patch of a control-plane workload other than the istiod restart', async () => {
    const cluster = objects(cart('48213', undefined));
    const { run, proposals, audit } = processor(cluster.access);
    const gateway = spec();
    gateway.patch.target.namespace = 'istio-system';
    proposals.put({ ...gateway, state: 'approved', approvedBy: 'U0APPROVER' });

    expect(await run({ action: 'apply', proposalId: ID })).toBe('failed');

    expect(cluster.writes).toEqual([]);
    expect(audit.entries[0]?.detail).toContain('holds the Istio control plane');
  });
});

describe('the rollback job', () => {
  const BEFORE = '{"terminationDrainDuration":"20s"}';
  const APPLIED = '{"holdApplicationUntilProxyStarts":true}';

  /** A proposal applied by U0APPROVER over `BEFORE`, whose rollback U0ROLLER asked for. */
  function rollingBack(current: Obj) {
    const cluster = objects(current);
    const s = processor(cluster.access);
    s.proposals.put({
      ...spec(),
      state: 'rolling-back',
      approvedBy: 'U0APPROVER',
      rolledBackBy: 'U0ROLLER',
      rollback: JSON.stringify(rollbackPlan(PATCH, cart('48213', BEFORE))),
    });
    return { ...s, cluster };
  }

  it('restores the previous value and names the person who rolled back, not the approver', async () => {
    const { run, audit, cluster } = rollingBack(cart('48214', APPLIED));

    expect(await run({ action: 'rollback', proposalId: ID })).toBe('rolled-back');

    expect(cluster.writes.map((w) => w.dryRun)).toEqual([true, false]);
    expect(audit.entries).toMatchObject([{ action: 'rolled-back', actor: 'U0ROLLER' }]);
  });

  it('a retry after the rollback write landed records it as rolled back and writes nothing again', async () => {
    // The worker died between the write and recording it: the object already holds the previous value.
    const { run, proposals, audit, cluster } = rollingBack(cart('48215', BEFORE));

    expect(await run({ action: 'rollback', proposalId: ID })).toBe('rolled-back');

    expect(cluster.writes).toEqual([]);
    expect((await proposals.get(ID))?.result).toBe('Previous values restored.');
    expect(audit.entries).toMatchObject([
      { action: 'rolled-back', actor: 'U0ROLLER', detail: 'previous values found restored after a worker restart' },
    ]);
  });

  it('still refuses when someone else changed the field to a third value', async () => {
    const { run, proposals, audit, cluster } = rollingBack(cart('48215', '{"concurrency":2}'));

    expect(await run({ action: 'rollback', proposalId: ID })).toBe('applied');

    expect(cluster.writes).toEqual([]);
    expect((await proposals.get(ID))?.result).toContain('rollback refused: changed since the apply');
    expect(audit.entries).toMatchObject([{ action: 'rollback-failed', actor: 'U0ROLLER' }]);
  });
});
