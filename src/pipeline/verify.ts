import { diagnose } from '../diagnosis/engine';
import type { Report } from '../diagnosis/evidence';
import type { Proposal } from '../remediation/proposal';
import type { Catalog } from '../runbooks/catalog';
import type { Collect } from './ports';

/**
 * Re-runs a proposal's diagnosis and says whether its runbook still fires, and what else was found (with
 * the report, for the thread's root verdict).
 * `controlPlaneNamespaces`: the list the collector reads (the engine's default when absent).
 */
export function verifyByRediagnosis(
  catalog: Catalog,
  collect: Collect,
  controlPlaneNamespaces?: readonly string[],
): (p: Proposal) => Promise<{ fixed: boolean; summary: string; report: Report }> {
  return async (p) => {
    const { evidence, checks } = await collect(p.diagnosisTarget);
    const report = diagnose(evidence, catalog, {
      target: p.diagnosisTarget,
      collectionChecks: checks,
      controlPlaneNamespaces,
    });
    const fixed = !report.findings.some((f) => f.runbook === p.runbook);
    const found = report.findings.map((f) => `${f.title} (\`${f.runbook}\`)`);
    const summary = found.length > 0 ? `Findings now: ${found.join('; ')}.` : 'No problems found now.';
    return { fixed, summary, report };
  };
}
