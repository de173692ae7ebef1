import type { ClusterPresence } from '../../src/pipeline/clusters';
import { LIVE_MS, chooseCluster, isLive, servedName } from '../../src/pipeline/clusters';
import { redisClusterRegistry } from '../../src/store/cluster-registry';
import { useTestRedis } from '../helpers/test-redis';

const NOW = 1_800_000_000_000;

function presence(cluster: string, agoMs: number): ClusterPresence {
  return { cluster, workers: [{ id: `w-${cluster}`, lastSeenMs: NOW - agoMs }], lastSeenMs: NOW - agoMs };
}

describe('choosing the cluster of a request', () => {
  const both = [presence('prod-eu', 1_000), presence('staging', 5_000)];

  it('takes the cluster the request names when a worker serves it', () => {
    expect(chooseCluster('staging', 'prod-eu', both, NOW)).toEqual({ kind: 'cluster', cluster: 'staging' });
  });

  it('takes the only cluster served, whatever the channel default', () => {
    expect(chooseCluster(null, 'prod-eu', [presence('staging', 0)], NOW)).toEqual({
      kind: 'cluster',
      cluster: 'staging',
    });
  });

  it('routes a cluster known by several names to the one a live worker serves, else to its first name', () => {
    const context = 'gke_acme-shop-prod_europe-west1_shop-prod-eu';
    const names = ['shop-prod-eu', context];

    expect(servedName(names, [presence(context, 1_000), ...both], NOW)).toBe(context);
    expect(servedName(names, [presence(context, LIVE_MS + 1), presence('shop-prod-eu', 1_000)], NOW)).toBe(
      'shop-prod-eu',
    );
    expect(servedName(names, both, NOW)).toBe('shop-prod-eu');
  });

  it("falls back to the channel's default, else asks with the clusters served", () => {
    expect(chooseCluster(null, 'prod-eu', both, NOW)).toEqual({ kind: 'cluster', cluster: 'prod-eu' });
    expect(chooseCluster(null, undefined, both, NOW)).toEqual({ kind: 'ask', clusters: ['prod-eu', 'staging'] });
  });

  it('refuses at once a cluster whose workers were last seen too long ago, or never', () => {
    const stale = [presence('prod-eu', LIVE_MS + 1), presence('staging', 0)];

    expect(chooseCluster('prod-eu', undefined, stale, NOW)).toEqual({
      kind: 'unserved',
      cluster: 'prod-eu',
      lastSeenMs: NOW - LIVE_MS - 1,
      served: ['staging'],
    });
    expect(chooseCluster('prod-us', undefined, stale, NOW)).toMatchObject({ kind: 'unserved', lastSeenMs: null });
    expect(chooseCluster(null, undefined, [], NOW)).toEqual({ kind: 'none' });
  });
});

describe('the Redis cluster registry', () => {
  const test = useTestRedis();

  it('lists each cluster with its workers, newest first; a stopped worker no longer serves, its time kept', async () => {
    const { redis } = test;
    const registry = redisClusterRegistry(redis, '{registry-test}', () => NOW);

    await registry.announce('worker-a', ['prod-eu', 'arn:aws:eks:eu-west-1:1:cluster/x'], NOW - 2_000);
    await registry.announce('worker-b', ['prod-eu'], NOW - 1_000);
    await registry.announce('worker-a', ['prod-eu', 'arn:aws:eks:eu-west-1:1:cluster/x'], NOW - 500);

    expect(await registry.list()).toEqual([
      {
        cluster: 'arn:aws:eks:eu-west-1:1:cluster/x',
        workers: [{ id: 'worker-a', lastSeenMs: NOW - 500 }],
        lastSeenMs: NOW - 500,
      },
      {
        cluster: 'prod-eu',
        workers: [
          { id: 'worker-a', lastSeenMs: NOW - 500 },
          { id: 'worker-b', lastSeenMs: NOW - 1_000 },
        ],
        lastSeenMs: NOW - 500,
      },
    ]);

    await registry.withdraw('worker-a', ['prod-eu', 'arn:aws:eks:eu-west-1:1:cluster/x']);
    const after = await registry.list();
    expect(after.map((p) => [p.cluster, isLive(p, NOW)])).toEqual([
      ['arn:aws:eks:eu-west-1:1:cluster/x', false],
      ['prod-eu', true],
    ]);
    expect(after[0]?.workers).toEqual([{ id: 'worker-a', lastSeenMs: NOW, stopped: true }]);
    // It starts again: served again, the stopped entry replaced.
    await registry.announce('worker-a', ['arn:aws:eks:eu-west-1:1:cluster/x'], NOW + 100);
    expect((await registry.list()).find((p) => p.cluster.startsWith('arn'))?.workers).toEqual([
      { id: 'worker-a', lastSeenMs: NOW + 100 },
    ]);
    expect(await test.keys('*')).toEqual(['{registry-test}:clusters']);
  });
});
