import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { RedisServer } from '../helpers/redis-server';
import { REDIS_MISSING_MESSAGE, startRedis } from '../helpers/redis-server';

const started: RedisServer[] = [];

async function start(): Promise<RedisServer> {
  const server = await startRedis();
  started.push(server);
  return server;
}

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } finally {
    if (client.status !== 'end') client.disconnect();
  }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe('startRedis', () => {
  it('starts a server that answers, and stops it', async () => {
    const server = await start();

    const answer = await ping(server.url);
    await server.stop();

    expect(answer).toBe('PONG');
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.port).not.toBe(6379);
    await expect(ping(server.url)).rejects.toThrow();
  });

  it('gives a second server another port, with its own data', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    const a = new Redis(first.url);
    const b = new Redis(second.url);

    await a.set('key', 'first');
    const seen = await b.get('key');
    await Promise.all([a.quit(), b.quit()]);

    expect(second.port).not.toBe(first.port);
    expect(seen).toBeNull();
  });

  it('stops more than once without complaint', async () => {
    const server = await start();

    await Promise.all([server.stop(), server.stop()]);

    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('says what to install when redis-server is missing', async () => {
    const attempt = startRedis({ binary: 'redis-server-not-installed-here' });

    await expect(attempt).rejects.toThrow(REDIS_MISSING_MESSAGE);
    expect(REDIS_MISSING_MESSAGE).toBe(
      "redis-server not found: install Debian's redis-server package (apt-get install redis-server)",
    );
  });
});

describe('the test run without redis-server', () => {
  it('stops at once saying what to install, instead of failing test by test and hanging', () => {
    const bin = mkdtempSync(join(tmpdir(), 'mesh-doctor-no-redis-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const jest = join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js');
    const result = spawnSync(process.execPath, [jest, 'test/unit/time.test.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: { PATH: bin, HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("redis-server not found: install Debian's redis-server package");
  });
});
