import type { App } from '@slack/bolt';
import { registerPatchButtons } from './actions/patch-buttons';
import { registerMeshCommand } from './commands/mesh';
import type { HandlerDeps } from './deps';

export type { ApprovalDeps, HandlerDeps, QueueStatus } from './deps';

/** Registers every Slack listener on the app. Handlers parse, call into src/, and reply. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  registerMeshCommand(app, deps);
  registerPatchButtons(app, deps);
}
