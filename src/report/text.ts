import type { Check, Finding, ObjectRef, Report } from '../diagnosis/evidence';

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
  const counts = new Map<string, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const notable = checks.filter((c) => c.status === 'skipped' || c.status === 'error');
  return [`Checks: ${summary}`, ...notable.map((c) => `  ${c.status.padEnd(7)} ${c.id}: ${c.detail}`)].join('\n');
}

/** The human report for terminals; the same content as the Slack report. */
export function renderText(report: Report): string {
  const n = report.findings.length;
  const failed = report.checks.filter((c) => c.status === 'error').length;
  const caveat = failed > 0 ? `; ${failed} check${failed === 1 ? '' : 's'} could not run, see below` : '';
  const head =
    n === 0
      ? `mesh-doctor: no problems found (${targetText(report)})${failed > 0 ? ` in what could be read${caveat}` : ''}`
      : `mesh-doctor: ${n} problem${n === 1 ? '' : 's'} found (${targetText(report)})${caveat}`;
  const body = report.findings.map((f, i) => findingText(f, i + 1));
  return `${[head, ...body, checksText(report.checks)].join('\n\n')}\n`;
}
