import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startFakeKubeApi } from '../fakes/kube-api';
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody, startFakeSlackApi } from '../fakes/slack-api';
import { alertFixture } from '../helpers/alert-payloads';
import { eventually } from '../helpers/bot-harness';
import { startRedis } from '../helpers/redis-server';
import { tmpSnapshot } from '../helpers/tmp-snapshot';
import { freePort } from '../helpers/free-port';

const ROOT = join(__dirname, '..', '..');
const BOT_TOKEN = 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const ALERT_TOKEN = 'alert-token-0123456789abcdef0123';

interface Started {
  child: ChildProcess;
  /** Every line the process wrote to stdout, parsed (a line that is not JSON fails the test). */
  lines: Record<string, unknown>[];
  stderr: string[];
}

function start(role: 'bot' | 'worker', env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mesh-doctor.js'), role], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: Started = { child, lines: [], stderr: [] };
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) started.lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => started.stderr.push(chunk.toString('utf8')));
  return started;
}

/** A histogram family's bucket, sum and count lines are all in the exposition. */
function histogram(text: string, name: string): boolean {
  return (
    ['_bucket{', '_sum', '_count'].every((part) => text.includes(`${name}${part}`)) &&
    text.includes(`# TYPE ${name} histogram`)
  );
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
  const workerPort = await freePort();
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
    WORKER_PORT: String(workerPort),
    LOG_LEVEL: 'info',
    METADATA_SERVER_DETECTION: 'none',
  };
  const botProcess = start('bot', env);
  const workerProcess = start('worker', env);
  const [bot, worker] = [botProcess.child, workerProcess.child];
  const url = `http://127.0.0.1:${port}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  try {
    await eventually('the bot to be ready', async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok);
    // Ready once it announced its cluster, which the bot routes by.
    await eventually('the worker to be ready', async () => (await fetch(`${workerUrl}/readyz`).catch(() => null))?.ok);

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
      slack.messages('C0OPS00001').find((m) => m.text === 'Diagnosing shop/cart in fake, asked by <@U0SRE00001>'),
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
    expect(histogram(metrics, 'mesh_doctor_command_ack_seconds')).toBe(true);
    expect(metrics).toMatch(/^mesh_doctor_command_ack_seconds_count\{kind="command"\} [1-9]/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+/m);

    // The worker serves its own operations endpoints: alive, ready (Redis and its cluster), metrics.
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${workerUrl}/readyz`)).json()).toMatchObject({ status: 'ok' });
    const workerMetrics = await (await fetch(`${workerUrl}/metrics`)).text();
    for (const name of [
      'mesh_doctor_diagnosis_duration_seconds',
      'mesh_doctor_api_call_duration_seconds',
      'mesh_doctor_remediation_step_duration_seconds',
    ])
      expect(histogram(workerMetrics, name)).toBe(true);
    expect(workerMetrics).toMatch(
      /^mesh_doctor_diagnosis_duration_seconds_count\{cluster="fake",phase="kubernetes"\} [1-9]/m,
    );
    expect(workerMetrics).toMatch(
      /^mesh_doctor_diagnosis_duration_seconds_count\{cluster="fake",phase="engine"\} [1-9]/m,
    );
    expect(workerMetrics).toMatch(
      /^mesh_doctor_api_call_duration_seconds_count\{cluster="fake",source="kubernetes",outcome="ok"\} [1-9]/m,
    );
    expect(workerMetrics).toMatch(
      /^mesh_doctor_findings_total\{cluster="fake",runbook="proxy-startup-econnrefused"\} [1-9]/m,
    );
    expect(workerMetrics).toMatch(/^process_cpu_seconds_total [\d.e-]+/m);

    // The image's HEALTHCHECK script finds each process's liveness endpoint from the same settings.
    const healthcheck = (role: string) =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, [join(ROOT, 'bin', 'healthcheck.js'), role], { env, stdio: 'ignore' }).once(
          'exit',
          resolve,
        ),
      );
    expect(await Promise.all([healthcheck('bot'), healthcheck('worker')])).toEqual([0, 0]);

    // Both write one JSON line per record to stdout, as GKE's logging agent reads them.
    for (const { lines, stderr } of [botProcess, workerProcess]) {
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toMatchObject({ severity: expect.stringMatching(/^(DEBUG|INFO|WARNING|ERROR)$/) });
        expect(typeof line.message).toBe('string');
        expect(new Date(String(line.time)).toISOString()).toBe(line.time);
        expect(line).not.toHaveProperty('level');
        expect(line).not.toHaveProperty('msg');
      }
      expect(stderr.join('')).toBe('');
    }
    expect(botProcess.lines).toContainEqual(expect.objectContaining({ severity: 'INFO', message: 'bot started' }));
    expect(workerProcess.lines).toContainEqual(
      expect.objectContaining({ severity: 'INFO', message: 'worker started', port: workerPort }),
    );
    const done = workerProcess.lines.filter((l) => l.message === 'diagnosis done');
    expect(done).toContainEqual(
      expect.objectContaining({
        severity: 'INFO',
        target: 'shop/cart',
        cluster: expect.any(String),
        durationMs: expect.any(Number),
        findings: expect.arrayContaining(['proxy-startup-econnrefused']),
        calls: { kubernetes: expect.any(Number), 'cloud-logging': 0 },
      }),
    );
    expect(done.length).toBe(2); // the command's and the alert's

    bot.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await Promise.all([exitCode(bot), exitCode(worker)])).toEqual([0, 0]);
    expect(await Promise.all([healthcheck('bot'), healthcheck('worker')])).toEqual([1, 1]);
  } finally {
    bot.kill('SIGKILL');
    worker.kill('SIGKILL');
    await Promise.all([slack.close(), kube.close()]);
    await redis.stop();
    dir.cleanup();
  }
}, 60_000);
