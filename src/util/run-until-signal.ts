import { errorFields } from './errors';
import type { Logger } from './logger';

/** Something long-running: started once, stopped gracefully. */
export interface Service {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts a process's service and stops it gracefully on the first SIGTERM or SIGINT (a second signal
 * does not stop it twice). A service that fails to start is stopped, so its connections do not keep
 * the process alive, and the failure is thrown.
 */
export async function runUntilSignal(
  service: Service,
  name: string,
  log: Pick<Logger, 'info' | 'error'>,
): Promise<void> {
  try {
    await service.start();
  } catch (err) {
    await service.stop().catch(() => undefined);
    throw err;
  }
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      log.info({}, `${name} stopping`);
      await service.stop().catch((err: unknown) => log.error(errorFields(err), `${name} did not stop cleanly`));
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
