import type { DestinationStream, LoggerOptions } from 'pino';
import pino from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured logging: a static message, its data in an object, one JSON line each. */
export interface Logger {
  debug(data: object, msg: string): void;
  info(data: object, msg: string): void;
  warn(data: object, msg: string): void;
  error(data: object, msg: string): void;
}

/** Rewrites a log record (its message and every string of its data) before it is written. */
export type LogRedaction = (record: Record<string, unknown>) => Record<string, unknown>;

let redaction: LogRedaction = (record) => record;

/**
 * Sets how every logger redacts its records. The report layer's redaction (`src/report/redact.ts`)
 * installs itself here when loaded: this layer may not import it.
 */
export function useLogRedaction(redact: LogRedaction): void {
  redaction = redact;
}

/**
 * Cloud Logging's severities (LogSeverity) by level: GKE's logging agent reads `severity`, `message` and
 * `time` from a JSON line on stdout, and keeps every other field as the entry's jsonPayload.
 */
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** pino's options for lines the GKE logging agent and Cloud Logging understand without a parser. */
export function cloudLoggingOptions(level: LogLevel, name: string): LoggerOptions {
  return {
    level,
    base: { logger: name },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT' }),
    },
    hooks: {
      // Every record passes through the redaction, its message included (pino's own redaction sees paths only).
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        const data = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
        const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
        const { message, ...rest } = redaction({ message: msg, ...data });
        method.apply(this, [rest, String(message ?? '')]);
      },
    },
  };
}

/**
 * A logger writing one JSON line per record to stdout (or `write`, for tests) with Cloud Logging's field
 * names: `severity` (INFO, WARNING, ERROR…), `time` (RFC 3339), `message`, then the record's data.
 */
export function createLogger(level: LogLevel = 'info', write?: (line: string) => void, name = 'mesh-doctor'): Logger {
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 1, sync: true });
  return pino(cloudLoggingOptions(level, name), destination);
}
