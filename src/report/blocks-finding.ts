import type { Finding, ObjectRef, PatchProposal, Severity } from '../diagnosis/evidence';
import { clip, codeSafe, escapeMrkdwn, fitLines, SLACK_LIMITS } from './blocks-limits';
import type { ActionsBlock, ButtonElement, SectionBlock, SlackBlock } from './blocks-types';
import { PATCH_ACTIONS } from './blocks-types';
import { evidenceBlocks } from './blocks-evidence';

const SEVERITY_EMOJI = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
} as const satisfies Record<Severity, string>;

const MAX_RESOURCES = 10;
const MAX_PATCHES = 5;
const FENCE_OPEN = '\n```\n';
const FENCE_CLOSE = '\n```';

/** Text of one section, and whether something was left out of it. */
interface Part {
  text: string;
  cut: boolean;
}

/** The blocks of one finding, and whether anything of it had to be left out. */
export interface FindingBlocks {
  blocks: SlackBlock[];
  cut: boolean;
}

/** `Deployment shop/cart`, as in the text report. */
export function refText(r: ObjectRef | PatchProposal['target']): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function section(blockId: string, text: string): SectionBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) } };
}

function more(n: number, one: string, many: string): string {
  return `_… ${n} more ${n === 1 ? one : many} in the attached report_`;
}

function headText(f: Finding): Part {
  const shown = f.resources.slice(0, MAX_RESOURCES).map((r) => escapeMrkdwn(refText(r)));
  const hidden = f.resources.length - shown.length;
  const resources = hidden > 0 ? `${shown.join(', ')} ${more(hidden, 'resource', 'resources')}` : shown.join(', ');
  const lines = [
    `${SEVERITY_EMOJI[f.severity]} *${escapeMrkdwn(f.title)}*`,
    `${f.severity} · runbook \`${escapeMrkdwn(f.runbook)}\` · confidence ${f.confidence.toFixed(2)}`,
    `*Resources:* ${resources || 'none named'}`,
  ];
  return { text: lines.join('\n'), cut: hidden > 0 };
}

function stepsText(f: Finding, cap: number): Part | null {
  if (f.remediation.steps.length === 0) return null;
  const head = '*What to do*\n';
  const fitted = fitLines(
    f.remediation.steps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`),
    cap - head.length,
  );
  return { text: `${head}${fitted.lines.join('\n')}`, cut: fitted.cut };
}

function patchText(p: PatchProposal, cap: number): Part {
  const head = `*Proposed patch* (${p.type}) for ${escapeMrkdwn(refText(p.target))}`;
  const json = codeSafe(escapeMrkdwn(JSON.stringify(p.patch, null, 2) ?? 'null'));
  const room = cap - head.length - FENCE_OPEN.length - FENCE_CLOSE.length;
  if (json.length <= room) return { text: `${head}${FENCE_OPEN}${json}${FENCE_CLOSE}`, cut: false };
  const note = '\n_The patch is cut here; it is whole in the attached report._';
  return { text: `${head}${FENCE_OPEN}${clip(json, room - note.length)}${FENCE_CLOSE}${note}`, cut: true };
}

function button(label: string, actionId: string, value: string, style: 'primary' | 'danger'): ButtonElement {
  return { type: 'button', text: { type: 'plain_text', text: label }, action_id: actionId, value, style };
}

function patchActions(blockId: string, proposalId: string | undefined): ActionsBlock | null {
  if (!proposalId || proposalId.length > SLACK_LIMITS.buttonValue) return null;
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      button('Approve', PATCH_ACTIONS.approve, proposalId, 'primary'),
      button('Reject', PATCH_ACTIONS.reject, proposalId, 'danger'),
    ],
  };
}

/**
 * A finding as blocks: a divider, its head (severity, title, runbook, confidence, resources), its
 * evidence, its steps, and each patch with Approve / Reject buttons when it has a proposal id.
 * Every section text is at most `cap` characters. Input text must already be redacted.
 */
export function findingBlocks(
  f: Finding,
  index: number,
  proposalIds: readonly string[] | undefined,
  cap: number,
): FindingBlocks {
  const id = `finding-${index}`;
  const head = headText(f);
  const parts: [blockId: string, part: Part | null][] = [
    [id, { text: clip(head.text, cap), cut: head.cut || head.text.length > cap }],
  ];
  const evidence = evidenceBlocks(f, `${id}-evidence`, cap);
  const blocks: SlackBlock[] = [{ type: 'divider' }];
  let cut = evidence.cut;
  for (const [blockId, part] of parts) {
    if (!part) continue;
    blocks.push(section(blockId, part.text));
    cut ||= part.cut;
  }
  blocks.push(...evidence.blocks);
  const steps = stepsText(f, cap);
  if (steps) {
    blocks.push(section(`${id}-steps`, steps.text));
    cut ||= steps.cut;
  }
  const patches = f.remediation.patches;
  for (const [j, p] of patches.slice(0, MAX_PATCHES).entries()) {
    const shown = patchText(p, cap);
    blocks.push(section(`${id}-patch-${j}`, shown.text));
    const actions = patchActions(`${id}-patch-${j}-actions`, proposalIds?.[j]);
    if (actions) blocks.push(actions);
    cut ||= shown.cut;
  }
  if (patches.length > MAX_PATCHES) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: more(patches.length - MAX_PATCHES, 'patch', 'patches') }],
    });
    cut = true;
  }
  return { blocks, cut };
}
