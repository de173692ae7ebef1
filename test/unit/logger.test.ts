import '../../src/report/redact';
import { createLogger } from '../../src/util/logger';

const TOKEN = ['xox', 'b-123456789012-1234567890123-FAKEfakeFAKEfake'].join('');

function lines(level: 'debug' | 'info' = 'debug') {
  const out: string[] = [];
  return { log: createLogger(level, (l) => out.push(l)), out };
}

describe('log lines as Cloud Logging reads them', () => {
  it.each([
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['warn', 'WARNING'],
    ['error', 'ERROR'],
  ] as const)('%s is written with severity %s, an RFC 3339 time and the message under "message"', (level, severity) => {
    const { log, out } = lines();

    log[level]({ job: '42' }, 'diagnosis done');

    const record = JSON.parse(out[0] ?? '{}');
    expect(record).toEqual({
      severity,
      time: expect.any(String),
      logger: 'mesh-doctor',
      job: '42',
      message: 'diagnosis done',
    });
    expect(new Date(record.time).toISOString()).toBe(record.time);
    expect(out[0]?.endsWith('\n')).toBe(true);
  });

  it('writes no level number, msg, pid or hostname that would compete with the severity', () => {
    const { log, out } = lines();

    log.warn({}, 'redis unreachable');

    expect(Object.keys(JSON.parse(out[0] ?? '{}')).sort()).toEqual(['logger', 'message', 'severity', 'time']);
  });
});

describe('logger redaction', () => {
  it('redacts the message and every string of the data, and replaces secret-named fields whole', () => {
    const { log, out } = lines();

    log.error(
      {
        url: 'redis://:hunter2-FAKE@redis:6379',
        password: 'plain',
        nested: { header: `Authorization: Bearer ${TOKEN}`, list: [`token ${TOKEN}`] },
        count: 3,
      },
      `posting with ${TOKEN}`,
    );

    expect(out).toHaveLength(1);
    const record = JSON.parse(out[0] ?? '{}');
    expect(record).toMatchObject({
      severity: 'ERROR',
      logger: 'mesh-doctor',
      message: 'posting with [REDACTED]',
      url: 'redis://:[REDACTED]@redis:6379',
      password: '[REDACTED]',
      nested: { header: 'Authorization: Bearer [REDACTED]', list: ['token [REDACTED]'] },
      count: 3,
    });
    expect(out[0]).not.toContain('hunter2-FAKE');
    expect(out[0]).not.toContain(TOKEN);
  });

  it('keeps the order of fields, dates as written, and operators’ client addresses', () => {
    const { log, out } = lines();

    log.info({ at: new Date('2024-05-14T09:00:00Z'), peer: 'X-Forwarded-For: 203.0.113.9' }, 'request');

    expect(Object.keys(JSON.parse(out[0] ?? '{}'))).toEqual(['severity', 'time', 'logger', 'at', 'peer', 'message']);
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({
      at: '2024-05-14T09:00:00.000Z',
      peer: 'X-Forwarded-For: 203.0.113.9',
    });
  });

  it('writes nothing below its level', () => {
    const { log, out } = lines('info');

    log.debug({ secret: 'x' }, 'hidden');

    expect(out).toEqual([]);
  });
});
