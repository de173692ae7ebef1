import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

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

  it('is critical with the BlackHoleCluster requests of the workloads it scopes, and ignores those of other workloads', () => {
    const blocked = (pod: string, at: string) =>
      logEntry(
        at,
        'shop',
        pod,
        'istio-proxy',
        `[${at}] "GET /quote HTTP/1.1" 502 - direct_response - "-" 0 0 0 - "-" "curl/8.9.1" "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b" "rates.fx.svc.cluster.local:8080" "-" - - 10.96.3.4:8080 10.52.1.2:40000 - block_all`,
      );
    const tcp = logEntry(
      '2026-02-02T10:00:09Z',
      'shop',
      'api-1',
      'istio-proxy',
      '[2026-02-02T10:00:09.000Z] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" BlackHoleCluster - 198.51.100.9:5432 10.52.1.2:51000 - -',
    );
    const objects = [
      pod('shop', 'api-1', { app: 'api', tier: 'backend' }),
      pod('shop', 'web-1', { app: 'web', tier: 'frontend' }),
      sidecar('shop', 'api', '2026-01-01T00:00:00Z', { app: 'api' }),
      sidecar('shop', 'backend', '2026-01-02T00:00:00Z', { tier: 'backend' }),
    ];

    const live = diagnoseObjects(objects, [
      blocked('api-1', '2026-02-02T10:00:00Z'),
      blocked('api-1', '2026-02-02T10:00:05Z'),
      tcp,
    ]).findings.find((f) => f.runbook === ID);
    const elsewhere = diagnoseObjects(objects, [blocked('web-1', '2026-02-02T10:00:00Z')]).findings.find(
      (f) => f.runbook === ID,
    );

    expect(live?.severity).toBe('critical');
    const steps = live?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('2 request(s) answered 502 - (route block_all, authority rates.fx.svc.cluster.local:8080)');
    expect(steps).toContain('1 request(s) answered 0 UH (cluster BlackHoleCluster)');
    expect(steps).not.toMatch(/Lower severity/);
    expect(live?.evidence.filter((e) => e.source === 'log')).toHaveLength(2);
    expect(elsewhere?.severity).toBe('warning');
    expect(elsewhere?.remediation.steps.join('\n')).toMatch(/Lower severity/);
  });

  it('does not match selectors when pods were not read, and is skipped without Sidecars', () => {
    const withoutPods = diagnoseObjects([sidecar('shop', 'gone', '2026-01-01T00:00:00Z', { app: 'retired' })]);
    const withoutSidecars = diagnoseObjects([pod('shop', 'web-1', { app: 'web' })]);

    expect(withoutPods.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(withoutSidecars.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('finds the three problems of the example, the one blocking requests first', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(
      findings.map((f) => [f.severity, f.resources.filter((r) => r.kind === 'Sidecar').map((r) => r.name)]),
    ).toEqual([
      ['critical', ['payment-client', 'backend-tier']],
      ['warning', ['default', 'egress-lockdown']],
      ['info', ['fraud-scorer']],
    ]);
    expect(findings[0]?.remediation.steps).toContainEqual(
      expect.stringMatching(/^9 request\(s\) answered 502 - \(route block_all, authority ledger\.payments/),
    );
  });
});
