import { WebClient } from '@slack/web-api';
import { loadKubeConfig, makeLogging, resolveProject } from './collect/live/clients';
import { loadConfig } from './config/load-config';
import { createLogger } from './util/logger';
import { createWorker } from './worker/create-worker';

/**
 * The worker process: its configuration and clients from the environment, then `createWorker`. Run as
 * many as needed. On SIGTERM it finishes its current jobs, then closes Redis.
 */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env, 'worker');
  const log = createLogger(config.logLevel);
  const projectId = resolveProject(null, env);
  const worker = createWorker(config, {
    kubeConfig: loadKubeConfig(null, env),
    logging: projectId ? { client: makeLogging(projectId, env), projectId } : null,
    slack: new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl }),
    log,
  });
  await worker.start();
  const stop = async () => {
    log.info({}, 'worker stopping');
    await worker.stop();
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
