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

const DAY_MS = 86_400_000;

/**
 * A duration as people say it, short and unambiguous: 850 ms, 7.8 s, 42 s, 4 min 10 s, 3 h 05 min,
 * 10 min, 3 days 4 h, 5 months, 2.6 years (a negative span reads as its length).
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 10_000) return `${(abs / 1000).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${String(m % 60).padStart(2, '0')} min`;
  const days = Math.floor(abs / DAY_MS);
  if (days < 60) return `${days} days ${Math.floor((abs % DAY_MS) / 3_600_000)} h`;
  if (days < 730) return `${Math.round(days / 30.44)} months`;
  return `${(days / 365.25).toFixed(1)} years`;
}
