import type { Proposal, ProposalStep } from '../remediation/proposal';
import { stepsOf } from '../remediation/proposal';
import { codeSafe, clip, escapeMrkdwn, SLACK_LIMITS } from './blocks-limits';
import { refText } from './blocks-finding';
import { mention } from './blocks-summary';
import { button, confirmText } from './blocks-buttons';
import { kubectlPatchCommand, patchSummary } from './patch-summary';
import { slackDate } from './slack-time';
import type { ActionsBlock, SectionBlock, SlackBlock } from './blocks-types';
import { PATCH_ACTIONS, PROPOSAL_ACTIONS } from './blocks-types';
import { redactDeep } from './redact';

const FENCE = '```';

/** The block ids of proposal messages start with this (report messages' blocks do not). */
export const PROPOSAL_BLOCK_PREFIX = 'proposal-';

const STATE_LINE: Record<Proposal['state'], (p: Proposal) => string> = {
  proposed: (p) => `:hourglass_flowing_sand: Waiting for an approver until ${slackDate(p.expiresAt)}.`,
  approved: (p) =>
    `:white_check_mark: Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ? slackDate(p.approvedAt) : '?'}; applying…`,
  applying: (p) =>
    `:gear: Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ? slackDate(p.approvedAt) : '?'}; applying…`,
  applied: (p) =>
    `:white_check_mark: Applied. Approved by ${mention(p.approvedBy ?? '?')} at ${p.approvedAt ? slackDate(p.approvedAt) : '?'}.`,
  failed: () => ':x: Not applied.',
  rejected: (p) => `:no_entry_sign: Rejected by ${mention(p.rejectedBy ?? '?')}.`,
  expired: () => ':alarm_clock: Expired without a decision; nothing was applied.',
  'rolling-back': (p) =>
    `:rewind: Rollback requested by ${mention(p.rolledBackBy ?? '?')}; restoring the previous values…`,
  'rolled-back': (p) => `:rewind: Rolled back by ${mention(p.rolledBackBy ?? '?')}; the previous values are restored.`,
};

/** `Deployment shop/cart`, or `Namespace shop, then Deployment shop/cart` for a fix of several steps. */
export function targetsOf(p: Pick<Proposal, 'patch' | 'resourceVersion' | 'laterSteps'>): string {
  return stepsOf(p)
    .map((s) => refText(s.patch.target))
    .join(', then ');
}

function actions(p: Proposal): ActionsBlock | null {
  const where = targetsOf(p);
  const count = stepsOf(p).length;
  const what = count === 1 ? `Patches ${where}.` : `Applies ${count} steps in order: ${where}.`;
  const elements =
    p.state === 'proposed'
      ? [
          button('Approve', PATCH_ACTIONS.approve, p.id, 'primary', {
            title: 'Apply this fix?',
            text: confirmText(`${what} A dry run comes first; nothing is written if it fails.`, p.risk),
            confirm: 'Apply',
            style: 'primary',
          }),
          button('Reject', PATCH_ACTIONS.reject, p.id, 'danger', {
            title: 'Reject this fix?',
            text: `Nothing is applied to ${clip(where, 200)}, and the proposal closes for good.`,
            confirm: 'Reject',
            style: 'danger',
          }),
        ]
      : p.state === 'applied'
        ? [
            button('Roll back', PROPOSAL_ACTIONS.rollback, p.id, 'danger', {
              title: 'Roll back this fix?',
              text: confirmText(
                `Restores the previous values of ${where}${count > 1 ? ', last step first' : ''}. Pods restart again where the pod template changes.`,
                p.risk,
              ),
              confirm: 'Roll back',
              style: 'danger',
            }),
          ]
        : p.state === 'failed'
          ? [button('Re-diagnose', PROPOSAL_ACTIONS.rediagnose, p.id)]
          : [];
  return elements.length > 0 ? { type: 'actions', block_id: `${PROPOSAL_BLOCK_PREFIX}${p.state}`, elements } : null;
}

/** Shown steps at most; the rest are named in a line (a fix has a handful of steps). */
const MAX_STEPS = 8;

/**
 * One step: what it changes in one line, the kubectl command that does the same by hand, and the patch as
 * JSON (shown here only: the report shows the line and the command).
 */
function stepSection(step: ProposalStep, i: number, count: number): SectionBlock {
  const creating = step.resourceVersion === null;
  const line = step.summary ?? patchSummary(step.patch, creating ? null : undefined);
  const head = `${count > 1 ? `*${i + 1}.* ` : ''}${escapeMrkdwn(line)}`;
  const command = codeSafe(escapeMrkdwn(kubectlPatchCommand(step.patch, { create: creating })));
  const patch = codeSafe(escapeMrkdwn(JSON.stringify(step.patch.patch, null, 2) ?? 'null'));
  const fences = 4 * FENCE.length + 6;
  const commandRoom = Math.floor((SLACK_LIMITS.sectionText - head.length - fences) / 2);
  const shownCommand = clip(command, commandRoom);
  const room = SLACK_LIMITS.sectionText - head.length - fences - shownCommand.length;
  return {
    type: 'section',
    block_id: `${PROPOSAL_BLOCK_PREFIX}step-${i}`,
    text: {
      type: 'mrkdwn',
      text: `${head}\n${FENCE}${shownCommand}${FENCE}\n${FENCE}${clip(patch, room)}${FENCE}`,
    },
  };
}

/**
 * The proposal message: what would change (each step, in order), who asked, where it stands, the
 * runbook's risk beside the buttons for its state, each button asking for confirmation with the targets
 * and the risk. Everything shown is redacted first (a patched annotation or an API server's answer may
 * hold a secret); the buttons carry the proposal id as stored.
 */
export function buildProposalBlocks(proposal: Proposal): { text: string; blocks: SlackBlock[] } {
  const p = { ...redactDeep(proposal), id: proposal.id };
  const steps = stepsOf(p);
  const order = steps.length > 1 ? `${steps.length} steps, applied in order and rolled back in reverse` : '1 step';
  const head = `*Proposed fix* for _${escapeMrkdwn(p.title)}_ (\`${p.runbook}\`): ${order}`;
  const result = p.result ? `\n${escapeMrkdwn(clip(p.result, 1_000))}` : '';
  const shown = steps.slice(0, MAX_STEPS);
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      block_id: 'proposal-patch',
      text: { type: 'mrkdwn', text: clip(head, SLACK_LIMITS.sectionText) },
    },
    ...shown.map((step, i) => stepSection(step, i, steps.length)),
  ];
  if (steps.length > shown.length) {
    const rest = steps.slice(MAX_STEPS).map((s) => refText(s.patch.target));
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`… and ${rest.length} more: ${escapeMrkdwn(rest.join(', '))}`, 2_000) }],
    });
  }
  if (p.risk && (p.state === 'proposed' || p.state === 'applied')) {
    blocks.push({
      type: 'section',
      block_id: 'proposal-risk',
      text: { type: 'mrkdwn', text: clip(`:warning: *Risk:* ${escapeMrkdwn(p.risk)}`, SLACK_LIMITS.sectionText) },
    });
  }
  blocks.push(
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
  );
  const a = actions(p);
  if (a) blocks.push(a);
  return { text: `Proposed fix (${p.state}): ${targetsOf(p)}`, blocks };
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
