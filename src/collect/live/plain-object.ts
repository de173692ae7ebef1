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
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Turns an object from a typed client back into the JSON the API server sent: dates become RFC 3339
 * strings, renamed keys get their wire names, undefined fields disappear.
 */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return kubeTime(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toPlain(value[i]);
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    const v = source[key];
    if (v === undefined) continue;
    out[RENAMED[key] ?? key] = v === null || typeof v !== 'object' ? v : toPlain(v);
  }
  return out;
}
