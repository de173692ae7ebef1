import { main as cliMain } from './src/cli/main';
import type { CliIo } from './src/cli/main';

/**
 * `mesh-doctor`: the CLI, with the long-running processes plugged in. The bot is given the Slack
 * listeners of handlers/ here, so nothing under src/ imports handlers/.
 */
export function main(argv: string[], io: CliIo): Promise<number> {
  return cliMain(argv, io, {
    bot: async (env, sources) => {
      const [{ startBot }, { slackListeners }] = await Promise.all([
        import('./src/bot.js'),
        import('./handlers/index.js'),
      ]);
      await startBot(env, slackListeners, sources);
    },
    worker: async (env, sources) => (await import('./src/worker.js')).startWorker(env, sources),
  });
}
