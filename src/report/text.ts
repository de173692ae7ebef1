import type { Check, Finding, Report } from '../diagnosis/evidence';
import type { RenderOptions } from './redact';
import { forPrinting } from './redact';
import { refText } from './blocks-finding';
import { checkCounts, notableChecks } from './checks-summary';
import { kubectlPatchCommand, patchSummary } from './patch-summary';
import { inTimeOrder, utcText, withUtcTimes } from './slack-time';
import { targetName, verdictOf } from './verdict';
import type { Translate } from '../i18n/translate';
import { translator } from '../i18n/translate';

function targetText(report: Report, t: Translate): string {
  const { namespace, workload, cluster } = report.target;
  const what =
    !namespace && !workload
      ? t('target.all-namespaces')
      : [namespace ? t('target.namespace', { namespace }) : null, workload ? t('target.workload', { workload }) : null]
          .filter(Boolean)
          .join(', ');
  return cluster ? t('target.with-cluster', { target: what, cluster }) : what;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/** An evidence item's time in UTC to the millisecond at most, or that it is the object's state when read. */
function evidenceTime(ms: number | null, t: Translate): string {
  return ms === null ? t('text.state-when-read') : utcText(ms, 'ms');
}

function findingText(f: Finding, n: number, t: Translate): string {
  const patches = f.remediation.patches;
  const lines = [
    `${n}. [${t(`severity.${f.severity}`).toUpperCase()}] ${f.title}`,
    `   ${t('text.finding.runbook', { runbook: f.runbook, confidence: f.confidence.toFixed(2) })}`,
    `   ${t('text.finding.resources', { resources: f.resources.map(refText).join(', ') })}`,
    `   ${t('text.finding.evidence')}`,
    ...inTimeOrder(f.evidence).map(
      ({ item, ms }) =>
        `     - ${evidenceTime(ms, t)} [${item.source}] ${item.source === 'log' ? item.text : withUtcTimes(item.text)}`,
    ),
    `   ${t('text.finding.steps')}`,
    ...f.remediation.steps.map((s, i) => `     ${i + 1}. ${withUtcTimes(s)}`),
  ];
  if (patches.length > 0) {
    lines.push(`   ${t('text.finding.fix', { steps: patches.length })}`);
    for (const [i, p] of patches.entries()) {
      lines.push(`     ${i + 1}. ${patchSummary(p, undefined, t)}`);
      lines.push(indent(`$ ${kubectlPatchCommand(p)}`, '        '));
    }
  }
  return lines.join('\n');
}

function checksText(checks: Check[], t: Translate): string {
  const notable = notableChecks(checks, t);
  return [checkCounts(checks, t), ...notable.map((c) => `  ${c.status.padEnd(7)} ${c.id}: ${c.detail}`)].join('\n');
}

function headline(report: Report, t: Translate): string {
  const verdict = verdictOf(report, targetName(report.target, t), t);
  if (verdict.kind !== 'problems') return t('text.headline', { verdict: verdict.text });
  const failed = report.checks.filter((c) => c.status === 'error').length;
  const values = { count: report.findings.length, target: targetText(report, t), failed };
  return t(failed > 0 ? 'text.headline.problems-and-failures' : 'text.headline.problems', values);
}

/**
 * The human report for terminals; the same content and headline as the Slack report. Redacted unless
 * `redact` is false.
 */
export function renderText(report: Report, options: RenderOptions = {}): string {
  const safe = forPrinting(report, options);
  const t = translator(report.language);
  const body = safe.findings.map((f, i) => findingText(f, i + 1, t));
  const mesh = safe.mesh ? [safe.mesh.summary] : [];
  const note = report.languageNote ? [t(`language.${report.languageNote}`)] : [];
  return `${[headline(safe, t), ...note, ...mesh, ...body, checksText(safe.checks, t)].join('\n\n')}\n`;
}
