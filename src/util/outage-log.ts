import { errorMessage } from './errors';
import type { Logger } from './logger';

/** Errors that say the connection is gone (refused, reset, timed out, closed), as ioredis and BullMQ word them. */
const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE|Connection is closed|connect ETIMEDOUT|Stream isn't writeable|socket closed|LOADING/i;

export interface OutageLog {
  /** An error from a client of the connection: the first of an outage is logged, the rest counted. */
  error(err: unknown): void;
  /** The connection answers again: one line with how long it was down and how many errors it took. */
  ready(): void;
  /** Whether an outage is under way. */
  readonly down: boolean;
  /**
   * `log` with its error lines about the connection (by their `err` field) sent here instead: hand it to
   * the clients (queues, workers) whose every retry would otherwise log an error.
   */
  quiet(log: Logger): Logger;
}

/**
 * Logs a connection's outage (Redis, for the bot and the worker) as two lines instead of an error every few
 * seconds from every client while it lasts: one when it is lost, one when it is back with the count of
 * errors in between. Errors that are not about the connection are logged as they come. `onError` counts
 * every error (a metric).
 */
function isConnectionError(message: string): boolean {
  return CONNECTION_ERROR.test(message);
}

export function outageLog(
  log: Pick<Logger, 'error' | 'warn' | 'info'>,
  what: string,
  onError: () => void = () => undefined,
  now: () => number = Date.now,
): OutageLog {
  let outage: { since: number; errors: number } | null = null;
  const self: OutageLog = {
    error(err) {
      onError();
      const message = errorMessage(err);
      if (outage) {
        outage.errors++;
        return;
      }
      if (!isConnectionError(message)) {
        log.error({ connection: what, err: message }, `${what} error`);
        return;
      }
      outage = { since: now(), errors: 1 };
      log.error({ connection: what, err: message }, `${what} unreachable; retrying quietly until it answers`);
    },
    ready() {
      if (!outage) return;
      const { since, errors } = outage;
      outage = null;
      log.warn({ connection: what, errors, downMs: now() - since }, `${what} reachable again`);
    },
    get down() {
      return outage !== null;
    },
    quiet(log) {
      const error = (data: object, msg: string) => {
        const err = (data as { err?: unknown }).err;
        if (outage || (typeof err === 'string' && isConnectionError(err))) self.error(err);
        else log.error(data, msg);
      };
      return {
        debug: (data, msg) => log.debug(data, msg),
        info: (data, msg) => log.info(data, msg),
        warn: (data, msg) => log.warn(data, msg),
        error,
      };
    },
  };
  return self;
}
