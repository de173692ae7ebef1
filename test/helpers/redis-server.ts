import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

/** A throwaway redis-server on 127.0.0.1, with nothing persisted. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Sends SIGTERM and resolves once the process has exited (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** The executable; default `redis-server` from PATH. */
  binary?: string;
  /** How long to wait for the first PONG; default 10 s. */
  readyTimeoutMs?: number;
  /** More arguments, given the port (a Redis Cluster node names its config file after it). */
  extraArgs?: (port: number) => string[];
  /** The working directory (where a cluster node writes its config file); default the temp dir. */
  dir?: string;
}

export const REDIS_MISSING_MESSAGE =
  "redis-server not found: install Debian's redis-server package (apt-get install redis-server)";

const ATTEMPTS = 3;
const KILL_AFTER_MS = 5000;

/** Starts redis-server on a free port and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, options);
    } catch (err) {
      if (err instanceof Error && err.message === REDIS_MISSING_MESSAGE) throw err;
      lastError = err;
    }
  }
  throw new Error(`redis-server did not start after ${ATTEMPTS} attempts`, { cause: lastError });
}

async function startOn(port: number, options: StartRedisOptions): Promise<RedisServer> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    ...(options.extraArgs?.(port) ?? []),
  ];
  const child = spawn(options.binary ?? 'redis-server', args, {
    cwd: options.dir ?? tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = exitOf(child);
  let running = true;
  void exited.then(() => (running = false));
  const stop = (): Promise<void> => stopProcess(child, exited);
  const failure = exited.then((exit) => {
    if (exit.missing) throw new Error(REDIS_MISSING_MESSAGE);
    throw new Error(`redis-server on port ${port} exited (${exit.code ?? exit.signal}): ${output.join('').trim()}`);
  });
  try {
    await Promise.race([failure, waitForPong(port, options.readyTimeoutMs ?? 10_000, () => running)]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  missing: boolean;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      resolve({ code: null, signal: null, missing: err.code === 'ENOENT' });
    });
    child.once('exit', (code, signal) => resolve({ code, signal, missing: false }));
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<Exit>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}

/** Polls with PING, a fresh connection each time, until the server answers or its process is gone. */
async function waitForPong(port: number, timeoutMs: number, running: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running()) throw new Error(`redis-server on port ${port} is not running`);
    if (await answersPing(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // ioredis 6 arms a 2 s timer on disconnect() that a connection already closed never clears.
    if (client.status !== 'end') client.disconnect();
  }
}
