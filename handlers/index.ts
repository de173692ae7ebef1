import type { App } from '@slack/bolt';
import type { SlackListeners } from '../src/bot/create-bot';
import type { HandlerDeps } from '../src/bot/handler-deps';
import { registerClusterButtons } from './actions/cluster-buttons';
import { registerPatchButtons } from './actions/patch-buttons';
import { registerMeshCommand } from './commands/mesh';
import { registerMentions } from './events/mention';
import { alertRoutes } from './webhooks';

/** Registers every Slack listener on the app. Handlers parse, call into src/, and reply. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  registerMeshCommand(app, deps);
  registerPatchButtons(app, deps);
  registerClusterButtons(app, deps);
  registerMentions(app, deps);
}

/** Everything the bot serves from this folder: Slack listeners and the alert webhooks. */
export const slackListeners: SlackListeners = { register: registerHandlers, alertRoutes };
