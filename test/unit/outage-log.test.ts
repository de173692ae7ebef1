import { createLogger } from '../../src/util/logger';
import { outageLog } from '../../src/util/outage-log';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('debug', (l) => lines.push(JSON.parse(l)));
  let clock = 1_000;
  let counted = 0;
  const outage = outageLog(
    log,
    'redis',
    () => counted++,
    () => clock,
  );
  return { lines, outage, log, tick: (ms: number) => (clock += ms), counted: () => counted };
}

const REFUSED = new Error('connect ECONNREFUSED 127.0.0.1:6390');

describe('a Redis outage in the log', () => {
  it('is one line when it starts and one when it ends, however many clients retry in between', () => {
    const { lines, outage, tick, counted } = setup();

    for (let i = 0; i < 40; i++) {
      outage.error(REFUSED);
      tick(250);
    }
    expect(outage.down).toBe(true);
    outage.ready();

    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        connection: 'redis',
        err: 'connect ECONNREFUSED 127.0.0.1:6390',
        message: 'redis unreachable; retrying quietly until it answers',
      }),
      expect.objectContaining({ severity: 'WARNING', errors: 40, downMs: 10_000, message: 'redis reachable again' }),
    ]);
    expect(counted()).toBe(40);
    expect(outage.down).toBe(false);
  });

  it('starts a new outage after a recovery, and says nothing on a ready without one', () => {
    const { lines, outage } = setup();

    outage.ready();
    outage.error(REFUSED);
    outage.ready();
    outage.error(new Error('read ECONNRESET'));

    expect(lines.map((l) => l.message)).toEqual([
      'redis unreachable; retrying quietly until it answers',
      'redis reachable again',
      'redis unreachable; retrying quietly until it answers',
    ]);
  });

  it('logs errors that are not about the connection each time', () => {
    const { lines, outage } = setup();

    outage.error(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    outage.error(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));

    expect(lines).toHaveLength(2);
    expect(outage.down).toBe(false);
  });

  it('quiets a client logger: connection errors join the outage, other lines pass through', () => {
    const { lines, outage, log } = setup();
    const quiet = outage.quiet(log);

    quiet.error({ err: 'connect ECONNREFUSED 127.0.0.1:6390' }, 'worker error');
    quiet.error({ err: 'Connection is closed.' }, 'queue error');
    quiet.error({ job: '7', err: 'Missing lock for job 7. moveToFinished' }, 'diagnosis job failed');
    outage.ready();
    quiet.error({ job: '8', err: 'Missing lock for job 8. moveToFinished' }, 'diagnosis job failed');
    quiet.info({ port: 3001 }, 'worker started');

    expect(lines.map((l) => l.message)).toEqual([
      'redis unreachable; retrying quietly until it answers',
      'redis reachable again',
      'diagnosis job failed',
      'worker started',
    ]);
    expect(lines[1]).toMatchObject({ errors: 3 });
  });
});
