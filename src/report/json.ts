import type { Report } from '../diagnosis/evidence';
import type { RenderOptions } from './redact';
import { forPrinting } from './redact';

/**
 * The JSON report as one document; its fields are described in docs/json-report.md. Redacted unless
 * `redact` is false: the shape stays, only string values change.
 */
export function renderJson(report: Report, options: RenderOptions = {}): string {
  return `${JSON.stringify(forPrinting(report, options), null, 2)}\n`;
}
