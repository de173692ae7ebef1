import type { Finding } from '../diagnosis/evidence';
import { clip, codeSafe, escapeMrkdwn, fitLines, SLACK_LIMITS } from './blocks-limits';
import type { SlackBlock } from './blocks-types';

const MAX_EVIDENCE = 5;
const FENCE_OPEN = '\n```\n';
const FENCE_CLOSE = '\n```';

function more(n: number): string {
  return `_… ${n} more ${n === 1 ? 'evidence line' : 'evidence lines'} in the attached report_`;
}

/**
 * A finding's evidence as blocks (none when it has none), each section at most `cap` characters, and
 * whether something was left out. Input text must already be redacted.
 */
export function evidenceBlocks(f: Finding, blockId: string, cap: number): { blocks: SlackBlock[]; cut: boolean } {
  if (f.evidence.length === 0) return { blocks: [], cut: false };
  const lines = f.evidence
    .slice(0, MAX_EVIDENCE)
    .map((e) =>
      codeSafe(escapeMrkdwn(`${e.timestamp ?? '(no time)'} [${e.source}] ${e.text}`.replace(/\s*\n\s*/g, ' '))),
    );
  const hidden = f.evidence.length - lines.length;
  const tail = hidden > 0 ? `\n${more(hidden)}` : '';
  const head = '*Evidence*';
  const fitted = fitLines(lines, cap - head.length - FENCE_OPEN.length - FENCE_CLOSE.length - tail.length);
  const text = `${head}${FENCE_OPEN}${fitted.lines.join('\n')}${FENCE_CLOSE}${tail}`;
  return {
    blocks: [
      { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) } },
    ],
    cut: hidden > 0 || fitted.cut,
  };
}
