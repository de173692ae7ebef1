import type { Check } from '../../src/diagnosis/evidence';
import { notInstalledDetail } from '../../src/diagnosis/evidence';
import { checkCounts, foldChecks, notableChecks } from '../../src/report/checks-summary';
import { renderJson } from '../../src/report/json';
import { renderText } from '../../src/report/text';

const absent = (kind: string, crd: string): Check => ({
  id: `read:${crd.split('.')[0]}`,
  status: 'skipped',
  detail: notInstalledDetail(kind, crd),
});

const checks: Check[] = [
  { id: 'read:pods', status: 'ok', detail: '12 pods' },
  absent('HTTPRoute', 'httproutes.gateway.networking.k8s.io'),
  { id: 'read:secrets', status: 'skipped', detail: 'secrets not readable (optional permission)' },
  absent('ControlPlaneRevision', 'controlplanerevisions.mesh.cloud.google.com'),
  { id: 'read:events', status: 'error', detail: 'timed out' },
];

describe('checks as people read them', () => {
  it('folds the reads of absent custom kinds into one line where the first was, keeping the others', () => {
    expect(foldChecks(checks).map((c) => c.id)).toEqual([
      'read:pods',
      'read:absent-kinds',
      'read:secrets',
      'read:events',
    ]);
    expect(foldChecks(checks)[1]?.detail).toBe(
      'not installed (no CRD), nothing to read: HTTPRoute, ControlPlaneRevision',
    );
    expect(notableChecks(checks).map((c) => c.status)).toEqual(['skipped', 'skipped', 'error']);
  });

  it('leaves a single absent kind as it is, and counts every check', () => {
    const one = checks.slice(0, 3);

    expect(foldChecks(one)).toEqual(one);
    expect(checkCounts(checks)).toBe('Checks: 1 ok, 3 skipped, 1 error');
  });

  it('folds in the text report but not in the JSON report', () => {
    const report = { target: { namespace: null, workload: null }, findings: [], checks };

    expect(renderText(report)).toContain('skipped read:absent-kinds: not installed (no CRD)');
    expect(renderText(report)).not.toContain('HTTPRoute is not installed');
    expect(renderJson(report)).toContain('HTTPRoute is not installed');
  });

  it('lists a few skipped checks one by one, and many in one line after the errors and reads', () => {
    const many: Check[] = [
      ...checks,
      ...['gateway-port-not-exposed', 'authz-policy-mismatch', 'sidecar-resource-conflict'].map((id): Check => ({
        id,
        status: 'skipped',
        detail: `${id} had nothing read`,
      })),
    ];

    const notable = notableChecks(many);

    expect(notable.map((c) => c.id)).toEqual(['read:events', 'read:absent-kinds', 'read:secrets', 'skipped']);
    expect(notable.at(-1)?.detail).toBe(
      '3 checks had nothing to look at (what they read was not captured or is not installed): gateway-port-not-exposed, authz-policy-mismatch, sidecar-resource-conflict',
    );
  });
});
