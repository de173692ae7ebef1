/** Keys the generated Kubernetes models rename because they are reserved words in TypeScript. */
const RENAMED: Record<string, string> = {
  _continue: 'continue',
  _default: 'default',
  _enum: 'enum',
  _from: 'from',
  _int: 'int',
};

/** RFC 3339 as the API server prints it: whole seconds without a fraction, else milliseconds. */
export function kubeTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Turns an object from a typed client back into the JSON the API server sent: dates become RFC 3339
 * strings, renamed keys get their wire names, undefined fields disappear.
 */
export function toPlain(value: unknown): unknown {
  if (value instanceof Date) return kubeTime(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[RENAMED[key] ?? key] = toPlain(v);
  }
  return out;
}
