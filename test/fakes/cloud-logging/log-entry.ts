/**
 * A Cloud Logging `LogEntry` as the REST API carries it (proto3 JSON). Only the fields the fake looks at
 * are typed; anything else is kept and returned as it is.
 */
export interface LogEntry {
  logName?: string;
  resource?: { type?: string; labels?: Record<string, string> };
  timestamp?: string;
  receiveTimestamp?: string;
  severity?: string | number;
  insertId?: string;
  labels?: Record<string, string>;
  textPayload?: string;
  jsonPayload?: Record<string, unknown>;
  protoPayload?: Record<string, unknown>;
  httpRequest?: Record<string, unknown>;
  [field: string]: unknown;
}

/** `LogSeverity` names and their numeric values, in order. */
export const SEVERITY_LEVELS: ReadonlyMap<string, number> = new Map([
  ['DEFAULT', 0],
  ['DEBUG', 100],
  ['INFO', 200],
  ['NOTICE', 300],
  ['WARNING', 400],
  ['ERROR', 500],
  ['CRITICAL', 600],
  ['ALERT', 700],
  ['EMERGENCY', 800],
]);

/** The numeric level of a severity given by name (any case) or number; null when it is neither. */
export function severityLevel(value: unknown): number | null {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  return SEVERITY_LEVELS.get(value.toUpperCase()) ?? null;
}

/** Already UTC with a plausible date and time: only the fraction needs padding. */
const UTC_TIME =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)(?:\.(\d{1,9}))?Z$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A timestamp rewritten as `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` in UTC, so that comparing two of them as
 * strings compares the times to the nanosecond. Null when the value is not a time.
 */
export function canonicalTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const utc = UTC_TIME.exec(value);
  if (utc) return `${utc[1] ?? ''}.${(utc[2] ?? '').padEnd(9, '0')}Z`;
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const local = new Date(ms);
  if (local.getUTCMonth() !== Number(mo) - 1 || local.getUTCDate() !== Number(d) || Number(h) > 23) return null;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCFullYear() > 9999 || date.getUTCFullYear() < 0) return null;
  return `${date.toISOString().slice(0, 19)}.${fraction.padEnd(9, '0')}Z`;
}
