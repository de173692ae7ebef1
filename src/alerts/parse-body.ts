import type { z } from 'zod';
import { issueReason } from './issue-reason';

/** The outcome of checking a webhook body against a schema. */
export type BodyResult<T> = { ok: true; data: T } | { ok: false; reason: string };

/** Checks a body against a schema without ever throwing; a failure names the first offending field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): BodyResult<T> {
  try {
    const parsed = schema.safeParse(body, { reportInput: true });
    if (parsed.success) return { ok: true, data: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, reason: issue ? issueReason(issue) : `the body is not ${what}` };
  } catch {
    return { ok: false, reason: `the body could not be read as ${what}` };
  }
}
