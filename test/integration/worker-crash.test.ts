import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { createDiagnoseQueue, enqueueDiagnosis } from '../../src/queue/producer';
import { startFakeKubeApi } from '../fakes/kube-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { eventually } from '../helpers/bot-harness';
import { startRedis } from '../helpers/redis-server';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx';

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin', 'mesh-doctor.js'), 'worker'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

test('a worker killed mid-job: the job completes on a second worker and exactly one report is posted', async () => {
  const [redis, slack, kube] = await Promise.all([
    startRedis(),
    startFakeSlackApi(),
    startFakeKubeApi({ snapshotDir: join(ROOT, 'examples', 'proxy-startup-econnrefused') }),
  ]);
  const dir = tmpSnapshot({});
  const prefix = '{crash-test}';
  const queue = createDiagnoseQueue({ url: redis.url }, prefix);
  const workers: ChildProcess[] = [];
  try {
    const env = {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: redis.url,
      KUBECONFIG: kube.writeKubeconfig(dir.dir),
      MESH_QUEUE_PREFIX: prefix,
      MESH_JOB_LOCK_SECONDS: '2',
      LOG_LEVEL: 'error',
      METADATA_SERVER_DETECTION: 'none',
    };
    const root = await new WebClient(TOKEN, { slackApiUrl: slack.apiUrl }).chat.postMessage({
      channel: 'C0OPS',
      text: 'Diagnosing shop/cart, asked by <@U0SRE>',
    });
    kube.faults.add({ path: '/api/v1/namespaces/shop/pods', delayMs: 10_000, times: 1 });
    const { jobId } = await enqueueDiagnosis(queue, {
      target: { namespace: 'shop', workload: 'cart' },
      scope: 'all',
      requestedBy: 'U0SRE',
      channel: 'C0OPS',
      threadTs: root.ts ?? '',
      requestKey: 'crash-1',
    });

    const first = startWorker(env);
    workers.push(first);
    await eventually(
      'the first worker to post its progress message and start reading',
      () =>
        slack.threadOf(root.ts ?? '').length === 2 &&
        kube.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods'),
    );
    first.kill('SIGKILL');
    await exited(first);
    const second = startWorker(env);
    workers.push(second);
    const job = await eventually(
      'the job to complete on the second worker',
      async () => ((await queue.getJob(jobId))?.finishedOn ? queue.getJob(jobId) : undefined),
      30_000,
    );

    expect(job?.returnvalue).toMatchObject({ findings: expect.arrayContaining(['proxy-startup-econnrefused']) });
    const thread = slack.threadOf(root.ts ?? '');
    expect(thread).toHaveLength(2);
    expect(JSON.stringify(thread[1]?.blocks)).toContain('proxy-startup-econnrefused');
    expect(slack.calls('chat.postMessage').filter((c) => c.body.thread_ts === root.ts)).toHaveLength(1);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map(exited));
    await queue.close();
    await Promise.all([slack.close(), kube.close()]);
    await redis.stop();
    dir.cleanup();
  }
}, 60_000);
