import type { RunbookEntry } from '../runbooks/schema';
import { runbookText } from '../runbooks/catalog';
import { clip } from './blocks-limits';
import type { SlackBlock } from './blocks-types';

/** All markdown blocks of one message together (Slack's limit). */
export const MARKDOWN_LIMIT = 12_000;
const FALLBACK_TEXT = 300;

/** A fenced code block whose content cannot close it early. */
function fenced(command: string): string {
  return ['```', command.replace(/`{3,}/g, (run) => run.split('').join('\u200b')), '```'].join('\n');
}

/**
 * A whole runbook in standard Markdown: what it is, why it happens, how to confirm it (each command in a
 * code block), what to do, the fix mesh-doctor can apply and its risk, and where it comes from.
 */
export function runbookMarkdown(entry: RunbookEntry, lang = 'en'): string {
  const t = runbookText(entry, lang);
  const parts = [
    `## ${t.title}`,
    `\`${entry.id}\` · ${entry.severity}`,
    t.summary,
    `**Why it happens.** ${t.cause}`,
    `**What people see**\n${t.symptoms.map((s) => `- ${s}`).join('\n')}`,
    `**How to confirm**\n${t.confirm.map((c, i) => `${i + 1}. ${c.description}\n${fenced(c.command)}`).join('\n')}`,
    `**What to do**\n${t.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
    ...(entry.patch
      ? [
          `**Fix mesh-doctor can propose** (\`${entry.patch.template}\`, applied only after approval). Risk: ${entry.patch.risk}`,
        ]
      : []),
    `**Sources**\n${entry.sources.map((s) => `- ${s}`).join('\n')}`,
  ];
  return parts.join('\n\n');
}

/**
 * A runbook as one Slack message: a `markdown` block (long runbook text reads better as Markdown than
 * in 3,000-character sections), within its 12,000-character limit, and the title and summary as the
 * plain-text fallback that notifications and older clients show.
 */
export function buildRunbookBlocks(entry: RunbookEntry, lang = 'en'): { text: string; blocks: SlackBlock[] } {
  const t = runbookText(entry, lang);
  const markdown = runbookMarkdown(entry, lang);
  const cut = `\n\n… (cut here: the whole runbook is runbooks/${entry.id}.yaml)`;
  const text = markdown.length <= MARKDOWN_LIMIT ? markdown : `${clip(markdown, MARKDOWN_LIMIT - cut.length)}${cut}`;
  return {
    text: clip(`${t.title} (${entry.id}): ${t.summary}`, FALLBACK_TEXT),
    blocks: [{ type: 'markdown', block_id: 'runbook', text }],
  };
}
