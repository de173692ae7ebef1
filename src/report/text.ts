import type { Check, Finding, Report } from '../diagnosis/evidence';
import type { RenderOptions } from './redact';
import { forPrinting } from './redact';
import { refText } from './blocks-finding';
import { checkCounts, notableChecks } from './checks-summary';
import { kubectlPatchCommand, patchSummary } from './patch-summary';
import { inTimeOrder, utcText, withUtcTimes } from './slack-time';
import { plural, targetName, verdictOf } from './verdict';

function targetText(report: Report): string {
  const { namespace, workload, cluster } = report.target;
  const what =
    !namespace && !workload
      ? 'all namespaces'
      : [namespace ? `namespace ${namespace}` : null, workload ? `workload ${workload}` : null]
          .filter(Boolean)
          .join(', ');
  return cluster ? `${what}, cluster ${cluster}` : what;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/** An evidence item's time in UTC to the millisecond at most, or that it is the object's state when read. */
function evidenceTime(ms: number | null): string {
  return ms === null ? '(state when read)' : utcText(ms, 'ms');
}

function findingText(f: Finding, n: number): string {
  const patches = f.remediation.patches;
  const lines = [
    `${n}. [${f.severity.toUpperCase()}] ${f.title}`,
    `   runbook ${f.runbook}, confidence ${f.confidence.toFixed(2)}`,
    `   Resources: ${f.resources.map(refText).join(', ')}`,
    '   Evidence:',
    ...inTimeOrder(f.evidence).map(
      ({ item, ms }) =>
        `     - ${evidenceTime(ms)} [${item.source}] ${item.source === 'log' ? item.text : withUtcTimes(item.text)}`,
    ),
    '   What to do:',
    ...f.remediation.steps.map((s, i) => `     ${i + 1}. ${withUtcTimes(s)}`),
  ];
  if (patches.length > 0) {
    const order = patches.length > 1 ? `${patches.length} steps, applied in order` : '1 step';
    lines.push(`   Fix (${order}; mesh-doctor applies it after approval in Slack, or run it by hand):`);
    for (const [i, p] of patches.entries()) {
      lines.push(`     ${i + 1}. ${patchSummary(p)}`);
      lines.push(indent(`$ ${kubectlPatchCommand(p)}`, '        '));
    }
  }
  return lines.join('\n');
}

function checksText(checks: Check[]): string {
  const notable = notableChecks(checks);
  return [checkCounts(checks), ...notable.map((c) => `  ${c.status.padEnd(7)} ${c.id}: ${c.detail}`)].join('\n');
}

function headline(report: Report): string {
  const verdict = verdictOf(report, targetName(report.target));
  if (verdict.kind !== 'problems') return `mesh-doctor: ${verdict.text}`;
  const failed = report.checks.filter((c) => c.status === 'error').length;
  const caveat = failed > 0 ? `; ${plural(failed, 'check', 'checks')} could not run, see below` : '';
  return `mesh-doctor: ${plural(report.findings.length, 'problem', 'problems')} found (${targetText(report)})${caveat}`;
}

/**
 * The human report for terminals; the same content and headline as the Slack report. Redacted unless
 * `redact` is false.
 */
export function renderText(report: Report, options: RenderOptions = {}): string {
  const safe = forPrinting(report, options);
  const body = safe.findings.map((f, i) => findingText(f, i + 1));
  const mesh = safe.mesh ? [safe.mesh.summary] : [];
  return `${[headline(safe), ...mesh, ...body, checksText(safe.checks)].join('\n\n')}\n`;
}
