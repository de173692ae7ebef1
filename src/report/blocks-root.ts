import type { Report, Severity } from '../diagnosis/evidence';
import { clip, escapeMrkdwn, SLACK_LIMITS } from './blocks-limits';
import { mention } from './blocks-summary';
import type { SlackBlock } from './blocks-types';
import { redactSecrets } from './redact';
import type { VerdictKind } from './verdict';
import { verdictOf } from './verdict';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

/** What a thread's root message shows of its latest report, kept so the root can be redrawn later. */
export interface RootVerdict {
  kind: VerdictKind;
  /** The most severe finding's severity; null with no findings. */
  severity: Severity | null;
  /** The title of the report's first (most severe, most certain) finding; null with no findings. */
  top: string | null;
  problems: number;
  /** What was diagnosed (`shop/cart`). */
  target: string;
  /** The report's headline (`2 problems in shop/cart`, `No problems found in shop/cart`, …). */
  headline: string;
  /** A link to the report in the thread, when Slack gave one. */
  link: string | null;
}

const SEVERITY_ICON = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
} as const satisfies Record<Severity, string>;

const NOTHING_FOUND_ICON = {
  problems: ':white_check_mark:',
  clear: ':white_check_mark:',
  partial: ':warning:',
  unread: ':x:',
  'no-target': ':grey_question:',
} as const satisfies Record<VerdictKind, string>;

const TOP_TITLE = 150;

/** The root verdict of a report about `target` (redacted; titles come from the catalog). */
export function rootVerdictOf(report: Report, target: string, link: string | null, t: Translate = EN): RootVerdict {
  const safeTarget = redactSecrets(target);
  const first = report.findings[0];
  const order: readonly Severity[] = ['critical', 'warning', 'info'];
  const severity = order.find((s) => report.findings.some((f) => f.severity === s)) ?? null;
  return {
    kind: verdictOf(report, safeTarget, t).kind,
    severity,
    top: first ? redactSecrets(first.title) : null,
    problems: report.findings.length,
    target: safeTarget,
    headline: verdictOf(report, safeTarget, t).text,
    link,
  };
}

/**
 * The verdict in one line of mrkdwn: `:rotating_light: *critical: Application connects before the sidecar is
 * ready* · shop/cart · 2 problems · <link|report>`; with no findings, the report's headline (never an
 * all-clear when checks failed: the headline says what could not be read).
 */
export function rootVerdictLine(v: RootVerdict, t: Translate = EN): string {
  const label = t('root.report-link').replace(/[<>|]/g, '');
  const link = v.link && /^https:\/\//.test(v.link) ? ` · <${v.link.replace(/[<>|]/g, '')}|${label}>` : '';
  if (v.severity && v.top) {
    const count = t('root.problems', { count: v.problems });
    const top = escapeMrkdwn(clip(v.top, TOP_TITLE));
    return `${SEVERITY_ICON[v.severity]} *${t(`severity.${v.severity}`)}: ${top}* · ${escapeMrkdwn(v.target)} · ${count}${link}`;
  }
  return `${NOTHING_FOUND_ICON[v.kind]} *${escapeMrkdwn(v.headline)}*${link}`;
}

/** The same verdict as notification text (no mrkdwn). */
export function rootVerdictText(v: RootVerdict, t: Translate = EN): string {
  if (v.severity && v.top) {
    const problems = t('root.problems', { count: v.problems });
    return t('root.text', { severity: t(`severity.${v.severity}`), title: v.top, target: v.target, problems });
  }
  return v.headline;
}

/**
 * The root message of a diagnosis thread once its report is posted: the verdict, and who asked. Redrawn
 * in place whenever a later diagnosis in the thread changes it.
 */
export function buildRootVerdictBlocks(
  v: RootVerdict,
  requestedBy: string,
  t: Translate = EN,
): { text: string; blocks: SlackBlock[] } {
  return {
    text: clip(rootVerdictText(v, t), 300),
    blocks: [
      {
        type: 'section',
        block_id: 'root-verdict',
        text: { type: 'mrkdwn', text: clip(rootVerdictLine(v, t), SLACK_LIMITS.sectionText) },
      },
      {
        type: 'context',
        block_id: 'root-asked',
        elements: [{ type: 'mrkdwn', text: t('slack.root.details', { user: mention(redactSecrets(requestedBy)) }) }],
      },
    ],
  };
}

/** A root verdict as stored (JSON) back to its shape; null for anything else. */
export function parseRootVerdict(json: string | null): RootVerdict | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<RootVerdict>;
    const ok =
      typeof v.headline === 'string' &&
      typeof v.target === 'string' &&
      typeof v.problems === 'number' &&
      typeof v.kind === 'string' &&
      v.kind in NOTHING_FOUND_ICON &&
      (v.severity === null || (typeof v.severity === 'string' && v.severity in SEVERITY_ICON));
    return ok ? ({ top: null, link: null, ...v } as RootVerdict) : null;
  } catch {
    return null;
  }
}
