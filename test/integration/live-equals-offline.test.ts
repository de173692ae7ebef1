import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KIND_SPECS } from '../../src/collect/live/kind-specs';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import type { Evidence } from '../../src/diagnosis/evidence';
import { startFakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import { catalog, matcher } from '../helpers/diagnose-dir';
import { comparable, diagnoseLive } from '../helpers/live';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES).sort();

/** One list per kind the cluster reader reads (the CRD list included), plus a few for another namespace and paging. */
const MAX_KUBE_CALLS = KIND_SPECS.length + 3;
const MAX_LOGGING_CALLS = 3;

async function offline(dir: string): Promise<{ evidence: Evidence; findings: unknown }> {
  const evidence = await loadSnapshot(dir, matcher);
  return { evidence, findings: comparable(diagnose(evidence, catalog).findings) };
}

/** Log lines of pods that no longer exist (a finished CI job) can be read from Cloud Logging, not from the API. */
function logsOnlyOfLivePods(evidence: Evidence): boolean {
  const pods = new Set((evidence.objects.get('Pod') ?? []).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
  return evidence.logs.every((l) => !l.pod || pods.has(`${l.namespace}/${l.pod}`));
}

describe.each(examples)('live diagnosis of %s through the fakes', (name) => {
  const dir = join(EXAMPLES, name);

  it('equals the offline diagnosis, through Cloud Logging, in a bounded number of calls', async () => {
    const [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: dir }),
      startFakeLogging({ snapshotDir: dir }),
    ]);
    try {
      const expected = await offline(dir);

      const live = await diagnoseLive(kube, logging, { nowMs: Date.parse(expected.evidence.now ?? '') });

      expect(comparable(live.findings)).toEqual(expected.findings);
      expect(live.collection.filter((c) => c.status === 'error')).toEqual([]);
      expect(kube.requests.length).toBeLessThanOrEqual(MAX_KUBE_CALLS);
      expect(logging.requests.length).toBeLessThanOrEqual(MAX_LOGGING_CALLS);
    } finally {
      await Promise.all([kube.close(), logging.close()]);
    }
  });

  it('equals the offline diagnosis through pod logs when there is no Cloud Logging', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: dir });
    try {
      const expected = await offline(dir);

      const live = await diagnoseLive(kube, null, { nowMs: Date.parse(expected.evidence.now ?? '') });

      if (logsOnlyOfLivePods(expected.evidence)) expect(comparable(live.findings)).toEqual(expected.findings);
      else {
        const summary = (findings: unknown) =>
          (findings as { runbook: string; resources: unknown }[]).map((f) => [f.runbook, f.resources]);
        expect(summary(comparable(live.findings))).toEqual(summary(expected.findings));
      }
    } finally {
      await kube.close();
    }
  });
});
