const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

export type LogLevel = keyof typeof LEVELS;

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

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
  name = 'mesh-doctor',
): Logger {
  const at = (lvl: LogLevel) => (data: object, msg: string) => {
    if (LEVELS[lvl] < LEVELS[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, name, ...redaction({ msg, ...data }) })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
