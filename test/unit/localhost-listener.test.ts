import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'localhost-listener';

function pod(running: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'render-1', namespace: 'reports', labels: { app: 'render' } },
    spec: { containers: [{ name: 'render' }, { name: 'istio-proxy' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'render',
          state: running
            ? { running: { startedAt: '2026-03-06T15:00:00Z' } }
            : { waiting: { reason: 'CrashLoopBackOff' } },
        },
        { name: 'istio-proxy', state: { running: { startedAt: '2026-03-06T15:00:00Z' } } },
      ],
    },
  };
}

function line(cluster: string): Record<string, unknown> {
  return logEntry(
    '2026-03-06T15:04:10.105Z',
    'reports',
    'render-1',
    'istio-proxy',
    `[2026-03-06T15:04:10.105Z] "POST /render HTTP/1.1" 503 UF upstream_reset_before_response_started{remote_connection_failure,delayed_connect_error:_Connection_refused} - "-" 0 145 0 - "-" "node-fetch" "0f6c2a1e-7d3b-4f7e-9a51-3b2d1c0e9f88" "render.reports:3000" "10.0.0.14:3000" ${cluster} - 10.0.0.14:3000 10.0.0.11:43100 outbound_.3000_._.render.reports.svc.cluster.local default`,
  );
}

const found = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

describe('localhost-listener', () => {
  it('reports inbound 503 UF in the server sidecar while the application runs', () => {
    const findings = found([pod(true)], [line('inbound|3000||'), line('inbound|3000||')]);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.resources).toEqual([{ kind: 'Pod', namespace: 'reports', name: 'render-1' }]);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.remediation.steps[1]).toContain(
      'could not connect to port 3000 of its own pod while render ran',
    );
  });

  it('ignores outbound UF and inbound UF while the application is not running', () => {
    expect(found([pod(true)], [line('outbound|3000||render.reports.svc.cluster.local')])).toEqual([]);
    expect(found([pod(false)], [line('inbound|3000||')])).toEqual([]);
  });

  it('is skipped without logs', () => {
    const report = diagnoseObjects([pod(true)]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('names the Deployment of the example', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'reports', name: 'pdf-render' }]);
    expect(finding?.remediation.steps[0]).toMatch(/^5 request\(s\) answered 503 UF/);
  });
});
