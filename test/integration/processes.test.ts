import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startFakeKubeApi } from '../fakes/kube-api';
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody, startFakeSlackApi } from '../fakes/slack-api';
import { alertFixture } from '../helpers/alert-payloads';
import { eventually } from '../helpers/bot-harness';
import { startRedis } from '../helpers/redis-server';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const ROOT = join(__dirname, '..', '..');
const BOT_TOKEN = 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const ALERT_TOKEN = 'alert-token-0123456789abcdef0123';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(role: 'bot' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mesh-doctor.js'), role], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', () => undefined);
  return child;
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('the bot and worker processes, configured from the environment: commands, approvals, alerts, metrics, SIGTERM', async () => {
  const [redis, slack, kube, port] = await Promise.all([
    startRedis(),
    startFakeSlackApi(),
    startFakeKubeApi({ snapshotDir: join(ROOT, 'examples', 'proxy-startup-econnrefused') }),
    freePort(),
  ]);
  const dir = tmpSnapshot({});
  const env = {
    PATH: process.env.PATH,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: redis.url,
    KUBECONFIG: kube.writeKubeconfig(dir.dir),
    MESH_QUEUE_PREFIX: '{process-test}',
    MESH_APPROVERS: 'U0LEAD0001',
    ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
    ALERT_CHANNEL: 'C0ALERTS01',
    PORT: String(port),
    LOG_LEVEL: 'error',
    METADATA_SERVER_DETECTION: 'none',
  };
  const bot = start('bot', env);
  const worker = start('worker', env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually('the bot to be ready', async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok);

    const body = slashCommandBody({ text: 'diagnose shop/cart', channel_id: 'C0OPS00001', user_id: 'U0SRE00001' });
    const command = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM_CONTENT_TYPE, ...signSlackRequest(SIGNING_SECRET, body) },
      body,
    });
    const alert = await fetch(`${url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify(alertFixture('alertmanager-firing')),
    });

    expect([command.status, alert.status]).toEqual([200, 202]);
    const root = await eventually('the root message', () =>
      slack.messages('C0OPS00001').find((m) => m.text === 'Diagnosing shop/cart, asked by <@U0SRE00001>'),
    );
    await eventually(
      'the report and a proposal with Approve in the thread',
      () =>
        slack.threadOf(root.ts).some((m) => JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')) &&
        slack.threadOf(root.ts).some((m) => JSON.stringify(m.blocks ?? []).includes('approve_patch')),
      30_000,
    );
    const alertRoot = await eventually('the alert thread', () =>
      slack.messages('C0ALERTS01').find((m) => String(m.text).startsWith('Firing')),
    );
    await eventually('the alert diagnosis', () => slack.threadOf(alertRoot.ts).length > 1, 30_000);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('mesh_doctor_alert_notifications_total{outcome="thread-created"} 1');

    bot.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await Promise.all([exitCode(bot), exitCode(worker)])).toEqual([0, 0]);
  } finally {
    bot.kill('SIGKILL');
    worker.kill('SIGKILL');
    await Promise.all([slack.close(), kube.close()]);
    await redis.stop();
    dir.cleanup();
  }
}, 60_000);
