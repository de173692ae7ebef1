import { spawnSync } from 'node:child_process';
import { REDIS_MISSING_MESSAGE } from './helpers/redis-server';

/**
 * Before any test: the queue and store tests start their own throwaway redis-server, so without one on
 * PATH the run stops here with what to install, instead of failing test by test and waiting on the
 * servers those tests had already started.
 */
export default function globalSetup(): void {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(`${REDIS_MISSING_MESSAGE}; .ci/run installs it when it is missing`);
  }
}
