import type { Finding } from '../diagnosis/evidence';
import { clip, codeSafe, escapeMrkdwn, fitLines, SLACK_LIMITS } from './blocks-limits';
import type { SlackBlock } from './blocks-types';
import type { TimedItem } from './slack-time';
import { inTimeOrder, offsetText, slackDate, withUtcTimes } from './slack-time';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

const MAX_EVIDENCE = 5;
const FENCE_OPEN = '\n```\n';
const FENCE_CLOSE = '\n```';
/** Evidence with at least this many timed lines within TIMELINE_SPAN_MS reads best as a timeline. */
const TIMELINE_ITEMS = 3;
const TIMELINE_SPAN_MS = 10 * 60_000;
/** Longest evidence text on one timeline line. */
const TIMELINE_TEXT = 240;
const SOURCE_WIDTH = 6;

function more(n: number): string {
  return `_… ${n} more ${n === 1 ? 'evidence line' : 'evidence lines'} in the attached report_`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Text shown as inline code: no backtick can end it early. */
function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(oneLine(text)).replace(/`/g, 'ʼ')}\``;
}

/** Object state has no time of its own: it is what the cluster showed when read. */
const STATE = 'state when read';

/**
 * One line per item: its time as a Slack date token (each reader's time zone), the offset from the first
 * when the evidence spans under a day, the source, and the text as inline code.
 */
function listLines(items: TimedItem[]): string[] {
  const first = items.find((i) => i.ms !== null)?.ms ?? null;
  const last = [...items].reverse().find((i) => i.ms !== null)?.ms ?? null;
  const offsets = first !== null && last !== null && last - first > 0 && last - first < 86_400_000;
  return items.map(({ item, ms }) => {
    const when =
      ms === null || !item.timestamp
        ? `_${STATE}_`
        : `${slackDate(item.timestamp)}${offsets && first !== null && ms !== first ? ` (${offsetText(ms - first)})` : ''}`;
    return `• ${when} · ${item.source} · ${inlineCode(item.text)}`;
  });
}

/**
 * A timeline: the start as a date token, then one monospace line per item with its offset from the start
 * (millisecond precision), source and text; object state after it.
 */
function timelineText(items: TimedItem[], cap: number, t: Translate): { text: string; cut: boolean } {
  const timed = items.filter((i) => i.ms !== null);
  const start = timed[0];
  const head = t('slack.timeline', { start: start?.item.timestamp ? slackDate(start.item.timestamp) : '?' });
  const lines = timed.map(({ item, ms }) => {
    const offset = offsetText((ms as number) - (start?.ms as number)).padEnd(12);
    // Log lines stay as logged; times in the words of events and objects read shorter in UTC.
    const words = item.source === 'log' ? item.text : withUtcTimes(item.text);
    return codeSafe(
      escapeMrkdwn(`${offset}${item.source.padEnd(SOURCE_WIDTH)} ${clip(oneLine(words), TIMELINE_TEXT)}`),
    );
  });
  const states = items.filter((i) => i.ms === null).map(({ item }) => `• _${STATE}_ · ${inlineCode(item.text)}`);
  const statesText = states.length > 0 ? `\n${states.join('\n')}` : '';
  const room = cap - head.length - FENCE_OPEN.length - FENCE_CLOSE.length - statesText.length;
  const fitted = fitLines(lines, Math.max(room, Math.floor(cap / 2)));
  const text = `${head}${FENCE_OPEN}${fitted.lines.join('\n')}${FENCE_CLOSE}${statesText}`;
  return { text: clip(text, cap), cut: fitted.cut || text.length > cap };
}

/** Whether a finding's evidence tells a story in time: enough timed lines within a few minutes. */
export function readsAsTimeline(items: TimedItem[]): boolean {
  const times = items.flatMap((i) => (i.ms === null ? [] : [i.ms]));
  if (times.length < TIMELINE_ITEMS) return false;
  return (times[times.length - 1] as number) - (times[0] as number) <= TIMELINE_SPAN_MS;
}

/**
 * A finding's evidence as blocks (none when it has none), in time order, each section at most `cap`
 * characters, and whether something was left out. Times are Slack date tokens with the UTC time as
 * fallback (tokens do not render in code blocks, so log text is inline code); evidence that unfolds
 * within minutes is a timeline of offsets instead. Input text must already be redacted.
 */
export function evidenceBlocks(
  f: Finding,
  blockId: string,
  cap: number,
  t: Translate = EN,
): { blocks: SlackBlock[]; cut: boolean } {
  if (f.evidence.length === 0) return { blocks: [], cut: false };
  const items = inTimeOrder(f.evidence).slice(0, MAX_EVIDENCE);
  const hidden = f.evidence.length - items.length;
  const tail = hidden > 0 ? `\n${more(hidden)}` : '';
  let text: string;
  let cut = hidden > 0;
  if (readsAsTimeline(items)) {
    const timeline = timelineText(items, cap - tail.length, t);
    text = `${timeline.text}${tail}`;
    cut ||= timeline.cut;
  } else {
    const head = `${t('slack.evidence')}\n`;
    const fitted = fitLines(listLines(items), cap - head.length - tail.length);
    text = `${head}${fitted.lines.join('\n')}${tail}`;
    cut ||= fitted.cut;
  }
  return {
    blocks: [
      { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) } },
    ],
    cut,
  };
}
