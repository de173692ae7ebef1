import { buildGoneProposalBlocks, buildProposalBlocks } from '../../src/report/blocks-proposal';
import { ID, spec } from '../helpers/memory-remediation';

const SECRET = 'hunter2-s3cr3t-value';

const buttonsOf = (blocks: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

describe('the proposal message', () => {
  it('never shows a secret held in a patched annotation or in a result, and its buttons keep the proposal id', () => {
    const proposal = spec();
    proposal.patch.patch = {
      spec: { template: { metadata: { annotations: { 'example.com/db': `{"password":"${SECRET}"}` } } } },
    };

    const message = buildProposalBlocks({
      ...proposal,
      state: 'proposed',
      result: `dry run refused by the API server: token=${SECRET}`,
    });

    expect(JSON.stringify(message)).not.toContain(SECRET);
    expect(JSON.stringify(message)).toContain('[REDACTED]');
    expect(buttonsOf(message.blocks as never).map((b) => b.value)).toEqual([ID, ID]);
  });

  it('a proposal no longer stored is drawn with the reason and without buttons', () => {
    const message = buildGoneProposalBlocks(ID);

    expect(message.text).toBe(
      'Proposed fix: This proposal is no longer stored (expired or lost); run the diagnosis again.',
    );
    expect(JSON.stringify(message.blocks)).toContain('This proposal is no longer stored (expired or lost)');
    expect(buttonsOf(message.blocks as never)).toEqual([]);
  });
});
