import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { FakeSlackApi } from '../fakes/slack-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { alertmanagerGroup } from '../helpers/alert-payloads';
import { PROCESS_ALERT_TOKEN, startBotProcess } from '../helpers/bot-process';
import type { RedisServer } from '../helpers/redis-server';
import { startRedis } from '../helpers/redis-server';

/**
 * Memory of the real bot process (bin/, after `npm run build`) under unauthenticated held-open bodies and
 * a burst of large alert notifications. The bot's Deployment limits it to 320 MiB; the test holds it to
 * 256 MiB, so the limit keeps a margin over the measured peaks. The process runs with the Deployment's
 * NODE_OPTIONS (its V8 heap bound), as it does in the cluster.
 */
const LIMIT_MIB = 256;
const ALERT_TOKEN = PROCESS_ALERT_TOKEN;

let redis: RedisServer;
let slack: FakeSlackApi;
let bot: Awaited<ReturnType<typeof startBotProcess>>;
let url: string;
let port: number;

/** NODE_OPTIONS of the bot container in deploy/base/bot-deployment.yaml. */
function deploymentNodeOptions(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'deploy', 'base', 'bot-deployment.yaml'), 'utf8');
  const value = parseAllDocuments(text)
    .map(
      (d) =>
        d.toJS() as {
          spec?: { template?: { spec?: { containers?: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
        },
    )
    .flatMap((d) => d.spec?.template?.spec?.containers ?? [])
    .flatMap((c) => c.env ?? [])
    .find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (!value) throw new Error('deploy/base/bot-deployment.yaml sets no NODE_OPTIONS for the bot');
  return value;
}

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Samples the bot's RSS every 20 ms while `work` runs; resolves with the peak. */
async function peakRss(work: () => Promise<void>): Promise<number> {
  let peak = rssMiB(bot.pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(bot.pid))), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMiB(bot.pid));
}

beforeAll(async () => {
  [redis, slack] = await Promise.all([startRedis(), startFakeSlackApi()]);
  bot = await startBotProcess({
    redisUrl: redis.url,
    slackApiUrl: slack.apiUrl,
    prefix: '{memory-test}',
    nodeOptions: deploymentNodeOptions(),
  });
  ({ url, port } = bot);
}, 30_000);

// Whatever beforeAll got to start is stopped, even when it failed half-way (a Redis left running would
// keep the test run from exiting).
afterAll(async () => {
  bot?.kill();
  await slack?.close();
  await redis?.stop();
});

/** A connection that sends `head`, then `body` in pieces, then holds it open; records how it ended. */
function heldOpen(head: string, body: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(head);
  const piece = Buffer.alloc(64 * 1024, 'a');
  for (let sent = 0; sent < body && !socket.destroyed; sent += piece.length) socket.write(piece);
  return { socket, closed, answer: () => answer };
}

test('50 held-open unauthenticated /slack/events bodies: refused at 256 KB or dropped after 5 s, RSS under the limit', async () => {
  const before = rssMiB(bot.pid);
  const conns: ReturnType<typeof heldOpen>[] = [];
  const peak = await peakRss(async () => {
    for (let i = 0; i < 50; i++) {
      // Half declare 4 MB and send most of it; half send chunked bodies without a length; none is signed.
      const head =
        i % 2 === 0
          ? 'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000000\r\n\r\n'
          : 'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n';
      conns.push(heldOpen(head, i % 2 === 0 ? 3_900_000 : 0));
      if (i % 2 === 1) conns[i]?.socket.write(`${(200 * 1024).toString(16)}\r\n${'a'.repeat(200 * 1024)}\r\n`);
    }
    // A small body that never completes is dropped by the request deadline.
    const slow = heldOpen(
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n',
      0,
    );
    const started = Date.now();
    await slow.closed;
    expect(Date.now() - started).toBeLessThan(8_000);
    await Promise.race([Promise.all(conns.map((c) => c.closed)), new Promise((r) => setTimeout(r, 8_000))]);
  });
  for (const c of conns) c.socket.destroy();
  console.log(`held-open /slack/events: RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB`);
  expect(conns.filter((c) => c.answer().startsWith('HTTP/1.1 413')).length).toBeGreaterThanOrEqual(25);
  expect(peak).toBeLessThan(LIMIT_MIB);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
}, 30_000);

/** An Alertmanager notification of about 0.8 MB: 60 alerts of 200 labels each (12,000 labels). */
function largeAlert(): string {
  const group = alertmanagerGroup('shop', 'cart') as { alerts: Array<{ labels: Record<string, string> }> };
  const [first] = group.alerts;
  group.alerts = Array.from({ length: 60 }, (_, a) => ({
    ...first,
    labels: {
      ...first?.labels,
      ...Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [`label_${i}`, `value-${a}-${i}-abcdefghijklmnopqrstuvwxyz-0123456789`]),
      ),
    },
  })) as typeof group.alerts;
  return JSON.stringify(group);
}

test('150 large alert notifications at once: the byte budget answers the excess 429, every one is accepted on retry, RSS under the limit', async () => {
  const body = largeAlert();
  expect(body.length).toBeGreaterThan(700_000);
  expect(body.length).toBeLessThan(1024 * 1024);
  const before = rssMiB(bot.pid);
  const statuses: number[] = [];
  const send = async (): Promise<void> => {
    for (;;) {
      const response = await fetch(`${url}/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
        body,
      });
      statuses.push(response.status);
      if (response.status !== 429) return;
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
    }
  };
  const peak = await peakRss(async () => {
    await Promise.all(Array.from({ length: 150 }, send));
  });
  console.log(
    `150 alerts of ${(body.length / 1e6).toFixed(2)} MB: RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB; ${statuses.filter((s) => s === 429).length} answers 429`,
  );
  expect(statuses.filter((s) => s === 202)).toHaveLength(150);
  expect(statuses.filter((s) => s !== 202 && s !== 429)).toEqual([]);
  expect(statuses).toContain(429);
  expect(peak).toBeLessThan(LIMIT_MIB);
}, 90_000);
