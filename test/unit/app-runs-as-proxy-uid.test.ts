import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'app-runs-as-proxy-uid';

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec, status: { phase: 'Running' } };
}

const proxy = { name: 'istio-proxy', securityContext: { runAsUser: 1337 } };

describe('app-runs-as-proxy-uid', () => {
  it('finds a container that runs as 1337 through the pod securityContext', () => {
    const report = diagnoseObjects([
      pod('worker-1', { securityContext: { runAsUser: 1337 }, containers: [{ name: 'worker' }, proxy] }),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.resources).toEqual([{ kind: 'Pod', namespace: 'shop', name: 'worker-1' }]);
    expect(finding?.remediation.steps[0]).toContain("container worker runs as UID 1337 from the pod's securityContext");
  });

  it("finds a container's own runAsUser 1337, even when the pod says another UID", () => {
    const report = diagnoseObjects([
      pod('worker-2', {
        securityContext: { runAsUser: 1000 },
        containers: [{ name: 'worker', securityContext: { runAsUser: 1337 } }, proxy],
      }),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toHaveLength(1);
  });

  it('ignores the proxy itself, a container overriding the pod UID, and pods without a sidecar', () => {
    const report = diagnoseObjects([
      pod('worker-3', {
        securityContext: { runAsUser: 1337 },
        containers: [{ name: 'worker', securityContext: { runAsUser: 1000 } }, proxy],
      }),
      pod('batch-1', { securityContext: { runAsUser: 1337 }, containers: [{ name: 'batch' }] }),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(report.checks.find((c) => c.id === ID)?.status).toBe('ok');
  });

  it('is skipped when no pods were read', () => {
    const report = diagnoseObjects([]);

    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('names the Deployment and the ReplicaSet revision that brought UID 1337', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'ledger', name: 'statement-renderer' }]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps).toContain(
      'UID 1337 arrived with ReplicaSet statement-renderer-84b6cf9d7f (revision 2, created 2026-03-05T08:30:00Z); revision 1 ran as UID 10001.',
    );
    expect(finding?.evidence).toHaveLength(2);
  });
});
