import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { WebClient } from '@slack/web-api';
import { loadConfig } from '../src/config/load-config';
import type { Catalog } from '../src/runbooks/catalog';
import type { Logger } from '../src/util/logger';
import type { MeshWorker } from '../src/worker/create-worker';
import { createWorker } from '../src/worker/create-worker';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Sends a message to a child and waits for its next reply. */
export function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

/** The fake Slack Web API in its own process (real Slack is remote); resolves with it and its URL. */
export async function startSlackProcess(): Promise<{ child: ChildProcess; apiUrl: string; stop(): Promise<void> }> {
  const child = fork(join(__dirname, 'ack-slack.js'));
  const { apiUrl } = await new Promise<{ apiUrl: string }>((resolve) =>
    child.once('message', (m) => resolve(m as { apiUrl: string })),
  );
  return {
    child,
    apiUrl,
    stop: () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ cmd: 'stop' });
      return exited;
    },
  };
}

export const BENCH_SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

/** The settings the benchmarks' bot and workers share (as a deployment sets them). */
export function benchEnv(o: { redisUrl: string; prefix: string; slackApiUrl: string }): NodeJS.ProcessEnv {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: o.slackApiUrl,
    REDIS_URL: o.redisUrl,
    MESH_QUEUE_PREFIX: o.prefix,
  };
}

/** Two diagnosis workers (concurrency 2 each) reading the fake cluster, posting to the fake Slack. */
export async function startBenchWorkers(o: {
  env: NodeJS.ProcessEnv;
  catalog: Catalog;
  kubeconfigYaml: string;
  log: Logger;
}): Promise<MeshWorker[]> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(o.kubeconfigYaml);
  const config = loadConfig({ ...o.env, MESH_WORKER_CONCURRENCY: '2' }, 'worker');
  const workers = [0, 1].map(() =>
    createWorker(
      config,
      {
        kubeConfig,
        logging: null,
        slack: new WebClient('xoxb-bench', { slackApiUrl: config.slack.apiUrl }),
        log: o.log,
      },
      {
        host: '127.0.0.1',
        port: 0,
        catalog: o.catalog,
        sinceMs: 20 * 365 * 86_400_000,
        readAsOf: () => Date.parse('2024-05-14T10:00:00Z'),
      },
    ),
  );
  await Promise.all(workers.map((w) => w.start()));
  return workers;
}
