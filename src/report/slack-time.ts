import type { EvidenceItem } from '../diagnosis/evidence';
import { toMs } from '../util/time';

/** Slack's date token formats used here (rendered in each reader's own time zone). */
export const SLACK_DATE_FORMATS = {
  /** `May 14th, 2024 09:11:52` (or `Today 09:11:52`). */
  dateTime: '{date_short_pretty} {time_secs}',
  /** `May 14th, 2024 at 09:11`. */
  dateMinutes: '{date_short_pretty} at {time}',
} as const;

/** A UTC time as every reader can read it when the token does not render: `2024-05-14 09:11:52 UTC`. */
export function utcText(ms: number, precision: 'seconds' | 'ms' = 'seconds'): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, precision === 'ms' ? 23 : 19)} UTC`;
}

/**
 * An RFC 3339 time as a Slack date token (`<!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14
 * 09:11:52 UTC>`), shown in each reader's time zone, with the UTC text as fallback; an unreadable time as
 * it is, without the characters that would break the token.
 */
export function slackDate(iso: string, format: string = SLACK_DATE_FORMATS.dateTime): string {
  const ms = toMs(iso);
  if (ms === null) return iso.replace(/[<>|^]/g, '');
  return `<!date^${Math.floor(ms / 1000)}^${format}|${utcText(ms)}>`;
}

/** An RFC 3339 time inside prose (any fraction, Z or an offset). */
const RFC3339 = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * Prose with every RFC 3339 time turned into a Slack date token (the reader's time zone), whose fallback
 * keeps milliseconds when the time had a fraction: `at 2024-05-14T09:11:52.710142951Z` reads `at May 14th,
 * 2024 09:11:52` in Slack, `2024-05-14 09:11:52.710 UTC` where tokens do not render.
 */
export function withSlackDates(text: string): string {
  return text.replace(RFC3339, (iso) => {
    const ms = toMs(iso);
    if (ms === null) return iso;
    const precision = /\.\d/.test(iso) ? 'ms' : 'seconds';
    return `<!date^${Math.floor(ms / 1000)}^${SLACK_DATE_FORMATS.dateTime}|${utcText(ms, precision)}>`;
  });
}

/** Prose with every RFC 3339 time in UTC to the millisecond at most (`2024-05-14 09:11:52.710 UTC`). */
export function withUtcTimes(text: string): string {
  return text.replace(RFC3339, (iso) => {
    const ms = toMs(iso);
    return ms === null ? iso : utcText(ms, /\.\d/.test(iso) ? 'ms' : 'seconds');
  });
}

/** An offset from an earlier moment, at most to the millisecond: `+0.710 s`, `+12.4 s`, `+2 min 03 s`, `+1 h 05 min`. */
export function offsetText(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(3)} s`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${sign}${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** An evidence item with its time read, and its place in the finding (to keep ties in order). */
export interface TimedItem {
  item: EvidenceItem;
  ms: number | null;
}

/**
 * Evidence in time order: timed items by time (a stable sort: items with equal times keep their order),
 * then those with no time (object state), in their order.
 */
export function inTimeOrder(evidence: readonly EvidenceItem[]): TimedItem[] {
  const read = evidence.map((item) => ({ item, ms: item.timestamp ? toMs(item.timestamp) : null }));
  const timed = read.filter((r) => r.ms !== null).sort((a, b) => (a.ms as number) - (b.ms as number));
  return [...timed, ...read.filter((r) => r.ms === null)];
}
