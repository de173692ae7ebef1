import { formatDuration } from '../../src/util/time';

describe('durations for people', () => {
  it.each([
    [0.4, '0 ms'],
    [850, '850 ms'],
    [7_820, '7.8 s'],
    [42_400, '42 s'],
    [250_000, '4 min 10 s'],
    [600_000, '10 min'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 05 min'],
    [7_200_000, '2 h'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 days 4 h'],
    [150 * 86_400_000, '5 months'],
    // The line that once read "last 22987h01m before the newest evidence".
    [22_987 * 3_600_000 + 60_000, '2.6 years'],
    [-1_500, '1.5 s'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
