import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterOptions } from 'ioredis';
import { Cluster } from 'ioredis';
import type { RedisServer } from './redis-server';
import { startRedis } from './redis-server';

/**
 * True in the test run whose stores and queues use a Redis Cluster (the `redis-cluster` project of
 * jest.config.js sets MESH_TEST_REDIS=cluster for the files it runs again).
 */
export function onRedisCluster(): boolean {
  return process.env.MESH_TEST_REDIS === 'cluster';
}

/** A throwaway three-master Redis Cluster on 127.0.0.1 (no replicas), nothing persisted. */
export interface RedisClusterServer {
  nodes: { host: string; port: number }[];
  /** A client to it (ioredis Cluster) with these options; the caller quits it. */
  client(options?: ClusterOptions): Cluster;
  stop(): Promise<void>;
}

/**
 * Starts three `redis-server --cluster-enabled yes` on free ports, joins them with `redis-cli --cluster
 * create`, and waits until every node says `cluster_state:ok`.
 */
export async function startRedisCluster(): Promise<RedisClusterServer> {
  const dir = mkdtempSync(join(tmpdir(), 'md-redis-cluster-'));
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startRedis({
          dir,
          extraArgs: (port) => ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
        }),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await promisify(execFile)('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await clusterOk(servers.map((s) => s.port));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  return {
    nodes,
    client: (options = {}) => new Cluster(nodes, { enableReadyCheck: true, ...options }),
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every node reports the cluster healthy (slots assigned and agreed). */
async function clusterOk(ports: number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      ports.map(async (port) => {
        const { stdout } = await promisify(execFile)('redis-cli', ['-p', String(port), 'cluster', 'info']);
        return /cluster_state:ok/.test(stdout);
      }),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not reach cluster_state:ok');
    await new Promise((r) => setTimeout(r, 100));
  }
}
