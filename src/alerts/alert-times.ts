interface Instant {
  text: string;
  ms: number;
}

/** Times that parse; Go's zero time (0001-01-01T00:00:00Z, Alertmanager's "unset") is dropped. */
function instants(values: readonly (string | null | undefined)[]): Instant[] {
  return values.flatMap((text) => {
    if (typeof text !== 'string' || text.startsWith('0001-')) return [];
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? [] : [{ text, ms }];
  });
}

/** The earliest of the given RFC 3339 times, as written, or null if none parses. */
export function earliestTime(values: readonly (string | null | undefined)[]): string | null {
  const sorted = instants(values).sort((a, b) => a.ms - b.ms);
  return sorted[0]?.text ?? null;
}

/** The latest of the given RFC 3339 times, as written, or null if none parses. */
export function latestTime(values: readonly (string | null | undefined)[]): string | null {
  const sorted = instants(values).sort((a, b) => b.ms - a.ms);
  return sorted[0]?.text ?? null;
}

/** Cloud Monitoring times are Unix seconds; a string is kept if it parses. 0, null and junk give null. */
export function epochTime(value: number | string | null | undefined): string | null {
  if (typeof value === 'string') return earliestTime([value]);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
