import type { Report } from '../diagnosis/evidence';

/** The JSON report as one document; its fields are described in docs/json-report.md. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
