import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './bot-harness';
import { freePort } from './free-port';

export const PROCESS_ALERT_TOKEN = 'alert-token-0123456789abcdef0123';
export const PROCESS_ALERT_CHANNEL = 'C0ALERTS01';

/**
 * `mesh-doctor bot` as a process (bin/, after `npm run build`), with alerts on, against the given Redis
 * and Slack Web API; resolves once /readyz answers 200 (Redis reachable).
 */
export async function startBotProcess(o: {
  redisUrl: string;
  slackApiUrl: string;
  prefix: string;
  nodeOptions?: string;
}) {
  const port = await freePort();
  const bot: ChildProcess = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'mesh-doctor.js'), 'bot'], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      SLACK_API_URL: o.slackApiUrl,
      REDIS_URL: o.redisUrl,
      MESH_QUEUE_PREFIX: o.prefix,
      ALERT_WEBHOOK_TOKEN: PROCESS_ALERT_TOKEN,
      ALERT_CHANNEL: PROCESS_ALERT_CHANNEL,
      PORT: String(port),
      LOG_LEVEL: 'error',
      ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually('the bot to be ready', async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok);
  return { url, port, pid: bot.pid as number, kill: () => bot.kill('SIGKILL') };
}
