import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { WebClient } from '@slack/web-api';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisIncidentStore } from '../src/alerts/incident-store';
import { collectLive } from '../src/collect/live/collect-live';
import { makeKubeApis } from '../src/collect/live/kube-apis';
import { redisPostedStore } from '../src/queue/redis-posted-store';
import { slackPoster } from '../src/queue/slack-poster';
import { startDiagnoseWorker } from '../src/queue/start-worker';
import type { Catalog } from '../src/runbooks/catalog';
import type { Logger } from '../src/util/logger';

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

/** Two diagnosis workers (concurrency 2 each) reading the fake cluster, posting to the fake Slack. */
export function startBenchWorkers(o: {
  redisUrl: string;
  redis: Redis;
  prefix: string;
  catalog: Catalog;
  kubeconfigYaml: string;
  slackApiUrl: string;
  log: Logger;
}): Worker[] {
  const kc = new KubeConfig();
  kc.loadFromString(o.kubeconfigYaml);
  const apis = makeKubeApis(kc);
  const { catalog } = o;
  return [0, 1].map(() =>
    startDiagnoseWorker(
      { url: o.redisUrl, maxRetriesPerRequest: null },
      o.prefix,
      {
        catalog,
        collect: (target) =>
          collectLive({ kube: apis, logging: null }, catalog, {
            namespace: target.namespace,
            controlPlaneNamespace: 'istio-system',
            sinceMs: 20 * 365 * 86_400_000,
            nowMs: Date.parse('2024-05-14T10:00:00Z'),
          }),
        poster: slackPoster(new WebClient('xoxb-bench', { slackApiUrl: o.slackApiUrl })),
        posted: redisPostedStore(o.redis),
        keyPrefix: o.prefix,
        incidents: redisIncidentStore(o.redis, o.prefix),
        log: o.log,
      },
      { concurrency: 2, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
    ),
  );
}
