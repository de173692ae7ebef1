import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli';
import type { Finding } from '../../src/diagnosis/evidence';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { startFakeLogging } from '../fakes/cloud-logging';
import type { FakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi } from '../fakes/kube-api';
import { KEY_VALUE, sameNamedGateways, tlsSecret } from '../fakes/kube-api/sample-objects';
import { comparable, diagnoseLive } from '../helpers/live';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES).sort();

const cli = runCli;

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

describe('mesh-doctor capture', () => {
  it('writes one List per kind, capture.json and a one-line summary, and never a Secret value', async () => {
    const kube = await startFakeKubeApi({
      snapshotDir: join(EXAMPLES, 'proxy-startup-econnrefused'),
      objects: [...sameNamedGateways(), tlsSecret('shop-credential', 'istio-system')],
    });
    try {
      const captured = await capture(kube, null, ['--namespace', 'shop']);

      const files = readdirSync(captured.output).sort();
      const text = files.map((f) => readFileSync(join(captured.output, f), 'utf8')).join('\n');
      const list = (file: string) => JSON.parse(readFileSync(join(captured.output, file), 'utf8')) as KubeObject;
      expect(captured.code).toBe(0);
      expect(captured.stderr).toMatch(
        new RegExp(
          `^mesh-doctor: captured \\d+ objects of \\d+ kinds, \\d+ events, 0 Cloud Logging entries and \\d+ container logs \\(namespace shop and the control plane, last 3650d\\) into ${captured.output}: ${files.length} files; \\d+ reads skipped, 0 failed\\n$`,
        ),
      );
      expect(files).toEqual(
        expect.arrayContaining([
          'capture.json',
          'pod.json',
          'secret.json',
          'gateway.networking.istio.io.json',
          'gateway.gateway.networking.k8s.io.json',
        ]),
      );
      expect(files.some((f) => /^shop_cart-[a-z0-9]+-[a-z0-9]+_istio-proxy\.log$/.test(f))).toBe(true);
      expect(list('pod.json')).toMatchObject({ apiVersion: 'v1', kind: 'PodList' });
      expect(list('gateway.gateway.networking.k8s.io.json').items).toEqual([
        expect.objectContaining({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' }),
      ]);
      expect(list('secret.json').items).toEqual([expect.objectContaining({ keys: ['ca.crt', 'tls.crt', 'tls.key'] })]);
      expect(text).not.toContain(KEY_VALUE);
      expect(text).not.toContain('MIIB');
      expect(JSON.parse(readFileSync(join(captured.output, 'capture.json'), 'utf8'))).toMatchObject({
        meshDoctorCapture: 1,
        namespace: 'shop',
        controlPlaneNamespaces: ['istio-system'],
        since: '3650d',
        logs: { source: 'pod-logs' },
      });
    } finally {
      await kube.close();
    }
  });

  it('records reads that were skipped, and diagnose of the capture reports them like live mode', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: join(EXAMPLES, 'proxy-startup-econnrefused') });
    kube.faults.add({ path: '/api/v1/secrets', status: 403 });
    try {
      const captured = await capture(kube, null);
      const { stdout } = await cli(['diagnose', '--snapshot', captured.output, '--format', 'json'], {});

      const secrets = {
        id: 'read:secrets',
        status: 'skipped',
        detail: expect.stringContaining('secrets not readable (optional permission'),
      };
      expect(readdirSync(captured.output)).not.toContain('secret.json');
      expect(JSON.parse(readFileSync(join(captured.output, 'capture.json'), 'utf8')).checks).toContainEqual(secrets);
      expect(JSON.parse(stdout).checks).toContainEqual(secrets);
    } finally {
      await kube.close();
    }
  });

  it('refuses an output directory that is not empty, before reading anything', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: join(EXAMPLES, 'proxy-startup-econnrefused') });
    const used = tmpSnapshot({ 'old.json': '{}' });
    cleanups.push(used.cleanup);
    try {
      const { code, stderr } = await cli(['capture', '--output', used.dir], {
        KUBECONFIG: kube.writeKubeconfig(tmpDir()),
      });

      expect(code).toBe(2);
      expect(stderr).toBe(`mesh-doctor: ${used.dir}: is not empty; capture into a new or empty directory\n`);
      expect(kube.requests).toEqual([]);
    } finally {
      await kube.close();
    }
  });
});
