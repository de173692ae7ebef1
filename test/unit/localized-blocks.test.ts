import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../src/i18n/languages';
import { buildReportBlocks } from '../../src/report/blocks';
import { SLACK_LIMITS } from '../../src/report/blocks-limits';
import type { SlackBlock } from '../../src/report/blocks-types';
import { diagnoseDir } from '../helpers/diagnose-dir';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** Every text of a message, with the limit Slack puts on it. */
type Limited = { text: string; limit: number; where: string };

function texts(blocks: SlackBlock[]): Limited[] {
  return blocks.flatMap((b, i): Limited[] => {
    const where = `${b.type}#${i}`;
    if (b.type === 'header') return [{ text: b.text.text, limit: SLACK_LIMITS.headerText, where }];
    if (b.type === 'section') return [{ text: b.text.text, limit: SLACK_LIMITS.sectionText, where }];
    if (b.type === 'context') return b.elements.map((e) => ({ text: e.text, limit: SLACK_LIMITS.sectionText, where }));
    if (b.type === 'actions')
      return b.elements.map((e) => ({ text: e.text.text, limit: SLACK_LIMITS.buttonText, where }));
    return [];
  });
}

describe('Slack limits in every language', () => {
  // Each example's report, in each language: the longest language must fit as English does.
  it.each(readdirSync(EXAMPLES).sort())('%s', async (example) => {
    for (const language of LANGUAGES) {
      const report = await diagnoseDir(join(EXAMPLES, example), undefined, language);
      const { blocks, text } = buildReportBlocks(report, { requestedBy: 'U0SRE', approvalsEnabled: true });
      const over = texts(blocks).filter((t) => [...t.text].length > t.limit);

      expect({ language, blocks: blocks.length <= SLACK_LIMITS.blocks, over }).toEqual({
        language,
        blocks: true,
        over: [],
      });
      expect(texts(blocks).reduce((n, t) => n + t.text.length, 0)).toBeLessThanOrEqual(SLACK_LIMITS.totalText);
      expect(text.length).toBeGreaterThan(0);
    }
  });
});
