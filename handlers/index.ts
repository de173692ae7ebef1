/** What listeners may use; grows with the Slack bot. */
export type HandlerDeps = Record<string, never>;

/**
 * Registers every Slack listener (commands, actions, webhooks) on a Bolt app. Entry points only:
 * handlers parse, call into src/, and reply.
 */
export function registerHandlers<App>(app: App, _deps: HandlerDeps = {}): App {
  return app;
}
