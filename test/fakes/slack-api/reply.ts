/** A Web API answer: `ok: true` with fields, or `ok: false` with an error code. */
export type SlackReply = { ok: true; [key: string]: unknown } | { ok: false; error: string };

export function fail(error: string): SlackReply {
  return { ok: false, error };
}

/** A body field as a non-empty string, else null. */
export function str(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}
