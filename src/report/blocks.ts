import type { Report } from '../diagnosis/evidence';
import { findingBlocks } from './blocks-finding';
import type { CurrentObject, FindingBlocks } from './blocks-finding';
import { blocksTextLength, clip, escapeMrkdwn, SLACK_LIMITS } from './blocks-limits';
import { checksContext, introContext, mention, verdictHeader } from './blocks-summary';
import type { SlackBlock } from './blocks-types';
import { redactDeep, redactSecrets } from './redact';
import type { RedactOptions } from './redact';
import { renderText } from './text';
import { targetName, verdictOf } from './verdict';
import type { Translate } from '../i18n/translate';
import { EN, translator } from '../i18n/translate';

export type { SlackBlock } from './blocks-types';
export { PATCH_ACTIONS, PROPOSAL_ACTIONS } from './blocks-types';

/** How a report is posted. It is always redacted; `clientIps: false` keeps client addresses. */
export interface ReportBlocksOptions extends RedactOptions {
  /** Slack user id of who asked (`U123`), or a name such as an alert source. */
  requestedBy?: string;
  /** What was diagnosed, as shown (`shop/cart`); defaults to the report's target. */
  target?: string;
  /** Per finding index, the opaque proposal id of its fix (all its patches, in order). */
  proposalIds?: ReadonlyMap<number, string>;
  /** The objects patches target, as read, to word each fix against (see CurrentObject). */
  current?: CurrentObject;
  /** Whether patch approvals are configured. Buttons are shown either way; when not, a note says so. */
  approvalsEnabled: boolean;
}

/** A report as one Slack message. */
export interface ReportBlocks {
  /** Notification fallback text. */
  text: string;
  blocks: SlackBlock[];
  /** The whole text report (redacted), to attach as a file when the blocks had to leave something out. */
  overflow: string | null;
}

const FALLBACK_TEXT = 300;
/** Room kept for the "more findings" note. */
const NOTE_TEXT = 100;
/** The smallest section cap a finding is squeezed to when even the first one does not fit. */
const MIN_SECTION_TEXT = 300;

function fallbackText(verdict: string, report: Report): string {
  const titles = report.findings.map((f) => f.title).join('; ');
  return clip(escapeMrkdwn(titles ? `${verdict}: ${titles}` : verdict), FALLBACK_TEXT);
}

function sectionCount(group: FindingBlocks): number {
  return group.blocks.filter((b) => b.type === 'section').length;
}

/**
 * Builds the Slack message for a report: a header with the verdict, who asked, each finding (severity,
 * title, runbook, confidence, resources, evidence, steps, patches with Approve / Reject buttons carrying
 * the proposal id), and what was and was not checked. All text is redacted first (secrets, and client
 * addresses and user agents unless `clientIps` is false). Within Slack's
 * limits: whatever does not fit is named in a note and the whole text report is returned as `overflow`.
 */
export function buildReportBlocks(report: Report, options: ReportBlocksOptions): ReportBlocks {
  const redaction: RedactOptions = { clientIps: options.clientIps ?? true };
  const safe = redactDeep(report, redaction);
  const t = translator(report.language);
  const verdict = verdictOf(safe, redactSecrets(options.target ?? targetName(safe.target, t)), t);
  const header = verdictHeader(safe, verdict);
  const asker = options.requestedBy === undefined ? undefined : redactSecrets(options.requestedBy);
  const intro = introContext(safe, asker, t);
  const top: SlackBlock[] = intro ? [header, intro] : [header];
  const footerBound = checksContext(safe.checks, true, t).block;

  let blocksLeft = SLACK_LIMITS.blocks - top.length - 2;
  let textLeft = SLACK_LIMITS.totalText - blocksTextLength([...top, footerBound]) - NOTE_TEXT;
  const body: SlackBlock[] = [];
  let cut = false;
  let shown = 0;
  let buttons = false;
  for (const [i, f] of safe.findings.entries()) {
    const ids = options.proposalIds?.get(i);
    let group = findingBlocks(f, i, ids, SLACK_LIMITS.sectionText, options.current, t);
    if (shown === 0 && blocksTextLength(group.blocks) > textLeft) {
      const cap = Math.floor((textLeft - NOTE_TEXT) / Math.max(1, sectionCount(group)));
      group = findingBlocks(f, i, ids, Math.max(MIN_SECTION_TEXT, cap), options.current, t);
    }
    if (group.blocks.length > blocksLeft || blocksTextLength(group.blocks) > textLeft) break;
    body.push(...group.blocks);
    blocksLeft -= group.blocks.length;
    textLeft -= blocksTextLength(group.blocks);
    cut ||= group.cut;
    buttons ||= group.blocks.some((b) => b.type === 'actions');
    shown += 1;
  }

  const hidden = safe.findings.length - shown;
  if (hidden > 0) {
    body.push({
      type: 'section',
      block_id: 'more-findings',
      text: { type: 'mrkdwn', text: t('slack.more-findings', { count: hidden }) },
    });
  }
  const footer = checksContext(safe.checks, buttons && !options.approvalsEnabled, t);
  const anythingCut = cut || hidden > 0 || footer.cut;
  return {
    text: fallbackText(verdict.text, safe),
    blocks: [...top, ...body, footer.block],
    // `safe` is redacted already, with the same options: the text report prints it as it is.
    overflow: anythingCut ? renderText(safe, { redact: false }) : null,
  };
}

/** The in-thread progress message: one context line naming the current stage. */
export function buildProgressBlocks(stage: string): SlackBlock[] {
  const text = clip(`:hourglass_flowing_sand: ${escapeMrkdwn(redactSecrets(stage))}`, SLACK_LIMITS.sectionText);
  return [{ type: 'context', block_id: 'progress', elements: [{ type: 'mrkdwn', text }] }];
}

/** The thread's root message: `Diagnosing shop/cart, asked by <@U123>`. */
export function buildRootText(target: string, user: string, t: Translate = EN): string {
  return t('slack.root.diagnosing', {
    target: escapeMrkdwn(redactSecrets(target)),
    user: mention(redactSecrets(user)),
  });
}
