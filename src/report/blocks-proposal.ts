import type { Proposal } from '../remediation/proposal';
import { codeSafe, clip, escapeMrkdwn, SLACK_LIMITS } from './blocks-limits';
import { refText } from './blocks-finding';
import { mention } from './blocks-summary';
import type { ActionsBlock, ButtonElement, SlackBlock } from './blocks-types';
import { PATCH_ACTIONS, PROPOSAL_ACTIONS } from './blocks-types';
import { redactDeep } from './redact';

const FENCE = '```';

/** The block ids of proposal messages start with this (report messages' blocks do not). */
export const PROPOSAL_BLOCK_PREFIX = 'proposal-';

const STATE_LINE: Record<Proposal['state'], (p: Proposal) => string> = {
  proposed: (p) => `:hourglass_flowing_sand: Waiting for an approver until ${p.expiresAt}.`,
  approved: (p) =>
    `:white_check_mark: Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ?? '?'}; applying…`,
  applying: (p) => `:gear: Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ?? '?'}; applying…`,
  applied: (p) => `:white_check_mark: Applied. Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ?? '?'}.`,
  failed: () => ':x: Not applied.',
  rejected: (p) => `:no_entry_sign: Rejected by ${mention(p.rejectedBy ?? '?')}.`,
  expired: () => ':alarm_clock: Expired without a decision; nothing was applied.',
  'rolling-back': (p) =>
    `:rewind: Rollback requested by ${mention(p.rolledBackBy ?? '?')}; restoring the previous values…`,
  'rolled-back': (p) => `:rewind: Rolled back by ${mention(p.rolledBackBy ?? '?')}; the previous values are restored.`,
};

function button(label: string, actionId: string, value: string, style?: 'primary' | 'danger'): ButtonElement {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function actions(p: Proposal): ActionsBlock | null {
  const elements =
    p.state === 'proposed'
      ? [
          button('Approve', PATCH_ACTIONS.approve, p.id, 'primary'),
          button('Reject', PATCH_ACTIONS.reject, p.id, 'danger'),
        ]
      : p.state === 'applied'
        ? [button('Roll back', PROPOSAL_ACTIONS.rollback, p.id, 'danger')]
        : p.state === 'failed'
          ? [button('Re-diagnose', PROPOSAL_ACTIONS.rediagnose, p.id)]
          : [];
  return elements.length > 0 ? { type: 'actions', block_id: `${PROPOSAL_BLOCK_PREFIX}${p.state}`, elements } : null;
}

/**
 * The proposal message: what would change, who asked, where it stands, and the buttons for its state.
 * Everything shown is redacted first (a patched annotation or an API server's answer may hold a secret);
 * the buttons carry the proposal id as stored.
 */
export function buildProposalBlocks(proposal: Proposal): { text: string; blocks: SlackBlock[] } {
  const p = { ...redactDeep(proposal), id: proposal.id };
  const patch = codeSafe(escapeMrkdwn(JSON.stringify(p.patch.patch, null, 2) ?? 'null'));
  const head = `*Proposed fix* for _${escapeMrkdwn(p.title)}_ (\`${p.runbook}\`): ${p.resourceVersion === null ? 'create' : `${p.patch.type} patch of`} ${escapeMrkdwn(refText(p.patch.target))}`;
  const room = SLACK_LIMITS.sectionText - head.length - 2 * FENCE.length - 2;
  const result = p.result ? `\n${escapeMrkdwn(clip(p.result, 1_000))}` : '';
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      block_id: 'proposal-patch',
      text: { type: 'mrkdwn', text: `${head}\n${FENCE}${clip(patch, room)}${FENCE}` },
    },
    {
      type: 'section',
      block_id: 'proposal-state',
      text: { type: 'mrkdwn', text: clip(`${STATE_LINE[p.state](p)}${result}`, SLACK_LIMITS.sectionText) },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Proposed from ${mention(p.requester)}'s diagnosis · proposal \`${p.id.slice(0, 8)}\``,
        },
      ],
    },
  ];
  const a = actions(p);
  if (a) blocks.push(a);
  return { text: `Proposed fix (${p.state}): ${refText(p.patch.target)}`, blocks };
}

/** What a click on a proposal whose record is gone is told, and what its message then says. */
export const PROPOSAL_GONE = 'This proposal is no longer stored (expired or lost); run the diagnosis again.';

/** A proposal message whose record is no longer stored (expired or lost): the reason, and no buttons. */
export function buildGoneProposalBlocks(id: string): { text: string; blocks: SlackBlock[] } {
  return {
    text: `Proposed fix: ${PROPOSAL_GONE}`,
    blocks: [
      {
        type: 'section',
        block_id: `${PROPOSAL_BLOCK_PREFIX}gone`,
        text: { type: 'mrkdwn', text: `:ghost: *Proposed fix*: ${PROPOSAL_GONE}` },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `proposal \`${escapeMrkdwn(id.slice(0, 8))}\`` }] },
    ],
  };
}
