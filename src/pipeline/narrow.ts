import type { Report } from '../diagnosis/evidence';
import type { Catalog } from '../runbooks/catalog';
import { runbooksInScope } from '../runbooks/catalog';
import type { DiagnoseScope } from './request';

/** Keeps the findings and runbook checks of a narrowed request (`injection`, `webhooks`); other checks stay. */
export function narrowToScope(report: Report, scope: DiagnoseScope, catalog: Catalog): Report {
  if (scope === 'all') return report;
  const keep = runbooksInScope(catalog, scope);
  return {
    ...report,
    findings: report.findings.filter((f) => keep.has(f.runbook)),
    checks: report.checks.filter((c) => !catalog.entries.has(c.id) || keep.has(c.id)),
  };
}

/** What the findings are about, without times or wording: equal when an alert's diagnosis has nothing new. */
export function findingsSignature(report: Report): string {
  return report.findings
    .map(
      (f) =>
        `${f.runbook}@${f.resources
          .map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)
          .sort()
          .join(',')}`,
    )
    .sort()
    .join(';');
}
