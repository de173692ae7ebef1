import { createHash } from 'node:crypto';

/**
 * A deterministic job id for a request, so that a redelivered command or a re-sent alert finds the job
 * already queued instead of queueing a second one. BullMQ ids may not contain ':'.
 */
export function jobIdFor(kind: string, requestKey: string): string {
  return `${kind}-${createHash('sha256').update(requestKey).digest('hex').slice(0, 32)}`;
}
