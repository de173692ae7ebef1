import { deleteMessage, getPermalink, postEphemeral, postMessage, update } from './chat';
import { authTest, conversationsInfo, usergroupsUsersList, usersInfo } from './directory';
import { completeUploadExternal, getUploadUrlExternal } from './files';
import type { SlackReply } from './reply';
import type { SlackState } from './state';
import type { SlackBody } from './types';

export type MethodHandler = (body: SlackBody, state: SlackState) => SlackReply;

/** The Web API methods the fake answers; anything else is `unknown_method`. */
export const METHODS: ReadonlyMap<string, MethodHandler> = new Map([
  ['auth.test', authTest],
  ['chat.postMessage', postMessage],
  ['chat.update', update],
  ['chat.postEphemeral', postEphemeral],
  ['chat.delete', deleteMessage],
  ['chat.getPermalink', getPermalink],
  ['conversations.info', conversationsInfo],
  ['usergroups.users.list', usergroupsUsersList],
  ['users.info', usersInfo],
  ['files.getUploadURLExternal', getUploadUrlExternal],
  ['files.completeUploadExternal', completeUploadExternal],
]);
