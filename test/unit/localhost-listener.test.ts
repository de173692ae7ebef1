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

  it("reports an application's loopback listener on a port a Service targets as a warning until requests fail", () => {
    const withPorts = pod(true) as KubeObject & { spec: { containers: Record<string, unknown>[] } };
    withPorts.spec.containers[0] = { name: 'render', ports: [{ name: 'http', containerPort: 3000 }] };
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'render', namespace: 'reports' },
      spec: { selector: { app: 'render' }, ports: [{ name: 'http-render', port: 80, targetPort: 'http' }] },
    };
    const says = (text: string) => logEntry('2026-03-06T15:00:01Z', 'reports', 'render-1', 'render', text);

    const [quiet] = found([withPorts, service], [says('Server listening on 127.0.0.1:3000')]);
    const both = found([withPorts, service], [says('Server listening on 127.0.0.1:3000'), line('inbound|3000||')]);
    const adminPort = found([withPorts, service], [says('admin listening on 127.0.0.1:9901')]);
    const noService = found([withPorts], [says('Server listening on 127.0.0.1:3000')]);

    expect(quiet?.severity).toBe('warning');
    expect(quiet?.resources).toEqual([
      { kind: 'Pod', namespace: 'reports', name: 'render-1' },
      { kind: 'Service', namespace: 'reports', name: 'render' },
    ]);
    expect(quiet?.remediation.steps.join('\n')).toContain(
      'says it listens on a loopback address, port 3000, which Service reports/render port 80 sends traffic to',
    );
    expect(quiet?.remediation.steps.join('\n')).toMatch(/Lower severity: no failing requests seen/);
    expect(both).toHaveLength(1);
    expect(both[0]?.severity).toBe('critical');
    expect(adminPort).toEqual([]);
    expect(noService).toEqual([]);
  });

  it('is skipped without logs', () => {
    const report = diagnoseObjects([pod(true)]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('names the Deployment of the example', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'reports', name: 'pdf-render' },
      { kind: 'Service', namespace: 'reports', name: 'pdf-render' },
    ]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.remediation.steps[0]).toMatch(/^5 request\(s\) answered 503 UF/);
    expect(finding?.evidence.map((e) => e.text)).toContainEqual(expect.stringContaining('listening on localhost:3000'));
  });
});
