import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { Finding } from '../../src/diagnosis/evidence';
import { startFakeLogging } from '../fakes/cloud-logging';
import type { FakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi } from '../fakes/kube-api';
import { comparable, diagnoseLive } from '../helpers/live';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES).sort();

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function tmpDir(): string {
  const dir = tmpSnapshot({});
  cleanups.push(dir.cleanup);
  return dir.dir;
}

/** Captures the fake cluster through the CLI; returns the snapshot directory and its capture time. */
async function capture(kube: FakeKubeApi, logging: FakeLogging | null, extra: string[] = []) {
  const output = join(tmpDir(), 'snap');
  const env = {
    KUBECONFIG: kube.writeKubeconfig(tmpDir()),
    ...(logging ? { CLOUD_LOGGING_API_ENDPOINT: logging.url } : {}),
  };
  const project = logging ? ['--project', logging.projectId] : [];
  const result = await cli(['capture', '--output', output, '--since', '3650d', ...project, ...extra], env);
  const manifest = JSON.parse(readFileSync(join(output, 'capture.json'), 'utf8')) as { capturedAt: string };
  return { ...result, output, nowMs: Date.parse(manifest.capturedAt) };
}

async function diagnoseSnapshot(dir: string, extra: string[] = []): Promise<Finding[]> {
  const { code, stdout, stderr } = await cli(
    ['diagnose', '--snapshot', dir, '--format', 'json', '--no-redact', ...extra],
    {},
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(stdout) as { findings: Finding[] }).findings;
}

describe.each(examples)('capture of %s served by the fakes', (name) => {
  const dir = join(EXAMPLES, name);

  it('diagnosed as a snapshot, gives the live diagnosis through Cloud Logging', async () => {
    const [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: dir }),
      startFakeLogging({ snapshotDir: dir }),
    ]);
    try {
      const captured = await capture(kube, logging);
      const live = await diagnoseLive(kube, logging, { nowMs: captured.nowMs });

      expect(captured.code).toBe(0);
      expect(comparable(await diagnoseSnapshot(captured.output))).toEqual(comparable(live.findings));
    } finally {
      await Promise.all([kube.close(), logging.close()]);
    }
  });

  it('diagnosed as a snapshot, gives the live diagnosis through pod logs', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: dir });
    try {
      const captured = await capture(kube, null);
      const live = await diagnoseLive(kube, null, { nowMs: captured.nowMs });

      expect(captured.code).toBe(0);
      expect(comparable(await diagnoseSnapshot(captured.output))).toEqual(comparable(live.findings));
    } finally {
      await kube.close();
    }
  });
});
