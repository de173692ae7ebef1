import { WebClient } from '@slack/web-api';
import type { SlackListeners } from './bot/create-bot';
import { createBot } from './bot/create-bot';
import type { ConfigSources } from './config/load-config';
import { loadConfig } from './config/load-config';
import { SLACK_LEVEL, slackLogger } from './slack/slack-logger';
import { createLogger } from './util/logger';
import { runUntilSignal } from './util/run-until-signal';

/**
 * The bot process: its configuration (the environment, over a .env file) and Slack client, then
 * `createBot` with the listeners it is given. Stops gracefully on SIGTERM/SIGINT: the app, then the
 * queues, then Redis.
 */
export async function startBot(
  env: NodeJS.ProcessEnv,
  listeners: SlackListeners,
  sources: ConfigSources = {},
): Promise<void> {
  const config = loadConfig(env, 'bot', sources);
  const log = createLogger(config.logLevel);
  const slack = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger(log, SLACK_LEVEL[config.logLevel]),
  });
  await runUntilSignal(createBot(config, { slack, log }, listeners), 'bot', log);
}
