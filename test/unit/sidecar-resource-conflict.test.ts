import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'sidecar-resource-conflict';

function sidecar(namespace: string, name: string, created: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name, namespace, creationTimestamp: created },
    spec: { ...(labels ? { workloadSelector: { labels } } : {}), egress: [{ hosts: ['./*'] }] },
  };
}

function pod(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app' }, { name: 'istio-proxy' }] },
    status: { phase: 'Running' },
  };
}

describe('sidecar-resource-conflict', () => {
  it('reports two namespace-wide Sidecars in one namespace, naming the newest and the workloads they scope', () => {
    const report = diagnoseObjects([
      pod('shop', 'web-1', { app: 'web' }),
      sidecar('shop', 'a', '2026-01-01T00:00:00Z'),
      sidecar('shop', 'b', '2026-02-01T00:00:00Z'),
      sidecar('other', 'c', '2026-02-01T00:00:00Z'),
    ]);

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resources).toEqual([
      { kind: 'Sidecar', namespace: 'shop', name: 'a' },
      { kind: 'Sidecar', namespace: 'shop', name: 'b' },
      { kind: 'Pod', namespace: 'shop', name: 'web-1' },
    ]);
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.remediation.steps).toContain(
      'The newest of them, Sidecar b, was created at 2026-02-01T00:00:00Z.',
    );
  });

  it('reports selecting Sidecars that match the same pod, and not those that match different pods', () => {
    const report = diagnoseObjects([
      pod('shop', 'api-1', { app: 'api', tier: 'backend' }),
      pod('shop', 'web-1', { app: 'web', tier: 'frontend' }),
      sidecar('shop', 'api', '2026-01-01T00:00:00Z', { app: 'api' }),
      sidecar('shop', 'backend', '2026-01-02T00:00:00Z', { tier: 'backend' }),
      sidecar('shop', 'web', '2026-01-03T00:00:00Z', { app: 'web' }),
    ]);

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings.map((f) => f.resources.map((r) => r.name))).toEqual([['api', 'backend', 'api-1']]);
  });

  it('reports a selector matching no pod as information, and says no failing requests were seen', () => {
    const report = diagnoseObjects([
      pod('shop', 'web-1', { app: 'web' }),
      sidecar('shop', 'gone', '2026-01-01T00:00:00Z', { app: 'retired' }),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('info');
    expect(finding?.remediation.steps.join('\n')).toMatch(/Lower severity: no (failing requests seen|logs were read)/);
  });

  it('does not match selectors when pods were not read, and is skipped without Sidecars', () => {
    const withoutPods = diagnoseObjects([sidecar('shop', 'gone', '2026-01-01T00:00:00Z', { app: 'retired' })]);
    const withoutSidecars = diagnoseObjects([pod('shop', 'web-1', { app: 'web' })]);

    expect(withoutPods.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(withoutSidecars.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('finds the three problems of the example', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(
      findings.map((f) => [f.severity, f.resources.filter((r) => r.kind === 'Sidecar').map((r) => r.name)]),
    ).toEqual([
      ['warning', ['default', 'egress-lockdown']],
      ['warning', ['payment-client', 'backend-tier']],
      ['info', ['fraud-scorer']],
    ]);
  });
});
