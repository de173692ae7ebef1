import type { Check, Report } from '../diagnosis/evidence';
import type { RenderOptions } from './redact';
import { forPrinting } from './redact';

/**
 * The JSON report as one document in the contract's shape (`target` with its cluster, or null when the read
 * had no cluster name, `findings`, `checks`); its fields are
 * described in docs/json-report.md. The mesh and data plane the diagnosis saw are the check `mesh`, whose
 * detail is the sentence the text and Slack reports show. Redacted unless `redact` is false: the shape
 * stays, only string values change.
 */
export function renderJson(report: Report, options: RenderOptions = {}): string {
  const { target, findings, checks, mesh } = report;
  const meshCheck: Check[] = mesh ? [{ id: 'mesh', status: 'ok', detail: mesh.summary }] : [];
  const named = { cluster: target.cluster ?? null, namespace: target.namespace, workload: target.workload };
  const document = { target: named, language: report.language ?? 'en', findings, checks: [...checks, ...meshCheck] };
  return `${JSON.stringify(forPrinting(document, options), null, 2)}\n`;
}
