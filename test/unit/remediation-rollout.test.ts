import type { PatchProposal } from '../../src/diagnosis/evidence';
import type { ObjectAccess } from '../../src/remediation/object-access';
import { rolloutDone, waitForRollout } from '../../src/remediation/rollout';

type Obj = Record<string, unknown>;
type Target = PatchProposal['target'];

const cart: Target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' };

const deployment = (generation: number, replicas: number | undefined, status: Obj): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cart', namespace: 'shop', generation },
  spec: replicas === undefined ? {} : { replicas },
  status,
});

const daemonSet = (generation: number, status: Obj): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-agent', namespace: 'shop', generation },
  spec: {},
  status,
});

const settled = (generation: number) =>
  deployment(generation, 3, { observedGeneration: generation, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
const progressing = (generation: number) =>
  deployment(generation, 3, { observedGeneration: generation, replicas: 4, updatedReplicas: 2, availableReplicas: 3 });

/** Reads return the given objects in turn (the last one repeats); only `read` is used. */
function objectsReading(...sequence: Array<Obj | null>) {
  const reads: Target[] = [];
  const objects = {
    read: async (target: Target) => {
      reads.push(target);
      return sequence[Math.min(reads.length - 1, sequence.length - 1)] ?? null;
    },
  } as unknown as ObjectAccess;
  return { objects, reads };
}

describe('rolloutDone', () => {
  it('is done when the controller saw the generation and every replica is updated and available', () => {
    expect(rolloutDone(settled(7))).toBe(true);
  });

  it('is not done while the controller has not observed the latest generation', () => {
    const stale = deployment(8, 3, { observedGeneration: 7, updatedReplicas: 3, availableReplicas: 3 });

    expect(rolloutDone(stale)).toBe(false);
  });

  it('is not done while replicas are still old or not yet available', () => {
    const notUpdated = deployment(2, 3, { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 3 });
    const notAvailable = deployment(2, 3, { observedGeneration: 2, updatedReplicas: 3, availableReplicas: 2 });
    const noStatus = deployment(2, 3, {});

    expect(rolloutDone(notUpdated)).toBe(false);
    expect(rolloutDone(notAvailable)).toBe(false);
    expect(rolloutDone(noStatus)).toBe(false);
  });

  it('defaults spec.replicas to 1 and is done at once for a workload scaled to 0', () => {
    const defaultOne = deployment(1, undefined, { observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1 });
    const defaultOneMissing = deployment(1, undefined, { observedGeneration: 1 });
    const scaledToZero = deployment(1, 0, { observedGeneration: 1 });

    expect(rolloutDone(defaultOne)).toBe(true);
    expect(rolloutDone(defaultOneMissing)).toBe(false);
    expect(rolloutDone(scaledToZero)).toBe(true);
  });

  it('uses the scheduled counts of a DaemonSet', () => {
    const done = daemonSet(4, {
      observedGeneration: 4,
      desiredNumberScheduled: 5,
      updatedNumberScheduled: 5,
      numberAvailable: 5,
    });
    const updating = daemonSet(4, {
      observedGeneration: 4,
      desiredNumberScheduled: 5,
      updatedNumberScheduled: 3,
      numberAvailable: 5,
    });
    const unavailable = daemonSet(4, {
      observedGeneration: 4,
      desiredNumberScheduled: 5,
      updatedNumberScheduled: 5,
      numberAvailable: 4,
    });

    expect(rolloutDone(done)).toBe(true);
    expect(rolloutDone(updating)).toBe(false);
    expect(rolloutDone(unavailable)).toBe(false);
  });

  it('recognises DaemonSet status by its scheduled counts even without a kind', () => {
    const object = {
      metadata: { generation: 1 },
      status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 },
    };

    expect(rolloutDone(object)).toBe(true);
  });

  it('is not done while an old replica still runs next to a new one that is not yet available', () => {
    // Mid-surge: 3 new pods (one not ready) and 1 old pod still available; availableReplicas counts both.
    const surging = deployment(1, 3, { observedGeneration: 1, replicas: 4, updatedReplicas: 3, availableReplicas: 3 });
    const finished = deployment(1, 3, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });

    expect(rolloutDone(surging)).toBe(false);
    expect(rolloutDone(finished)).toBe(true);
  });
});

describe('waitForRollout', () => {
  let clock: number;

  beforeEach(() => {
    clock = 1_700_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const sleeper = () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    };
    return { sleep, sleeps };
  };

  it('polls until the rollout is done, reading the target each time', async () => {
    const { objects, reads } = objectsReading(deployment(3, 3, { observedGeneration: 2 }), progressing(3), settled(3));
    const { sleep, sleeps } = sleeper();

    const outcome = await waitForRollout(objects, cart, { timeoutMs: 60_000, pollMs: 2_000, sleep });

    expect(outcome).toBe('done');
    expect(reads).toEqual([cart, cart, cart]);
    expect(sleeps).toEqual([2_000, 2_000]);
  });

  it('returns done without sleeping when the rollout is already complete', async () => {
    const { objects, reads } = objectsReading(settled(1));
    const { sleep, sleeps } = sleeper();

    const outcome = await waitForRollout(objects, cart, { timeoutMs: 60_000, pollMs: 2_000, sleep });

    expect(outcome).toBe('done');
    expect(reads).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out after the deadline without throwing, with one last read past it', async () => {
    const { objects, reads } = objectsReading(progressing(5));
    const { sleep, sleeps } = sleeper();

    const outcome = await waitForRollout(objects, cart, { timeoutMs: 1_000, pollMs: 300, sleep });

    expect(outcome).toBe('timeout');
    expect(reads).toHaveLength(5);
    expect(sleeps).toEqual([300, 300, 300, 300]);
  });

  it('reports a workload deleted during the rollout as gone', async () => {
    const { objects, reads } = objectsReading(progressing(2), null);
    const { sleep } = sleeper();

    const outcome = await waitForRollout(objects, cart, { timeoutMs: 60_000, pollMs: 1_000, sleep });

    expect(outcome).toBe('gone');
    expect(reads).toHaveLength(2);
  });

  it.each(['Namespace', 'VirtualService'])('does not read a %s: there is no rollout to wait for', async (kind) => {
    const { objects, reads } = objectsReading(settled(1));
    const { sleep, sleeps } = sleeper();
    const target: Target = { apiVersion: 'v1', kind, namespace: kind === 'Namespace' ? null : 'shop', name: 'shop' };

    const outcome = await waitForRollout(objects, target, { timeoutMs: 60_000, pollMs: 1_000, sleep });

    expect(outcome).toBe('not-a-rollout');
    expect(reads).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('waits for a StatefulSet and a DaemonSet too', async () => {
    const sts: Target = { ...cart, kind: 'StatefulSet', name: 'db' };
    const ds: Target = { ...cart, kind: 'DaemonSet', name: 'node-agent' };
    const stsObjects = objectsReading(
      { ...progressing(1), kind: 'StatefulSet' },
      { ...settled(1), kind: 'StatefulSet' },
    );
    const dsObjects = objectsReading(
      daemonSet(1, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2 }),
      daemonSet(1, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }),
    );
    const { sleep } = sleeper();

    const stsOutcome = await waitForRollout(stsObjects.objects, sts, { timeoutMs: 60_000, pollMs: 1_000, sleep });
    const dsOutcome = await waitForRollout(dsObjects.objects, ds, { timeoutMs: 60_000, pollMs: 1_000, sleep });

    expect(stsOutcome).toBe('done');
    expect(stsObjects.reads).toEqual([sts, sts]);
    expect(dsOutcome).toBe('done');
    expect(dsObjects.reads).toEqual([ds, ds]);
  });

  it('passes a read error on', async () => {
    const objects = {
      read: async () => {
        throw new Error('forbidden');
      },
    } as unknown as ObjectAccess;
    const { sleep } = sleeper();

    await expect(waitForRollout(objects, cart, { timeoutMs: 60_000, pollMs: 1_000, sleep })).rejects.toThrow(
      'forbidden',
    );
  });
});
