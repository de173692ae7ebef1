import { WebClient } from '@slack/web-api';
import { loadKubeConfig, makeLogging, resolveProject } from './collect/live/clients';
import type { ConfigSources } from './config/load-config';
import { loadConfig } from './config/load-config';
import { SLACK_LEVEL, slackLogger } from './slack/slack-logger';
import { createLogger } from './util/logger';
import { runUntilSignal } from './util/run-until-signal';
import { createWorker } from './worker/create-worker';

/**
 * The worker process: its configuration (the environment, over a .env file) and clients, then
 * `createWorker`. Run as many as needed. On SIGTERM it finishes its current jobs, then closes Redis.
 */
export async function startWorker(env: NodeJS.ProcessEnv, sources: ConfigSources = {}): Promise<void> {
  const config = loadConfig(env, 'worker', sources);
  const log = createLogger(config.logLevel);
  const projectId = resolveProject(null, config.google);
  // MESH_CLUSTERS: each context served under its name; a context not in the kubeconfig stops the start.
  const clusters = config.clusters.contexts.map((name) => ({
    name,
    kubeConfig: loadKubeConfig(name, config.kube.kubeconfig),
  }));
  const worker = createWorker(config, {
    kubeConfig: clusters[0]?.kubeConfig ?? loadKubeConfig(null, config.kube.kubeconfig),
    ...(clusters.length > 0 ? { clusters } : {}),
    logging: projectId ? { client: makeLogging(projectId, config.google), projectId } : null,
    slack: new WebClient(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      logger: slackLogger(log, SLACK_LEVEL[config.logLevel]),
    }),
    log,
  });
  await runUntilSignal(worker, 'worker', log);
}
