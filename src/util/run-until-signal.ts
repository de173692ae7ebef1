import type { Logger } from './logger';

/** Something long-running: started once, stopped gracefully. */
export interface Service {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts a process's service and stops it gracefully on the first SIGTERM or SIGINT. */
export async function runUntilSignal(service: Service, name: string, log: Pick<Logger, 'info'>): Promise<void> {
  await service.start();
  const stop = async () => {
    log.info({}, `${name} stopping`);
    await service.stop();
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
