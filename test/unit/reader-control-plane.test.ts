import { join } from 'node:path';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import { startFakeKubeApi } from '../fakes/kube-api';
import { catalog, matcher } from '../helpers/diagnose-dir';
import { diagnoseLive } from '../helpers/live';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'webhook-no-endpoints');

describe('a live diagnosis of the control-plane namespace', () => {
  it('sees the FailedCreate events its webhook caused in other namespaces, as the offline diagnosis does', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: EXAMPLE });
    try {
      const evidence = await loadSnapshot(EXAMPLE, matcher);
      const offline = diagnose(evidence, catalog, { target: { namespace: 'istio-system', workload: null } });

      const live = await diagnoseLive(kube, null, { namespace: 'istio-system', nowMs: Date.parse(evidence.now ?? '') });

      const named = (findings: typeof offline.findings) =>
        findings.map((f) => [f.runbook, f.resources.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)]);
      expect(named(offline.findings)).toContainEqual([
        'webhook-no-endpoints',
        expect.arrayContaining(['Deployment/orders/order-processor']),
      ]);
      expect(named(live.findings)).toEqual(named(offline.findings));
      expect(live.collection.find((c) => c.id === 'read:events-failedcreate')?.status).toBe('ok');
      expect(kube.requests.filter((r) => r.query.fieldSelector === 'reason=FailedCreate')).toHaveLength(1);
    } finally {
      await kube.close();
    }
  });
});
