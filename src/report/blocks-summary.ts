import type { Check, Report, Severity } from '../diagnosis/evidence';
import { clip, escapeMrkdwn, fitLines, SLACK_LIMITS } from './blocks-limits';
import type { ContextBlock, HeaderBlock, Mrkdwn } from './blocks-types';
import { checkCounts, notableChecks } from './checks-summary';
import type { Verdict, VerdictKind } from './verdict';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

const VERDICT_EMOJI = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
} as const satisfies Record<Severity, string>;

const MAX_NOTABLE_CHECKS = 8;
const NOTABLE_CHECKS_TEXT = 1500;

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) };
}

/** `<@U123>` for a Slack user id, else the name as text (an alert source, for instance). */
export function mention(user: string): string {
  if (/^[UW][A-Z0-9]{2,}$/.test(user)) return `<@${user}>`;
  if (/^<@[UW][A-Z0-9]{2,}>$/.test(user)) return user;
  return escapeMrkdwn(user);
}

/** With no findings: a check mark only when every check could run. */
const NOTHING_FOUND_EMOJI = {
  clear: ':white_check_mark:',
  partial: ':warning:',
  unread: ':x:',
  'no-target': ':grey_question:',
} as const satisfies Record<Exclude<VerdictKind, 'problems'>, string>;

/** The verdict as a header, with an emoji for the most severe finding (or for what could be checked). */
export function verdictHeader(report: Report, verdict: Verdict): HeaderBlock {
  const severities = new Set(report.findings.map((f) => f.severity));
  const worst = (['critical', 'warning', 'info'] as const).find((s) => severities.has(s));
  const emoji = worst
    ? VERDICT_EMOJI[worst]
    : NOTHING_FOUND_EMOJI[verdict.kind === 'problems' ? 'clear' : verdict.kind];
  return {
    type: 'header',
    block_id: 'verdict',
    text: { type: 'plain_text', text: clip(`${emoji} ${verdict.text}`, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** Who asked, the mesh and data plane seen, and the caveat when some checks could not run; null when there is none. */
export function introContext(report: Report, requestedBy: string | undefined, t: Translate = EN): ContextBlock | null {
  const elements: Mrkdwn[] = [];
  if (requestedBy) elements.push(mrkdwn(t('slack.asked-by', { user: mention(requestedBy) })));
  if (report.mesh) elements.push(mrkdwn(escapeMrkdwn(report.mesh.summary)));
  const failed = report.checks.filter((c) => c.status === 'error').length;
  if (failed > 0) {
    const key = report.findings.length === 0 ? 'slack.checks-failed.partial' : 'slack.checks-failed.see-end';
    elements.push(mrkdwn(t(key, { count: failed })));
  }
  return elements.length > 0 ? { type: 'context', block_id: 'intro', elements } : null;
}

/**
 * What was checked (counts per status) and what could not be (checks that errored or were
 * skipped, with their reason), plus a note when approvals are not configured.
 */
export function checksContext(
  checks: readonly Check[],
  approvalsNote: boolean,
  t: Translate = EN,
): { block: ContextBlock; cut: boolean } {
  const elements: Mrkdwn[] = [mrkdwn(checkCounts(checks, t))];
  const notable = notableChecks(checks, t);
  const shown = notable.slice(0, MAX_NOTABLE_CHECKS);
  const hidden = notable.length - shown.length;
  let cut = hidden > 0;
  if (shown.length > 0) {
    const head = `${t('slack.could-not-check')}\n`;
    const tail = hidden > 0 ? `\n${t('slack.more-in-report', { count: hidden })}` : '';
    const lines = shown.map((c) => `• \`${c.status}\` ${escapeMrkdwn(`${c.id}: ${c.detail}`)}`);
    const fitted = fitLines(lines, NOTABLE_CHECKS_TEXT - head.length - tail.length);
    elements.push(mrkdwn(`${head}${fitted.lines.join('\n')}${tail}`));
    cut ||= fitted.cut;
  }
  if (approvalsNote) {
    elements.push(mrkdwn(t('slack.approvals-off')));
  }
  return { block: { type: 'context', block_id: 'checks', elements }, cut };
}
