/**
 * bench:alerts — an alert storm: 1,000 Alertmanager notifications for 20 workloads sent within 10 s
 * (every group re-sent, HA duplicates with alerts in another order) from a separate load process to the
 * bot's webhook, with 2 workers diagnosing against the fake Kubernetes API and the fake Slack Web API in
 * its own process answering the first few posts with 429 + Retry-After. Counts the diagnosis jobs and
 * alert threads that result, the ack latency, and 429s that reached mesh-doctor's code unhandled.
 * The last line printed is one JSON object.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { slackListeners } from '../handlers';
import { createBot } from '../src/bot/create-bot';
import { loadConfig } from '../src/config/load-config';
import { createDiagnoseQueue } from '../src/queue/producer';
import { loadCatalog } from '../src/runbooks/catalog';
import { createLogger } from '../src/util/logger';
import { startFakeKubeApi } from '../test/fakes/kube-api';
import { alertStorm } from '../test/helpers/alert-payloads';
import { startRedis } from '../test/helpers/redis-server';
import { ask, benchEnv, percentile, startBenchWorkers, startSlackProcess } from './common';

const ALERTS = 1000;
const WORKLOADS = 20;
const SECONDS = 10;
const TOKEN = 'bench-alert-token-0123456789abcdef';
const CHANNELS = ['C0TEAM0000', 'C0TEAM0001', 'C0TEAM0002', 'C0TEAM0003', 'C0TEAM0004'];
const INJECTED_429 = 5;

async function main(): Promise<void> {
  const slack = await startSlackProcess();
  await ask(slack.child, {
    cmd: 'fault',
    rule: { method: 'chat.postMessage', status: 429, retryAfterSeconds: 1, times: INJECTED_429 },
  });
  const [redisServer, kube] = await Promise.all([
    startRedis(),
    startFakeKubeApi({ snapshotDir: join(__dirname, '..', '..', 'examples', 'proxy-startup-econnrefused') }),
  ]);
  let unhandled429 = 0;
  const log = createLogger('error', (line) => {
    if (/rate.?limit|429/i.test(line)) unhandled429 += 1;
  });
  const catalog = loadCatalog();
  const prefix = '{bench-alerts}';
  const connection = { url: redisServer.url, maxRetriesPerRequest: null };
  const queue = createDiagnoseQueue(connection, prefix);
  const env = {
    ...benchEnv({ redisUrl: redisServer.url, prefix, slackApiUrl: slack.apiUrl }),
    ALERT_WEBHOOK_TOKEN: TOKEN,
    ALERT_CHANNEL: CHANNELS[0],
    MESH_ALERT_ROUTES: CHANNELS.map((channel, i) => `namespace=team-${i}:${channel}`).join(';'),
  };
  const bot = createBot(
    loadConfig(env, 'bot'),
    { slack: new WebClient('xoxb-bench', { slackApiUrl: slack.apiUrl }), log },
    slackListeners,
    { host: '127.0.0.1', port: 0, catalog },
  );
  const url = `http://127.0.0.1:${await bot.start()}`;
  const workers = await startBenchWorkers({ env, catalog, kubeconfigYaml: kube.kubeconfigYaml, log });

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
  const requests = alertStorm(ALERTS, WORKLOADS).map((r) => ({ ...r, headers }));
  const loader = fork(join(__dirname, 'alerts-load.js'));
  const started = Date.now();
  const load = await ask<{ latencies: number[]; statuses: number[] }>(loader, {
    url,
    requests,
    concurrency: 50,
    perSecond: ALERTS / SECONDS,
  });
  const sentWithinMs = Date.now() - started;
  await bot.idle();
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed');
    if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const counts = await queue.getJobCounts('completed', 'failed');
  const jobs = (counts.completed ?? 0) + (counts.failed ?? 0);
  let threads = 0;
  for (const channel of CHANNELS) {
    const { messages } = await ask<{ messages: Array<{ ts: string; thread_ts?: string }> }>(slack.child, {
      cmd: 'messages',
      channel,
    });
    threads += messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts).length;
  }
  const { count: posts } = await ask<{ count: number }>(slack.child, { cmd: 'calls', method: 'chat.postMessage' });

  loader.kill();
  await Promise.all(workers.map((w) => w.stop()));
  await bot.stop();
  await queue.close();
  await Promise.all([slack.stop(), kube.close()]);
  await redisServer.stop();

  const answered = load.statuses.filter((s) => s === 202).length;
  console.log(
    `sent ${ALERTS} notifications in ${(sentWithinMs / 1000).toFixed(1)} s; ${answered} answered 202; ack p50 ${percentile(load.latencies, 50).toFixed(1)} ms; ${posts} chat.postMessage calls (${INJECTED_429} answered 429 first)`,
  );
  console.log(
    JSON.stringify({
      bench: 'alerts',
      alerts: ALERTS,
      jobs,
      threads,
      ack_p99_ms: Math.round(percentile(load.latencies, 99) * 10) / 10,
      unhandled_429: unhandled429,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
