import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { FakeSlackApi } from '../fakes/slack-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { alertmanagerGroup } from '../helpers/alert-payloads';
import { eventually } from '../helpers/bot-harness';
import type { RedisServer } from '../helpers/redis-server';
import { startRedis } from '../helpers/redis-server';

/**
 * Memory of the real bot process (bin/, after `npm run build`) under unauthenticated held-open bodies and
 * a burst of large alert notifications. The bot's Deployment limits it to 256 MiB.
 */
const ROOT = join(__dirname, '..', '..');
const LIMIT_MIB = 256;
const ALERT_TOKEN = 'alert-token-0123456789abcdef0123';

let redis: RedisServer;
let slack: FakeSlackApi;
let bot: ChildProcess;
let url: string;
let port: number;

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Samples the bot's RSS every 20 ms while `work` runs; resolves with the peak. */
async function peakRss(work: () => Promise<void>): Promise<number> {
  let peak = rssMiB(bot.pid as number);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(bot.pid as number))), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMiB(bot.pid as number));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  [redis, slack, port] = await Promise.all([startRedis(), startFakeSlackApi(), freePort()]);
  bot = spawn(process.execPath, [join(ROOT, 'bin', 'mesh-doctor.js'), 'bot'], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: redis.url,
      MESH_QUEUE_PREFIX: '{memory-test}',
      ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
      ALERT_CHANNEL: 'C0ALERTS01',
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  url = `http://127.0.0.1:${port}`;
  await eventually('the bot to be healthy', async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok);
}, 30_000);

afterAll(async () => {
  bot.kill('SIGKILL');
  await slack.close();
  await redis.stop();
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
  const before = rssMiB(bot.pid as number);
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
  const before = rssMiB(bot.pid as number);
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
