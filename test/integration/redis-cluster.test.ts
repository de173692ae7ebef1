import type { Cluster } from 'ioredis';
import { redisIncidentStore } from '../../src/alerts/incident-store';
import type { DiagnoseRequest } from '../../src/pipeline/request';
import { startDiagnoseWorker } from '../../src/queue/diagnose-worker';
import { DIAGNOSE_QUEUE, clusterQueue } from '../../src/queue/jobs';
import { createDiagnoseQueue, enqueueDiagnosis } from '../../src/queue/producer';
import { redisAuditLog } from '../../src/remediation/audit';
import { redisProposalStore } from '../../src/remediation/proposal-store';
import { redisClaims } from '../../src/store/claims';
import { redisClusterRegistry } from '../../src/store/cluster-registry';
import { redisInventory } from '../../src/store/inventory';
import { redisPostedStore } from '../../src/store/posted-store';
import { createLogger } from '../../src/util/logger';
import { eventually, startBotHarness } from '../helpers/bot-harness';
import { ID, spec } from '../helpers/memory-remediation';
import type { RedisClusterServer } from '../helpers/redis-cluster';
import { startRedisCluster } from '../helpers/redis-cluster';

// The stores and queues on a three-master Redis Cluster (as on Memorystore Cluster): every key of one
// prefix carries its {hash tag}, so multi-key commands, transactions and scripts stay in one slot.
const PREFIX = '{md-cluster-test}';
let server: RedisClusterServer;
let redis: Cluster;

beforeAll(async () => {
  server = await startRedisCluster();
  redis = server.client();
}, 60_000);

afterAll(async () => {
  await redis?.quit().catch(() => undefined);
  await server?.stop();
});

const log = createLogger('error', () => undefined);

describe('on a Redis Cluster', () => {
  it('runs every store, all keys of the prefix in one slot', async () => {
    const claim = redisClaims(redis, PREFIX);
    const posted = redisPostedStore(redis);
    const inventory = redisInventory(redis, PREFIX, 'prod-eu');
    const registry = redisClusterRegistry(redis, PREFIX);
    const proposals = redisProposalStore(redis, PREFIX);
    const audit = redisAuditLog(redis, PREFIX, log);
    const incidents = redisIncidentStore(redis, PREFIX);

    expect([await claim('slash:t-1'), await claim('slash:t-1')]).toEqual([true, false]);
    expect(await posted.setIfAbsent(`${PREFIX}:posted:r-1`, '1.0', 60)).toBe(true);
    expect(await posted.get(`${PREFIX}:posted:r-1`)).toBe('1.0');
    await inventory.record({ namespaces: ['shop'], workloads: new Map([['shop', ['cart']]]) }, 1_000);
    expect((await inventory.read()).namespaces?.names).toEqual(['shop']);
    await registry.announce('w-1', ['prod-eu', 'staging'], Date.now());
    expect((await registry.list()).map((p) => p.cluster).sort()).toEqual(['prod-eu', 'staging']);
    await proposals.create(spec({ cluster: 'prod-eu' }));
    expect(await proposals.move(ID, 'proposed', 'approved', { approvedBy: 'U0LEAD' })).toBe(true);
    expect(await proposals.move(ID, 'proposed', 'approved', { approvedBy: 'U0OTHER' })).toBe(false);
    expect((await proposals.get(ID))?.state).toBe('approved');
    await audit.record({
      action: 'approved',
      proposal: ID,
      actor: 'U0LEAD',
      target: 'x',
      detail: '',
      cluster: 'prod-eu',
    });
    expect((await audit.latest(1))[0]).toMatchObject({ action: 'approved', cluster: 'prod-eu' });
    expect(await incidents.claimThread('am:1')).toBe(true);
    await incidents.saveThread('am:1', 'C0ALERTS01', '1.1');
    expect((await incidents.get('am:1'))?.channel).toBe('C0ALERTS01');

    const keys = (await Promise.all(redis.nodes('master').map((node) => node.keys('*')))).flat();
    expect(keys.length).toBeGreaterThan(5);
    const slots = new Set(await Promise.all(keys.map((k) => redis.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
  });

  it("queues a diagnosis on a cluster's queue and a worker takes it, over the Cluster client", async () => {
    const name = clusterQueue(DIAGNOSE_QUEUE, 'prod-eu');
    const queue = createDiagnoseQueue(redis, PREFIX, name);
    const seen: DiagnoseRequest[] = [];
    // A worker's blocking connection must not give up on a request (BullMQ's production guide).
    const connection = server.client({ redisOptions: { maxRetriesPerRequest: null } });
    const worker = startDiagnoseWorker(
      connection,
      PREFIX,
      async (request) => {
        seen.push(request);
        return { findings: [] };
      },
      log,
      { concurrency: 1, lockDurationMs: 5_000, stalledIntervalMs: 5_000 },
      name,
    );
    try {
      const request: DiagnoseRequest = {
        target: { namespace: 'shop', workload: 'cart' },
        cluster: 'prod-eu',
        scope: 'all',
        requestedBy: 'U0SRE',
        channel: 'C0OPS',
        threadTs: '1.0',
        requestKey: 'cluster-1',
      };
      expect(await enqueueDiagnosis(queue, request)).toMatchObject({ queued: true });
      expect(await enqueueDiagnosis(queue, request)).toMatchObject({ queued: false });
      await eventually('the job done', () => (seen.length > 0 ? seen : undefined));
      expect(seen).toEqual([request]);
    } finally {
      await worker.close();
      await queue.close();
      await connection.quit().catch(() => undefined);
    }
  });
});

describe('the bot and a worker on a Redis Cluster (REDIS_CLUSTER=true)', () => {
  it('answers /mesh, queues, diagnoses, proposes and applies an approved patch', async () => {
    const harness = await startBotHarness(undefined, undefined, {
      redisCluster: true,
      approvals: { users: ['U0LEAD0001'] },
    });
    try {
      await harness.slash('diagnose shop/cart', { channel: 'C0OPS00001' });
      const root = await eventually('the root message', () =>
        harness.slack.messages('C0OPS00001').find((m) => String(m.text).startsWith('Diagnosing shop/cart')),
      );
      await eventually('the report', () =>
        harness.slack
          .threadOf(root.ts)
          .find((m) => m.ts !== root.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')),
      );
      const id = await eventually('the proposal', async () => {
        const entry = (await harness.audit.latest(5)).find((e) => e.action === 'proposed');
        const p = entry ? await harness.proposals.get(entry.proposal) : null;
        return p?.messageTs ? p : undefined;
      });
      await harness.click('approve_patch', id.id, 'U0LEAD0001', id.channel, id.messageTs ?? '', {
        threadTs: id.threadTs,
      });
      await eventually('applied', async () => (await harness.proposals.get(id.id))?.state === 'applied' || undefined);
    } finally {
      await harness.stop();
    }
  }, 60_000);
});
