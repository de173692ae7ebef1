/** The Slack error code of a failed Web API call (`ok: false`), or null for any other failure. */
export function slackErrorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  // The client library throws Slack's refusals with this code and Slack's own code in `data.error`.
  const { code, data } = err as { code?: unknown; data?: { error?: unknown } };
  if (code !== 'slack_webapi_platform_error') return null;
  return typeof data?.error === 'string' ? data.error : null;
}

/** Slack's refusals of a message for its size or its blocks, which a shorter message can get past. */
const TOO_LONG = new Set(['msg_too_long', 'msg_blocks_too_long', 'invalid_blocks']);

/** Whether Slack refused a message because of its length or its blocks. */
export function isMessageTooLong(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code !== null && TOO_LONG.has(code);
}
