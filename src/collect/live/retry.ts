import { MeshError } from '../../util/errors';

/** How an operation is retried. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Per-attempt time limit. */
  timeoutMs: number;
  /** Told of every attempt: how it ended and how long it took (metrics, call counts). */
  observe?: (outcome: CallOutcome, ms: number) => void;
}

/** How one attempt of a call ended. */
export type CallOutcome = 'ok' | 'error' | 'timeout';

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 8_000, timeoutMs: 20_000 };

/** What the caller says about a failure: retry (optionally after a server-given delay) or give up. */
export type FailureVerdict = { retry: false } | { retry: true; afterMs?: number };

export class TimeoutError extends MeshError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs an operation with a per-attempt timeout, retrying transient failures with exponential backoff and
 * jitter, or after the delay the server asked for (Retry-After). The last error is rethrown.
 */
export async function withRetry<T>(
  what: string,
  operation: () => Promise<T>,
  judge: (err: unknown) => FailureVerdict,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const result = await withTimeout(operation(), policy.timeoutMs, what);
      policy.observe?.('ok', performance.now() - started);
      return result;
    } catch (err) {
      policy.observe?.(err instanceof TimeoutError ? 'timeout' : 'error', performance.now() - started);
      const verdict = err instanceof TimeoutError ? { retry: true as const } : judge(err);
      if (!verdict.retry || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      await sleep(Math.min(policy.maxMs, verdict.afterMs ?? backoff));
    }
  }
}

/** Runs async work with at most `limit` operations in flight. */
export function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      next();
    }
  };
}
