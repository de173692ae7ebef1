import { LogMatcher } from '../../src/collect/log-matcher';

const matcher = new LogMatcher([
  { id: 'refused', pattern: 'connect: connection refused|ECONNREFUSED' },
  { id: 'uc', pattern: '" 503 UC ' },
  { id: 'spanning', pattern: 'alpha[^"]*omega' },
]);

describe('LogMatcher', () => {
  it('labels a line with every signature it matches', () => {
    expect(matcher.match('x "GET / HTTP/1.1" 503 UC upstream ... ECONNREFUSED')).toEqual(['refused', 'uc']);
    expect(matcher.match('all fine')).toEqual([]);
  });

  it('scans a block and reports only whole matching lines', () => {
    const block = [
      'ok one',
      'Error: connect ECONNREFUSED 10.0.0.1:6379',
      'ok two',
      '"GET / HTTP/1.1" 503 UC x',
      'last ok',
    ].join('\n');
    const seen: [string, string[]][] = [];

    matcher.scan(block, (line, ids) => seen.push([line, ids]));

    expect(seen).toEqual([
      ['Error: connect ECONNREFUSED 10.0.0.1:6379', ['refused']],
      ['"GET / HTTP/1.1" 503 UC x', ['uc']],
    ]);
  });

  it('does not report a match that only exists across a line break, and still finds the next line', () => {
    const block = 'alpha begins here\nomega ends here\nalpha and omega together\r\n';

    const seen: string[] = [];
    matcher.scan(block, (line) => seen.push(line));

    expect(seen).toEqual(['alpha and omega together']);
    expect(matcher.countMatches(block)).toBe(1);
  });
});
