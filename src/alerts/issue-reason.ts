import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `alerts[0].labels.namespace`, or `the body` for the root. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key).slice(0, 60))}]`;
  }
  return text || 'the body';
}

function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function expected(type: string): string {
  if (type === 'record') return 'an object';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A short sentence naming the field a zod issue is about. Needs `reportInput: true` to tell missing fields. */
export function issueReason(issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.input === undefined && issue.path.length > 0) return `${where} is missing`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.path.length === 0) return `the body must be a JSON object, not ${kind(issue.input)}`;
      return `${where} must be ${expected(issue.expected)}, not ${kind(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      return values.length === 1 ? `${where} must be ${values[0]}` : `${where} must be one of ${values.join(', ')}`;
    }
    case 'too_small':
      return Number(issue.minimum) <= 1 ? `${where} must not be empty` : `${where} is too small`;
    default:
      return `${where} is invalid: ${issue.message}`;
  }
}
