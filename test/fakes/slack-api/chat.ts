import type { SlackReply } from './reply';
import { fail, str } from './reply';
import type { SlackState } from './state';
import type { SlackBody, SlackMessage } from './types';

/** Posts a message, threading it under the root of `thread_ts` when that message exists. */
export function addMessage(state: SlackState, channel: string, body: SlackBody): SlackMessage {
  const { identity } = state;
  const message: SlackMessage = {
    type: 'message',
    channel,
    ts: state.nextTs(),
    text: str(body, 'text') ?? '',
    user: identity.user_id,
    bot_id: identity.bot_id,
  };
  copyContent(body, message);
  const threadTs = str(body, 'thread_ts');
  if (threadTs !== null) {
    const parent = state.messages.get(threadTs);
    const rootTs = parent?.channel === channel ? (parent.thread_ts ?? parent.ts) : threadTs;
    message.thread_ts = rootTs;
    const root = state.messages.get(rootTs);
    if (root) {
      root.thread_ts = root.ts;
      root.reply_count = (root.reply_count ?? 0) + 1;
    }
  }
  state.messages.set(message.ts, message);
  return message;
}

export function postMessage(body: SlackBody, state: SlackState): SlackReply {
  const channel = str(body, 'channel');
  if (channel === null) return fail('channel_not_found');
  if (!hasContent(body)) return fail('no_text');
  const message = addMessage(state, channel, body);
  return { ok: true, channel, ts: message.ts, message: asSent(message, state.identity.team_id) };
}

export function update(body: SlackBody, state: SlackState): SlackReply {
  const channel = str(body, 'channel');
  const ts = str(body, 'ts');
  if (channel === null) return fail('channel_not_found');
  const message = ts === null ? undefined : state.messages.get(ts);
  if (!message || message.channel !== channel) return fail('message_not_found');
  if (!hasContent(body)) return fail('no_text');
  const text = str(body, 'text');
  if (text !== null) message.text = text;
  copyContent(body, message);
  message.edited = { user: state.identity.user_id, ts: state.nextTs() };
  return { ok: true, channel, ts: message.ts, text: message.text, message: asSent(message, state.identity.team_id) };
}

export function postEphemeral(body: SlackBody, state: SlackState): SlackReply {
  const channel = str(body, 'channel');
  const user = str(body, 'user');
  if (channel === null) return fail('channel_not_found');
  if (user === null) return fail('user_not_found');
  if (!hasContent(body)) return fail('no_text');
  const messageTs = state.nextTs();
  const threadTs = str(body, 'thread_ts');
  state.ephemerals.push({
    channel,
    user,
    message_ts: messageTs,
    text: str(body, 'text') ?? '',
    ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
    ...(threadTs !== null ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: messageTs };
}

export function deleteMessage(body: SlackBody, state: SlackState): SlackReply {
  const channel = str(body, 'channel');
  const ts = str(body, 'ts');
  if (channel === null) return fail('channel_not_found');
  const message = ts === null ? undefined : state.messages.get(ts);
  if (!message || message.channel !== channel) return fail('message_not_found');
  state.messages.delete(message.ts);
  return { ok: true, channel, ts: message.ts };
}

/** A link to a message, in the shape Slack gives (`?thread_ts=…&cid=…` for a reply). */
export function getPermalink(body: SlackBody, state: SlackState): SlackReply {
  const channel = str(body, 'channel');
  const ts = str(body, 'message_ts');
  if (channel === null) return fail('channel_not_found');
  const message = ts === null ? undefined : state.messages.get(ts);
  if (!message || message.channel !== channel) return fail('message_not_found');
  const base = `https://fake.slack.test/archives/${channel}/p${message.ts.replace('.', '')}`;
  const reply = message.thread_ts && message.thread_ts !== message.ts;
  return { ok: true, channel, permalink: reply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base };
}

function hasContent(body: SlackBody): boolean {
  return str(body, 'text') !== null || body.blocks !== undefined || body.attachments !== undefined;
}

function copyContent(body: SlackBody, message: SlackMessage): void {
  if (body.blocks !== undefined) message.blocks = body.blocks;
  if (body.attachments !== undefined) message.attachments = body.attachments;
  if (body.metadata !== undefined) message.metadata = body.metadata;
}

/** The message as Slack returns it: without the channel, with the team. */
function asSent(message: SlackMessage, team: string): Record<string, unknown> {
  const { channel: _channel, ...rest } = structuredClone(message);
  return { ...rest, team };
}
