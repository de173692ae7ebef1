import { Metrics } from '../../src/metrics/registry';
import { slackLogger } from '../../src/slack/slack-logger';
import { createLogger } from '../../src/util/logger';
import { LogLevel } from '@slack/web-api';

describe('a process registry', () => {
  it('has the default process and Node.js metrics beside its own families', async () => {
    const metrics = new Metrics();
    metrics.histogram('mesh_doctor_test_seconds', 'A test histogram', ['phase']).observe({ phase: 'engine' }, 0.2);
    metrics
      .counter('mesh_doctor_test_total', 'A test counter', ['runbook'])
      .inc({ runbook: 'proxy-startup-econnrefused' });

    const text = await metrics.render();

    expect(text).toMatch(/^process_cpu_seconds_total [\d.e-]+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
    expect(text).toContain('# TYPE mesh_doctor_test_seconds histogram');
    expect(text).toContain('mesh_doctor_test_seconds_bucket{le="0.25",phase="engine"} 1');
    expect(text).toContain('mesh_doctor_test_seconds_bucket{le="0.1",phase="engine"} 0');
    expect(text).toContain('mesh_doctor_test_total{runbook="proxy-startup-econnrefused"} 1');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('answers within its deadline when a gauge read hangs, with the last values and their age', async () => {
    let clock = 10_000;
    const metrics = new Metrics(50, () => clock);
    let hang = false;
    let reads = 0;
    metrics.readGauge('mesh_doctor_queue_jobs', 'Jobs by state', ['state'], () => {
      reads++;
      return hang ? new Promise(() => undefined) : Promise.resolve([{ labels: { state: 'waiting' }, value: 3 }]);
    });

    expect(await metrics.render()).toContain('mesh_doctor_queue_jobs{state="waiting"} 3');
    hang = true;
    clock += 12_300;
    const first = await metrics.render();
    const second = await metrics.render();

    expect(first).toContain('mesh_doctor_queue_jobs{state="waiting"} 3');
    expect(first).toContain('mesh_doctor_gauge_age_seconds{gauge="mesh_doctor_queue_jobs"} 12.3');
    expect(second).toContain('mesh_doctor_queue_jobs{state="waiting"} 3');
    expect(reads).toBe(2); // the hanging read is not started again
  });

  it('shows a gauge never read as no series, not as zero', async () => {
    const metrics = new Metrics(20);
    metrics.readGauge('mesh_doctor_alert_intake_jobs', 'Backlog', [], () => Promise.reject(new Error('down')));

    const text = await metrics.render();

    expect(text).toContain('# TYPE mesh_doctor_alert_intake_jobs gauge');
    expect(text).not.toMatch(/^mesh_doctor_alert_intake_jobs /m);
  });
});

describe("Slack's libraries logging through ours", () => {
  function setup(level: LogLevel) {
    const lines: Record<string, unknown>[] = [];
    const log = slackLogger(
      createLogger('debug', (l) => lines.push(JSON.parse(l))),
      level,
    );
    return { lines, log };
  }

  it('writes their messages as structured lines with their name as the source, at their level or above', () => {
    const { lines, log } = setup(LogLevel.WARN);
    log.setName('socket-mode:SocketModeClient:0');

    log.info('Now connected to Slack');
    log.warn('http request failed', 'retrying in', 3, 's');
    log.error('An unhandled error occurred', new Error('boom'));

    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        source: 'socket-mode:SocketModeClient:0',
        message: 'http request failed retrying in 3 s',
      }),
      expect.objectContaining({ severity: 'ERROR', err: 'boom', message: 'An unhandled error occurred' }),
    ]);
  });

  it('follows the level they set', () => {
    const { lines, log } = setup(LogLevel.ERROR);

    log.setLevel(LogLevel.DEBUG);
    log.debug({ url: 'chat.postMessage' });

    expect(log.getLevel()).toBe(LogLevel.DEBUG);
    expect(lines).toEqual([
      expect.objectContaining({ severity: 'DEBUG', detail: { url: 'chat.postMessage' }, message: 'slack' }),
    ]);
  });
});
