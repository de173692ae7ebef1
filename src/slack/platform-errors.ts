/**
 * Slack's own refusals of a Web API call (`ok: false` with an error code), turned into what the person who
 * asked should do. The client library throws them with code `slack_webapi_platform_error` and the code in
 * `data.error`.
 */
import { slackErrorCode } from '../util/slack-error';

export { slackErrorCode };

const ANSWERS: Record<string, string> = {
  not_in_channel:
    ':wave: mesh-doctor is not a member of this channel, so it cannot post the diagnosis here. Invite it with `/invite @mesh-doctor` and ask again. Nothing was queued.',
  channel_not_found:
    ':wave: mesh-doctor cannot see this channel (a private channel it was not invited to, or a conversation it has no access to). Invite it with `/invite @mesh-doctor` and ask again. Nothing was queued.',
  is_archived:
    ':file_cabinet: This channel is archived, so nothing can be posted in it. Ask from an active channel. Nothing was queued.',
};

/** The answer for a Slack refusal the asker can fix, or null when the failure is not one of those. */
export function slackRefusalAnswer(err: unknown): string | null {
  const code = slackErrorCode(err);
  return code ? (ANSWERS[code] ?? null) : null;
}
