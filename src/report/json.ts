import type { Report } from '../diagnosis/evidence';

/** The JSON report of CONTRACT §3, as one document. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
