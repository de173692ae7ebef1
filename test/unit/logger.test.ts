import '../../src/report/redact';
import { createLogger } from '../../src/util/logger';

const TOKEN = ['xox', 'b-123456789012-1234567890123-FAKEfakeFAKEfake'].join('');

function lines(level: 'debug' | 'info' = 'debug') {
  const out: string[] = [];
  return { log: createLogger(level, (l) => out.push(l)), out };
}

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
      level: 'error',
      name: 'mesh-doctor',
      msg: 'posting with [REDACTED]',
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

    expect(Object.keys(JSON.parse(out[0] ?? '{}'))).toEqual(['time', 'level', 'name', 'msg', 'at', 'peer']);
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
