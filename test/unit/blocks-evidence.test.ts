import type { EvidenceItem, Finding } from '../../src/diagnosis/evidence';
import { evidenceBlocks } from '../../src/report/blocks-evidence';
import { inTimeOrder, offsetText, slackDate, utcText, withSlackDates, withUtcTimes } from '../../src/report/slack-time';

function finding(evidence: EvidenceItem[]): Finding {
  return {
    runbook: 'proxy-startup-econnrefused',
    title: 'T',
    severity: 'critical',
    confidence: 0.9,
    resources: [],
    evidence,
    remediation: { steps: [], patches: [] },
  };
}

const log = (timestamp: string | null, text: string): EvidenceItem => ({ source: 'log', timestamp, text });
const textOf = (f: Finding, cap = 3000) => {
  const { blocks } = evidenceBlocks(f, 'e', cap);
  const [b] = blocks;
  return b?.type === 'section' ? b.text.text : '';
};

describe('times for people in Slack', () => {
  it("writes a date token that renders in the reader's time zone, with the UTC time as fallback", () => {
    expect(slackDate('2024-05-14T09:11:52.710142951Z')).toBe(
      '<!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14 09:11:52 UTC>',
    );
    expect(slackDate('not a time|<x>')).toBe('not a timex');
    expect(utcText(Date.parse('2024-05-14T09:11:52.710142951Z'), 'ms')).toBe('2024-05-14 09:11:52.710 UTC');
  });

  it('turns times in prose into tokens (or UTC to the millisecond) and leaves other numbers alone', () => {
    const prose =
      'refused at 2024-05-14T09:11:52.710142951Z, ready at 2024-05-14T09:11:59Z; 10.4.2.17:8080 build 2024-05-14';
    expect(withSlackDates(prose)).toBe(
      'refused at <!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14 09:11:52.710 UTC>, ready at <!date^1715677919^{date_short_pretty} {time_secs}|2024-05-14 09:11:59 UTC>; 10.4.2.17:8080 build 2024-05-14',
    );
    expect(withUtcTimes(prose)).toBe(
      'refused at 2024-05-14 09:11:52.710 UTC, ready at 2024-05-14 09:11:59 UTC; 10.4.2.17:8080 build 2024-05-14',
    );
  });

  it('says offsets to the millisecond at most, and in minutes or hours when they are long', () => {
    expect(offsetText(710.142951)).toBe('+0.710 s');
    expect(offsetText(12_449)).toBe('+12.4 s');
    expect(offsetText(123_000)).toBe('+2 min 03 s');
    expect(offsetText(3_900_000)).toBe('+1 h 05 min');
    expect(offsetText(-500)).toBe('−0.500 s');
  });

  it('orders evidence by time, stable for equal times, with object state after', () => {
    const items = [
      log('2024-05-14T09:00:02Z', 'c'),
      { source: 'object' as const, timestamp: null, text: 'state' },
      log('2024-05-14T09:00:01.5Z', 'b1'),
      log('2024-05-14T09:00:01.500000000Z', 'b2'),
      log('2024-05-14T09:00:00Z', 'a'),
    ];
    expect(inTimeOrder(items).map((i) => i.item.text)).toEqual(['a', 'b1', 'b2', 'c', 'state']);
  });
});

describe('evidence blocks', () => {
  it('shows evidence that unfolds within minutes as a timeline of offsets from its start', () => {
    const text = textOf(
      finding([
        log('2024-05-14T09:11:52.710142951Z', 'first application error: connect ECONNREFUSED'),
        { source: 'event', timestamp: '2024-05-14T09:11:52Z', text: 'Started container istio-proxy' },
        log('2024-05-14T09:11:59.200121964Z', 'Envoy proxy is ready'),
        { source: 'object', timestamp: null, text: 'Deployment shop/cart: no holdApplicationUntilProxyStarts' },
      ]),
    );
    expect(text).toContain(
      '*Timeline* from <!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14 09:11:52 UTC>',
    );
    const lines = text.split('\n');
    expect(lines.findIndex((l) => l.startsWith('+0.000 s    event  Started container istio-proxy'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('+0.710 s    log    first application error')),
    );
    expect(text).toContain('+7.200 s    log    Envoy proxy is ready');
    expect(text).toContain('• _state when read_ · `Deployment shop/cart: no holdApplicationUntilProxyStarts`');
    expect(text).not.toMatch(/\d\.\d{4,} s/);
    expect(text).not.toContain('no time');
  });

  it('lists evidence spread over hours with a date token each and offsets from the first', () => {
    const text = textOf(
      finding([log('2024-05-14T12:00:00Z', 'later'), log('2024-05-14T09:00:00Z', 'earlier with `backticks` and <b>')]),
    );
    expect(text.split('\n')).toEqual([
      '*Evidence*',
      '• <!date^1715677200^{date_short_pretty} {time_secs}|2024-05-14 09:00:00 UTC> · log · `earlier with ʼbackticksʼ and &lt;b&gt;`',
      '• <!date^1715688000^{date_short_pretty} {time_secs}|2024-05-14 12:00:00 UTC> (+3 h 00 min) · log · `later`',
    ]);
  });

  it('stays within the section size with long evidence, and says what it left out', () => {
    const many = Array.from({ length: 9 }, (_, i) => log(`2024-05-14T09:00:0${i}Z`, 'x'.repeat(5_000)));
    const { blocks, cut } = evidenceBlocks(finding(many), 'e', 1_000);
    const [b] = blocks;
    expect(b?.type === 'section' && b.text.text.length).toBeLessThanOrEqual(1_000);
    expect(cut).toBe(true);
    expect(b?.type === 'section' && b.text.text).toContain('4 more evidence lines in the attached report');
  });
});
