import { createHash } from 'node:crypto';

/** `prefix:` + the first 32 hex digits of the SHA-256 of the parts joined by newlines. */
export function incidentKey(prefix: string, parts: readonly string[]): string {
  return `${prefix}:${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}`;
}
