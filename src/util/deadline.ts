import { MeshError } from './errors';

/** Redis calls made while a person or a sender waits get this long; then they are answered "unavailable". */
export const REDIS_DEADLINE_MS = 3_000;

/** A call that did not settle in time. The call itself is not cancelled: its late result is dropped. */
export class DeadlineExceeded extends MeshError {
  constructor(what: string, ms: number) {
    super('TIMEOUT', `${what} did not answer within ${ms} ms`);
  }
}

export const isDeadlineExceeded = (err: unknown): err is DeadlineExceeded => err instanceof DeadlineExceeded;

/** `work`, or a DeadlineExceeded rejection after `ms`; a late rejection of `work` is swallowed. */
export function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
