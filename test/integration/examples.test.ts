import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseDir } from '../helpers/diagnose-dir';

const ROOT = join(__dirname, '..', '..');
const EXPECTED = join(ROOT, 'test', 'fixtures', 'expected');

interface Expectation {
  snapshot: string;
  expect: { runbook: string; resource: { kind: string; namespace: string | null; name: string } }[];
  forbid: string[];
  why: string;
}

const cases = readdirSync(EXPECTED)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(EXPECTED, f), 'utf8')) as Expectation] as const);

describe('example and near-miss snapshots', () => {
  it('has a positive example and a near-miss for every runbook', () => {
    const names = new Set(cases.map(([name]) => name));
    const runbooks = readdirSync(join(ROOT, 'runbooks')).map((f) => f.replace(/\.yaml$/, ''));

    const missing = runbooks.filter((id) => !names.has(id) || !names.has(`near-miss-${id}`));

    expect(missing).toEqual([]);
    expect(names.has('healthy-mesh')).toBe(true);
  });

  it.each(cases)('%s', async (_name, expectation) => {
    const report = await diagnoseDir(join(ROOT, expectation.snapshot));

    for (const { runbook, resource } of expectation.expect) {
      const findings = report.findings.filter((f) => f.runbook === runbook);
      expect({ runbook, found: findings.length > 0 }).toEqual({ runbook, found: true });
      expect(findings.flatMap((f) => f.resources)).toContainEqual(resource);
    }
    const fired = report.findings.map((f) => f.runbook);
    const forbidden = expectation.forbid.includes('*') ? fired : fired.filter((id) => expectation.forbid.includes(id));
    expect(forbidden).toEqual([]);
    for (const finding of report.findings) {
      expect(finding.evidence.length).toBeLessThanOrEqual(5);
      expect(finding.confidence).toBeGreaterThan(0);
      expect(finding.confidence).toBeLessThanOrEqual(1);
    }
  });
});
