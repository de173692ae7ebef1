import { buildRunbookBlocks, MARKDOWN_LIMIT, runbookMarkdown } from '../../src/report/blocks-runbook';
import type { RunbookEntry } from '../../src/runbooks/schema';
import { catalog } from '../helpers/diagnose-dir';

const entries = [...catalog.entries.values()];

describe('a runbook as a Slack message', () => {
  it.each(entries.map((e) => [e.id, e] as const))(
    '%s: one markdown block within the limit, with a plain fallback',
    (_id, entry) => {
      const message = buildRunbookBlocks(entry);
      expect(message.blocks).toHaveLength(1);
      const [block] = message.blocks;
      expect(block?.type).toBe('markdown');
      const text = block?.type === 'markdown' ? block.text : '';
      expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
      expect(text).not.toContain('cut here');
      // Every confirming command is in a code block; every step is numbered.
      const t = entry.text.en;
      for (const c of t?.confirm ?? []) expect(text).toContain(`\`\`\`\n${c.command}\n\`\`\``);
      expect(text).toContain(`1. ${t?.steps?.[0] ?? ''}`);
      if (entry.patch) expect(text).toContain(`Risk: ${entry.patch.risk}`);
      expect(message.text.length).toBeLessThanOrEqual(300);
      expect(message.text).toContain(entry.id);
    },
  );

  it('cuts a runbook longer than the limit, saying where the whole one is', () => {
    const [first] = entries;
    if (!first) throw new Error('empty catalog');
    const long: RunbookEntry = {
      ...first,
      text: { en: { ...first.text.en, cause: 'x'.repeat(20_000) } },
    } as RunbookEntry;
    const [block] = buildRunbookBlocks(long).blocks;
    const text = block?.type === 'markdown' ? block.text : '';
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(text).toContain(`cut here: the whole runbook is runbooks/${first.id}.yaml`);
  });

  it('keeps a command containing a code fence inside its code block', () => {
    const [first] = entries;
    if (!first?.text.en?.confirm) throw new Error('empty catalog');
    const entry = {
      ...first,
      text: { en: { ...first.text.en, confirm: [{ description: 'Print it', command: 'echo ```oops```' }] } },
    } as RunbookEntry;
    const text = runbookMarkdown(entry);
    const fences = text.match(/^```$/gm) ?? [];
    expect(fences).toHaveLength(2);
  });
});
