/**
 * A fake Slack Web API for tests: the real `@slack/web-api` client and Bolt talk to it over HTTP on 127.0.0.1.
 * It records calls, keeps posted messages and threads, serves the `filesUploadV2` flow, injects faults, and
 * builds signed requests of the kind Slack sends to the app.
 */
export { DEFAULT_IDENTITY } from './state';
export { startFakeSlackApi } from './server';
export type { FakeSocketMode, SocketAck } from './socket-mode';
export type { SlackSignatureHeaders, SlashCommandInput } from './signing';
export { FORM_CONTENT_TYPE, interactionBody, signSlackRequest, slashCommandBody, slashCommandFields } from './signing';
export type {
  FakeSlackApi,
  FakeSlackApiOptions,
  SlackBody,
  SlackCall,
  SlackChannel,
  SlackEphemeral,
  SlackFaultRule,
  SlackIdentity,
  SlackMessage,
  SlackUpload,
  SlackUser,
} from './types';
