/** Milliseconds since the epoch for an RFC 3339 timestamp (any fraction length), or null. */
export function toMs(value: unknown): number | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The RFC 3339 form of an epoch time in milliseconds. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A short human duration: 850ms, 12s, 4m10s, 3h05m. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
