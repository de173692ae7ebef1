import { createByteBudget, createWorkLimiter } from '../../src/util/work-limiter';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('work limiter', () => {
  it('runs at most `concurrency` tasks at once, in arrival order', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, maxPending: 10, onError: () => undefined });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    gates.forEach((g, i) =>
      limiter.submit(async () => {
        started.push(i);
        await g.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.size()).toBe(4);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    await limiter.idle();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limiter.size()).toBe(0);
  });

  it('refuses new tasks when the backlog is full, and accepts again once it drains', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, maxPending: 2, onError: () => undefined });
    const gate = deferred();
    expect(limiter.submit(() => gate.promise)).toBe(true); // running
    expect(limiter.submit(async () => undefined)).toBe(true); // waiting 1
    expect(limiter.submit(async () => undefined)).toBe(true); // waiting 2
    expect(limiter.submit(async () => undefined)).toBe(false);
    gate.resolve();
    await limiter.idle();
    expect(limiter.submit(async () => undefined)).toBe(true);
    await limiter.idle();
  });

  it('a failing or throwing task is reported and does not stop the others', async () => {
    const errors: unknown[] = [];
    const limiter = createWorkLimiter({ concurrency: 1, maxPending: 5, onError: (e) => errors.push(e) });
    let ran = false;
    limiter.submit(() => Promise.reject(new Error('boom')));
    limiter.submit(() => {
      throw new Error('sync boom');
    });
    limiter.submit(async () => {
      ran = true;
    });
    await limiter.idle();
    expect(ran).toBe(true);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'sync boom']);
  });

  it('idle() resolves at once when nothing is queued', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, maxPending: 1, onError: () => undefined });
    await expect(limiter.idle()).resolves.toBeUndefined();
    expect(() => createWorkLimiter({ concurrency: 0, maxPending: 1, onError: () => undefined })).toThrow(RangeError);
  });
});

describe('byte budget', () => {
  it('takes all or nothing, and what is given back can be taken again', () => {
    const budget = createByteBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.take(41)).toBe(false);
    expect(budget.take(40)).toBe(true);
    expect(budget.used()).toBe(100);
    budget.give(60);
    expect(budget.take(60)).toBe(true);
    budget.give(500);
    expect(budget.used()).toBe(0);
  });
});
