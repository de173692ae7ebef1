import { WebClient } from '@slack/web-api';
import type { SlackListeners } from './bot/create-bot';
import { createBot } from './bot/create-bot';
import { loadConfig } from './config/load-config';
import { createLogger } from './util/logger';

/**
 * The bot process: its configuration and Slack client from the environment, then `createBot` with the
 * listeners it is given. Stops gracefully on SIGTERM/SIGINT: the app, then the queues, then Redis.
 */
export async function startBot(env: NodeJS.ProcessEnv, listeners: SlackListeners): Promise<void> {
  const config = loadConfig(env, 'bot');
  const log = createLogger(config.logLevel);
  const bot = createBot(
    config,
    { slack: new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl }), log },
    listeners,
  );
  await bot.start();
  const stop = async () => {
    log.info({}, 'bot stopping');
    await bot.stop();
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
