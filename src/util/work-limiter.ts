/**
 * Runs deferred tasks a few at a time, in arrival order, with a bounded backlog. The bot acknowledges
 * Slack at once and hands each command's follow-up (claim, root message, enqueue) to this limiter, so
 * a burst of commands cannot pile dozens of Web API and Redis calls onto the event loop that must also
 * answer the next acks. `npm run bench:ack` measures the difference.
 */
export interface WorkLimiter {
  /** Queues a task; false when the backlog is full (the caller should tell the user to retry). */
  submit(task: () => Promise<void>): boolean;
  /** Tasks running or waiting. */
  size(): number;
  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void>;
}

export function createWorkLimiter(options: {
  concurrency: number;
  maxPending: number;
  onError: (err: unknown) => void;
}): WorkLimiter {
  const { concurrency, maxPending, onError } = options;
  if (!(concurrency >= 1) || !(maxPending >= 0)) throw new RangeError('concurrency must be ≥ 1 and maxPending ≥ 0');
  const waiting: Array<() => Promise<void>> = [];
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (running > 0 || waiting.length > 0) return;
    const resolve = idleWaiters;
    idleWaiters = [];
    for (const r of resolve) r();
  };
  const pump = (): void => {
    while (running < concurrency && waiting.length > 0) {
      const task = waiting.shift() as () => Promise<void>;
      running++;
      void Promise.resolve()
        .then(task)
        .catch(onError)
        .finally(() => {
          running--;
          pump();
          settle();
        });
    }
  };
  return {
    submit(task) {
      if (waiting.length >= maxPending) return false;
      waiting.push(task);
      pump();
      return true;
    },
    size: () => running + waiting.length,
    idle: () => (running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r))),
  };
}

/**
 * A budget of bytes held at once (request bodies being read and parsed). `take` is all or nothing: a
 * request that does not fit is refused at once (the caller answers 429) instead of waiting in memory.
 */
export interface ByteBudget {
  take(bytes: number): boolean;
  give(bytes: number): void;
  /** Bytes taken now. */
  used(): number;
}

export function createByteBudget(total: number): ByteBudget {
  let used = 0;
  return {
    take(bytes) {
      if (used + bytes > total) return false;
      used += bytes;
      return true;
    },
    give(bytes) {
      used = Math.max(0, used - bytes);
    },
    used: () => used,
  };
}
