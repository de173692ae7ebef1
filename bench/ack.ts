/**
 * bench:ack — how fast the bot acknowledges slash commands, against a bare Bolt app whose command only
 * acks: 500 signed commands, 50 at a time, to each, sent from a separate load process over loopback.
 * Both are first warmed up at the same concurrency (so connections are open, as with Slack's), then
 * measured in 5 alternating rounds of 100 so that drift on a shared machine hits both alike; the bot's
 * follow-ups finish before each bare round starts. The fake Slack Web API runs in its own process too
 * (real Slack is remote). Then end-to-end latency from command to report in the thread, with 2
 * workers. The last line printed is one JSON object.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { slackListeners } from '../handlers';
import { createBot } from '../src/bot/create-bot';
import { loadConfig } from '../src/config/load-config';
import { createDiagnoseQueue } from '../src/queue/producer';
import { loadCatalog } from '../src/runbooks/catalog';
import { createLogger } from '../src/util/logger';
import { startFakeKubeApi } from '../test/fakes/kube-api';
import { startRedis } from '../test/helpers/redis-server';
import { ask, BENCH_SIGNING_SECRET, benchEnv, percentile, startBenchWorkers, startSlackProcess } from './common';

const SECRET = BENCH_SIGNING_SECRET;
const COMMANDS = 500;
const CONCURRENCY = 50;
const ROUNDS = 5;
const E2E_COMMANDS = 40;

interface PostedMessage {
  ts: string;
  text?: string;
  thread_ts?: string;
  blocks?: unknown;
}

/** Latencies of `count` commands sent `concurrency` at a time, measured in the load process. */
async function load(
  loader: ChildProcess,
  url: string,
  label: string,
  count: number,
  concurrency: number,
  text?: string,
): Promise<number[]> {
  const reply = await ask<{ latencies?: number[]; error?: string }>(loader, {
    text,
    url,
    label,
    count,
    concurrency,
    secret: SECRET,
  });
  if (!reply.latencies) throw new Error(reply.error ?? 'load failed');
  return reply.latencies;
}

async function main(): Promise<void> {
  const slackFake = await startSlackProcess();
  const { apiUrl, child: slackProcess } = slackFake;
  const [redisServer, kube] = await Promise.all([
    startRedis(),
    startFakeKubeApi({ snapshotDir: join(__dirname, '..', '..', 'examples', 'proxy-startup-econnrefused') }),
  ]);
  const catalog = loadCatalog();
  const log = createLogger('error', () => undefined);
  const prefix = '{bench-ack}';
  const queue = createDiagnoseQueue({ url: redisServer.url }, prefix);
  const env = benchEnv({ redisUrl: redisServer.url, prefix, slackApiUrl: apiUrl });
  const config = loadConfig(env, 'bot');
  const { botToken: TOKEN } = config.slack;
  const bot = createBot(config, { slack: new WebClient(TOKEN, { slackApiUrl: apiUrl }), log }, slackListeners, {
    host: '127.0.0.1',
    port: 0,
    catalog,
  });
  const bare = new App({
    token: TOKEN,
    receiver: new HTTPReceiver({ signingSecret: SECRET }),
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: LogLevel.ERROR,
  });
  bare.command('/mesh', async ({ ack }) => {
    await ack();
  });
  const botUrl = `http://127.0.0.1:${await bot.start()}`;
  const bareServer = (await bare.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

  const loader = fork(join(__dirname, 'ack-load.js'));
  await load(loader, botUrl, 'warm-bot', 200, CONCURRENCY);
  await bot.idle();
  await load(loader, bareUrl, 'warm-bare', 200, CONCURRENCY);
  // Alternate rounds so that drift on a shared machine (other processes, CPU frequency) hits both alike.
  const botLatencies: number[] = [];
  const bareLatencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    botLatencies.push(...(await load(loader, botUrl, `bot-${round}`, COMMANDS / ROUNDS, CONCURRENCY)));
    await bot.idle();
    bareLatencies.push(...(await load(loader, bareUrl, `bare-${round}`, COMMANDS / ROUNDS, CONCURRENCY)));
  }
  await queue.obliterate({ force: true });

  const workers = await startBenchWorkers({ env, catalog, kubeconfigYaml: kube.kubeconfigYaml, log });
  const e2e: number[] = [];
  for (let i = 0; i < E2E_COMMANDS; i++) {
    const started = performance.now();
    await load(loader, botUrl, `e2e-${i}`, 1, 1, 'diagnose shop/cart');
    for (;;) {
      const all = (await ask<{ messages: PostedMessage[] }>(slackProcess, { cmd: 'messages', channel: 'C0BENCH' }))
        .messages;
      const roots = all.filter((m) => String(m.text).startsWith('Diagnosing shop/cart'));
      const root = roots.at(-1);
      const reported = all.some(
        (m) =>
          m.thread_ts === root?.ts &&
          m.ts !== root?.ts &&
          JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused'),
      );
      if (roots.length === i + 1 && reported) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    e2e.push(performance.now() - started);
  }

  loader.kill();
  await Promise.all(workers.map((w) => w.stop()));
  await bot.stop();
  bareServer.closeAllConnections();
  await bare.stop();
  await queue.close();
  await Promise.all([slackFake.stop(), kube.close()]);
  await redisServer.stop();

  const p99 = percentile(botLatencies, 99);
  const bareP99 = percentile(bareLatencies, 99);
  console.log(
    `acks: bot p50 ${percentile(botLatencies, 50).toFixed(1)} ms, bare Bolt p50 ${percentile(bareLatencies, 50).toFixed(1)} ms; end to end over ${E2E_COMMANDS} commands`,
  );
  console.log(
    JSON.stringify({
      bench: 'ack',
      p50_ms: Math.round(percentile(botLatencies, 50) * 10) / 10,
      p99_ms: Math.round(p99 * 10) / 10,
      bare_p99_ms: Math.round(bareP99 * 10) / 10,
      ratio: Math.round((p99 / bareP99) * 100) / 100,
      e2e_p50_ms: Math.round(percentile(e2e, 50)),
      e2e_p99_ms: Math.round(percentile(e2e, 99)),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
