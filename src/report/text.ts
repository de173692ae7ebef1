import type { Check, Finding, ObjectRef, Report } from '../diagnosis/evidence';
import type { RenderOptions } from './redact';
import { forPrinting } from './redact';
import { checkCounts, notableChecks } from './checks-summary';
import { plural, targetName, verdictOf } from './verdict';

function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function targetText(report: Report): string {
  const { namespace, workload } = report.target;
  if (!namespace && !workload) return 'all namespaces';
  return [namespace ? `namespace ${namespace}` : null, workload ? `workload ${workload}` : null]
    .filter(Boolean)
    .join(', ');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function findingText(f: Finding, n: number): string {
  const lines = [
    `${n}. [${f.severity.toUpperCase()}] ${f.title}`,
    `   runbook ${f.runbook}, confidence ${f.confidence.toFixed(2)}`,
    `   Resources: ${f.resources.map(refText).join(', ')}`,
    '   Evidence:',
    ...f.evidence.map((e) => `     - ${e.timestamp ?? '(no time)'} [${e.source}] ${e.text}`),
    '   What to do:',
    ...f.remediation.steps.map((s, i) => `     ${i + 1}. ${s}`),
  ];
  for (const p of f.remediation.patches) {
    lines.push(`   Proposed patch (${p.type}) for ${refText(p.target)}:`);
    lines.push(indent(JSON.stringify(p.patch, null, 2), '     '));
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
