import type { SlackBlock } from './blocks-types';

/** Block Kit limits the report builders stay within. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  /**
   * All text of one message together. Slack rejects messages well under 50 full sections
   * (`msg_blocks_too_long`, at about 12,000 characters); this leaves a margin.
   */
  totalText: 10_000,
} as const;

const ELLIPSIS = '…';

/** Escapes the three characters Slack's mrkdwn gives a meaning to (links, mentions, entities). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Keeps code-block content from closing its block early. */
export function codeSafe(text: string): string {
  return text.replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
}

/**
 * Cuts `text` to at most `max` characters, ending with `…` when cut. Never splits an escaped entity
 * (`&amp;`) or a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let head = text.slice(0, max - 1).replace(/&[a-z]*$/, '');
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}${ELLIPSIS}`;
}

/** The largest per-line length that lets all lines (plus newlines) fit in `budget`. */
function fairCap(lengths: readonly number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = budget - Math.max(0, sorted.length - 1);
  for (const [i, len] of sorted.entries()) {
    const remaining = sorted.length - i;
    if (len * remaining > left) return Math.max(0, Math.floor(left / remaining));
    left -= len;
  }
  return Number.POSITIVE_INFINITY;
}

/** Lines cut evenly (long lines first) so that joined with newlines they fit in `budget`. */
export function fitLines(lines: readonly string[], budget: number): { lines: string[]; cut: boolean } {
  const cap = fairCap(
    lines.map((l) => l.length),
    budget,
  );
  const clipped = lines.map((l) => clip(l, cap));
  return { lines: clipped.filter((l) => l !== ''), cut: clipped.some((l, i) => l !== lines[i]) };
}

function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) n += key === 'text' && typeof v === 'string' ? v.length : textLength(v);
  return n;
}

/** Characters of text in blocks (every `text` string), as counted against `SLACK_LIMITS.totalText`. */
export function blocksTextLength(blocks: readonly SlackBlock[]): number {
  return textLength(blocks);
}
