import { createHmac } from 'node:crypto';

/** The headers Slack signs a request to the app with. */
export interface SlackSignatureHeaders {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
}

/** Signs `body` as Slack does: `v0=` + hex HMAC-SHA256 of `v0:TIMESTAMP:BODY`; `timestamp` in Unix seconds. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': String(timestamp) };
}

/** The fields of a slash command invocation; defaults describe `/mesh` typed in a public channel. */
export interface SlashCommandInput {
  command?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
  api_app_id?: string;
  response_url?: string;
  trigger_id?: string;
}

/** The fields Slack sends for a slash command: form fields over HTTP, the envelope payload in Socket Mode. */
export function slashCommandFields(input: SlashCommandInput = {}): Record<string, string> {
  const teamId = input.team_id ?? 'T0FAKE0001';
  return {
    token: 'fake-verification-token',
    team_id: teamId,
    team_domain: input.team_domain ?? 'fake-team',
    channel_id: input.channel_id ?? 'C0FAKE0001',
    channel_name: input.channel_name ?? 'mesh-ops',
    user_id: input.user_id ?? 'U0FAKE0001',
    user_name: input.user_name ?? 'oncall',
    command: input.command ?? '/mesh',
    text: input.text ?? '',
    api_app_id: input.api_app_id ?? 'A0FAKE0001',
    is_enterprise_install: 'false',
    response_url: input.response_url ?? `https://hooks.slack.com/commands/${teamId}/1/fake`,
    trigger_id: input.trigger_id ?? '1.1.fake-trigger',
  };
}

/** The form body Slack POSTs for a slash command (`application/x-www-form-urlencoded`). */
export function slashCommandBody(input: SlashCommandInput = {}): string {
  return new URLSearchParams(slashCommandFields(input)).toString();
}

/** The form body Slack POSTs for an interaction (button, modal...): `payload=<json>`. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The content type of slash command and interaction bodies. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
