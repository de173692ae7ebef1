import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { createDiagnoseQueue, enqueueDiagnosis } from '../../src/queue/producer';
import { createRemediationQueue, enqueueRemediation } from '../../src/queue/remediation-queue';
import { redisAuditLog } from '../../src/remediation/audit';
import { redisProposalStore } from '../../src/remediation/proposal-store';
import { rollbackPlan } from '../../src/remediation/touched-fields';
import { createLogger } from '../../src/util/logger';
import type { KubeObject } from '../fakes/kube-api';
import { startFakeKubeApi } from '../fakes/kube-api';
import { startFakeSlackApi } from '../fakes/slack-api';
import { eventually } from '../helpers/bot-harness';
import { ID, spec } from '../helpers/memory-remediation';
import { startRedis } from '../helpers/redis-server';
import { tmpSnapshot } from '../helpers/tmp-snapshot';
import { freePort } from '../helpers/free-port';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'xoxb-1234567890-1234567890123-abcdefghijklmnopqrstuvwx';
const ANNOTATION = 'proxy.istio.io/config';
const BEFORE = '{"terminationDrainDuration":"20s"}';
const APPLIED = '{"holdApplicationUntilProxyStarts":true}';
const LOCK_SECONDS = 5;

/** A worker process, its operations endpoints on a free port. */
async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return spawn(process.execPath, [join(ROOT, 'bin', 'mesh-doctor.js'), 'worker'], {
    env: { ...env, WORKER_PORT: String(await freePort()) },
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

    const first = await startWorker(env);
    workers.push(first);
    await eventually(
      'the first worker to post its progress message and start reading',
      () =>
        slack.threadOf(root.ts ?? '').length === 2 &&
        kube.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods'),
    );
    first.kill('SIGKILL');
    await exited(first);
    const second = await startWorker(env);
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

/** shop/cart with `annotation` as its proxy config. */
function cartWith(original: KubeObject, annotation: string): KubeObject {
  const cart = structuredClone(original) as KubeObject & { spec: { template: { metadata: Record<string, unknown> } } };
  delete (cart.metadata as Record<string, unknown>).resourceVersion;
  cart.spec.template.metadata.annotations = { [ANNOTATION]: annotation };
  return cart;
}

test('a worker killed mid-rollback: the next worker takes the job over within the remediation lock, finds the rollback landed and records it as rolled back', async () => {
  const [redisServer, slack, kube] = await Promise.all([
    startRedis(),
    startFakeSlackApi(),
    startFakeKubeApi({ snapshotDir: join(ROOT, 'examples', 'proxy-startup-econnrefused') }),
  ]);
  const dir = tmpSnapshot({});
  const prefix = '{rollback-crash-test}';
  const redis = new Redis(redisServer.url);
  const queue = createRemediationQueue({ url: redisServer.url }, prefix);
  const proposals = redisProposalStore(redis, prefix);
  const audit = redisAuditLog(
    redis,
    prefix,
    createLogger('error', () => undefined),
  );
  const workers: ChildProcess[] = [];
  try {
    // An applied proposal whose rollback U0ROLLBACK1 asked for: the cluster holds the applied value.
    const original = kube.get('Deployment', 'shop', 'cart') as KubeObject;
    kube.put(cartWith(original, BEFORE));
    const before = kube.get('Deployment', 'shop', 'cart') as KubeObject;
    const proposal = spec();
    kube.put(cartWith(original, APPLIED));
    await proposals.create(proposal);
    await proposals.move(ID, 'proposed', 'approved', { approvedBy: 'U0APPROVER', approvedAt: proposal.createdAt });
    await proposals.move(ID, 'approved', 'applying');
    await proposals.note(ID, { rollback: JSON.stringify(rollbackPlan(proposal.patch, before)) });
    await proposals.move(ID, 'applying', 'applied');
    await proposals.move(ID, 'applied', 'rolling-back', { rolledBackBy: 'U0ROLLBACK1' });
    // The rollback write is held long enough to kill the worker that sent it; it lands all the same.
    kube.faults.add({ method: 'PATCH', path: /^[^?]*\/deployments\/cart(?!.*dryRun=All)/, delayMs: 2_000, times: 1 });
    await enqueueRemediation(queue, { action: 'rollback', proposalId: ID });

    const env = {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: redisServer.url,
      KUBECONFIG: kube.writeKubeconfig(dir.dir),
      MESH_QUEUE_PREFIX: prefix,
      MESH_APPROVERS: 'U0APPROVER,U0ROLLBACK1',
      MESH_REMEDIATION_LOCK_SECONDS: String(LOCK_SECONDS),
      LOG_LEVEL: 'error',
      METADATA_SERVER_DETECTION: 'none',
    };
    const first = await startWorker(env);
    workers.push(first);
    await eventually('the first worker to send the rollback write', () =>
      kube.requests.some(
        (r) => r.method === 'PATCH' && r.path.endsWith('/deployments/cart') && r.query.dryRun !== 'All',
      ),
    );
    first.kill('SIGKILL');
    await exited(first);
    const killedAt = Date.now();
    const second = await startWorker(env);
    workers.push(second);

    const done = await eventually(
      'the rollback to be recorded',
      async () => ((await proposals.get(ID))?.state === 'rolled-back' ? proposals.get(ID) : undefined),
      30_000,
    );

    // Taken over after about the remediation lock, not a fixed two minutes.
    expect(Date.now() - killedAt).toBeLessThan(3 * LOCK_SECONDS * 1000);
    expect(done?.result).toBe('Previous values restored.');
    const cart = kube.get('Deployment', 'shop', 'cart') as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(cart.spec.template.metadata.annotations[ANNOTATION]).toBe(BEFORE);
    const writes = kube.requests.filter(
      (r) => r.method === 'PATCH' && r.path.endsWith('/deployments/cart') && r.query.dryRun !== 'All',
    );
    expect(writes).toHaveLength(1);
    const entries = (await audit.latest(20)).filter((e) => e.proposal === ID);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([['rolled-back', 'U0ROLLBACK1']]);
    expect(entries[0]?.detail).toBe('previous values found restored after a worker restart');
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map(exited));
    await queue.close();
    redis.disconnect();
    await Promise.all([slack.close(), kube.close()]);
    await redisServer.stop();
    dir.cleanup();
  }
}, 60_000);
