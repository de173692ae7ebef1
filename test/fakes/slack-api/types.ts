import type { FakeSocketMode } from './socket-mode';
/** A request body as the fake understood it: form fields, JSON, or multipart fields. */
export type SlackBody = Record<string, unknown>;

/** One Web API call, recorded before faults or errors are applied. */
export interface SlackCall {
  /** The method name from the path, e.g. `chat.postMessage`. */
  method: string;
  /** The parsed body; JSON-encoded form fields such as `blocks` are decoded. */
  body: SlackBody;
  /** The bearer token from the Authorization header, else a `token` body field, else null. */
  token: string | null;
  at: Date;
}

/** A message as the fake holds it, with `chat.update` edits applied. */
export interface SlackMessage {
  channel: string;
  ts: string;
  /** The parent's ts for replies, and for a parent once it has replies (as Slack reports it). */
  thread_ts?: string;
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: unknown;
  /** Files shared with `files.completeUploadExternal`. */
  files?: { id: string; name: string; title: string }[];
  user: string;
  bot_id: string;
  type: 'message';
  reply_count?: number;
  edited?: { user: string; ts: string };
}

/** A `chat.postEphemeral` message. */
export interface SlackEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown;
  thread_ts?: string;
}

/** A file sent through `files.getUploadURLExternal`, its upload URL and `files.completeUploadExternal`. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  /** The `length` the client announced. */
  length: number;
  /** The bytes sent to the upload URL; null until they arrive. */
  content: Buffer | null;
  title: string | null;
  /** Set by `files.completeUploadExternal`. */
  completed: boolean;
  channel_id: string | null;
  thread_ts: string | null;
  initial_comment: string | null;
}

/** A failure the fake answers with instead of running a method. */
export interface SlackFaultRule {
  /** Only calls of this method; default any method. */
  method?: string;
  /** An HTTP failure: 429 (with `Retry-After`) or 500. */
  status?: 429 | 500;
  /** Seconds in the `Retry-After` header of a 429; default 1. */
  retryAfterSeconds?: number;
  /** An `ok: false` answer (HTTP 200) with this error, e.g. `channel_not_found`. */
  error?: string;
  /** How many matching calls fail this way; default 1, `Infinity` until `clear()`. */
  times?: number;
}

/** The identity `auth.test` reports. */
export interface SlackIdentity {
  team_id: string;
  team: string;
  user_id: string;
  user: string;
  bot_id: string;
}

/** A `users.info` user; unknown users are made up from their ID. */
export interface SlackUser {
  id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  tz: string;
  /** Sent only when the call asks for it (`include_locale`), as Slack does; `en-US` unless configured. */
  locale?: string;
  profile: { display_name: string; real_name: string; email?: string };
}

/** A `conversations.info` channel; unknown channels are made up from their ID. */
export interface SlackChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_private: boolean;
  is_member: boolean;
  is_archived: boolean;
}

/** What the fake serves. */
export interface FakeSlackApiOptions {
  identity?: Partial<SlackIdentity>;
  /** Members of each user group (`S...` ID), for `usergroups.users.list`. */
  usergroups?: Record<string, string[]>;
  users?: Record<string, Partial<SlackUser>>;
  channels?: Record<string, Partial<SlackChannel>>;
  /** When given, calls with any other token get `invalid_auth`. Calls without a token always get `not_authed`. */
  validTokens?: string[];
}

/** A running fake Slack Web API on 127.0.0.1. */
export interface FakeSlackApi {
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT/api/`: the `slackApiUrl` for `WebClient` and Bolt's `clientOptions`. */
  readonly apiUrl: string;
  readonly identity: SlackIdentity;
  /** Every Web API call, in order, including unknown methods and calls answered with a fault. */
  readonly requests: SlackCall[];
  /** Unknown methods (`METHOD`) and requests outside `/api/` and the upload URLs (`HTTP_METHOD PATH`). */
  readonly unexpected: string[];
  readonly faults: { add(rule: SlackFaultRule): void; clear(): void };
  /** The calls of one method. */
  calls(method: string): SlackCall[];
  /** Messages posted and not deleted, edits applied, in posting order; optionally of one channel. */
  messages(channel?: string): SlackMessage[];
  /** A thread's parent and replies, in order. */
  threadOf(ts: string): SlackMessage[];
  ephemerals(channel?: string): SlackEphemeral[];
  /** Files whose upload URL was requested, in order. */
  uploads(): SlackUpload[];
  /** Sets the members of a user group. */
  setUsergroup(id: string, members: string[]): void;
  /** Socket Mode: `apps.connections.open` (app tokens only) and the WebSocket it points to. */
  readonly socketMode: FakeSocketMode;
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}
