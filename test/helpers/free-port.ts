import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Redis's default port, which the machine's own Redis may hold: never handed out. */
const DEFAULT_REDIS_PORT = 6379;

/** A port the OS says is free on 127.0.0.1 (never Redis's default), for a server a test starts. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (port !== DEFAULT_REDIS_PORT) return port;
  }
}
