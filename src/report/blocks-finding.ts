import type { Finding, ObjectRef, PatchProposal, Severity } from '../diagnosis/evidence';
import { clip, codeSafe, escapeMrkdwn, fitLines, SLACK_LIMITS } from './blocks-limits';
import { button } from './blocks-buttons';
import type { ActionsBlock, SectionBlock, SlackBlock } from './blocks-types';
import { PATCH_ACTIONS } from './blocks-types';
import { evidenceBlocks } from './blocks-evidence';
import { kubectlPatchCommand, patchSummary } from './patch-summary';
import { withSlackDates, withUtcTimes } from './slack-time';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

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

/**
 * The object a patch targets as the diagnosis read it (null: it did not exist; undefined: not known), so
 * a fix is worded against it ("keeping terminationDrainDuration"). Must return redacted objects.
 */
export type CurrentObject = (target: PatchProposal['target']) => Record<string, unknown> | null | undefined;

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

function headText(f: Finding, t: Translate): Part {
  const shown = f.resources.slice(0, MAX_RESOURCES).map((r) => escapeMrkdwn(refText(r)));
  const hidden = f.resources.length - shown.length;
  const resources =
    hidden > 0 ? `${shown.join(', ')} ${t('slack.finding.more-resources', { count: hidden })}` : shown.join(', ');
  const meta = {
    severity: t(`severity.${f.severity}`),
    runbook: escapeMrkdwn(f.runbook),
    confidence: f.confidence.toFixed(2),
  };
  const lines = [
    `${SEVERITY_EMOJI[f.severity]} *${escapeMrkdwn(f.title)}*`,
    t('slack.finding.meta', meta),
    t('slack.finding.resources', { resources: resources || t('slack.finding.no-resources') }),
  ];
  return { text: lines.join('\n'), cut: hidden > 0 };
}

/**
 * The steps, numbered, with their times as Slack date tokens (the reader's time zone); when the tokens
 * would not fit, the times in UTC (shorter), so no step is cut for the sake of a token.
 */
function stepsText(f: Finding, cap: number, t: Translate): Part | null {
  if (f.remediation.steps.length === 0) return null;
  const head = `${t('slack.finding.steps')}\n`;
  const fit = (times: (text: string) => string) =>
    fitLines(
      f.remediation.steps.map((s, i) => `${i + 1}. ${times(escapeMrkdwn(s))}`),
      cap - head.length,
    );
  const tokens = fit(withSlackDates);
  const fitted = tokens.cut ? fit(withUtcTimes) : tokens;
  return { text: `${head}${fitted.lines.join('\n')}`, cut: fitted.cut };
}

/** A finding's fix: each patch in one line, in order, and the kubectl commands that do the same by hand. */
function fixText(f: Finding, cap: number, current: CurrentObject | undefined, t: Translate): Part {
  const patches = f.remediation.patches;
  const shown = patches.slice(0, MAX_PATCHES);
  const head = t('slack.finding.fix', { count: patches.length });
  const lines = shown.map(
    (p, i) => `${patches.length > 1 ? `${i + 1}. ` : '• '}${escapeMrkdwn(patchSummary(p, current?.(p.target), t))}`,
  );
  const hidden = patches.length - shown.length;
  const tail = hidden > 0 ? `\n${t('slack.finding.more-steps', { count: hidden })}` : '';
  const commands = codeSafe(escapeMrkdwn(shown.map((p) => kubectlPatchCommand(p)).join('\n')));
  const listed = fitLines(lines, Math.floor(cap / 2) - head.length - tail.length);
  const room =
    cap - head.length - listed.lines.join('\n').length - tail.length - FENCE_OPEN.length - FENCE_CLOSE.length - 2;
  const code = commands.length <= room ? commands : clip(commands, room);
  return {
    text: `${head}\n${listed.lines.join('\n')}${tail}${FENCE_OPEN}${code}${FENCE_CLOSE}`,
    cut: hidden > 0 || listed.cut || code !== commands,
  };
}

function patchActions(blockId: string, f: Finding, proposalId: string | undefined, t: Translate): ActionsBlock | null {
  if (!proposalId || proposalId.length > SLACK_LIMITS.buttonValue) return null;
  const targets = f.remediation.patches
    .map((p) => refText(p.target))
    .reduce((first, next) => t('slack.confirm.then', { first, next }));
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      button(t('slack.button.approve'), PATCH_ACTIONS.approve, proposalId, 'primary', {
        title: t('slack.confirm.apply.title'),
        text: t('slack.confirm.apply.text', { targets }),
        confirm: t('slack.confirm.apply'),
        style: 'primary',
      }),
      button(t('slack.button.reject'), PATCH_ACTIONS.reject, proposalId, 'danger', {
        title: t('slack.confirm.reject.title'),
        text: t('slack.confirm.reject.text', { targets }),
        confirm: t('slack.button.reject'),
        style: 'danger',
      }),
    ],
  };
}

/**
 * A finding as blocks: a divider, its head (severity, title, runbook, confidence, resources), its
 * evidence, its steps, and its fix (each patch in one line, in order, with the kubectl commands) with
 * Approve / Reject buttons that ask for confirmation when it has a proposal id.
 * Every section text is at most `cap` characters. Input text must already be redacted.
 */
export function findingBlocks(
  f: Finding,
  index: number,
  proposalId: string | undefined,
  cap: number,
  current?: CurrentObject,
  t: Translate = EN,
): FindingBlocks {
  const id = `finding-${index}`;
  const head = headText(f, t);
  const parts: [blockId: string, part: Part | null][] = [
    [id, { text: clip(head.text, cap), cut: head.cut || head.text.length > cap }],
  ];
  const evidence = evidenceBlocks(f, `${id}-evidence`, cap, t);
  const blocks: SlackBlock[] = [{ type: 'divider' }];
  let cut = evidence.cut;
  for (const [blockId, part] of parts) {
    if (!part) continue;
    blocks.push(section(blockId, part.text));
    cut ||= part.cut;
  }
  blocks.push(...evidence.blocks);
  const steps = stepsText(f, cap, t);
  if (steps) {
    blocks.push(section(`${id}-steps`, steps.text));
    cut ||= steps.cut;
  }
  if (f.remediation.patches.length > 0) {
    const fix = fixText(f, cap, current, t);
    blocks.push(section(`${id}-fix`, fix.text));
    const actions = patchActions(`${id}-fix-actions`, f, proposalId, t);
    if (actions) blocks.push(actions);
    cut ||= fix.cut;
  }
  return { blocks, cut };
}
