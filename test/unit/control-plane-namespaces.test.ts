import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import { main } from '../../src/cli/main';
import type { Evidence, Finding, Report, Target } from '../../src/diagnosis/evidence';
import type { KubeObject, WebhookConfiguration } from '../../src/diagnosis/kube-types';
import { startFakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import { catalog, matcher } from '../helpers/diagnose-dir';
import { diagnoseLive } from '../helpers/live';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

const example = (name: string) => loadSnapshot(join(EXAMPLES, name), matcher);

const renamed = (text: string, namespace: string) => text.replaceAll('istio-system', namespace);

const isIstiodDeployment = (o: KubeObject) => o.kind === 'Deployment' && /^istiod/.test(o.metadata?.name ?? '');

/**
 * An example's evidence with its control plane installed in `namespace` instead of istio-system (every
 * mention renamed) and, unless `keepIstiod`, no istiod Deployment in sight (as when only the target and
 * the configured namespaces are read). `edit` changes or (null) drops objects.
 */
function installedIn(
  evidence: Evidence,
  namespace: string,
  { edit = (o: KubeObject): KubeObject | null => o, keepIstiod = false } = {},
): Evidence {
  const rename = <T>(value: T): T => JSON.parse(renamed(JSON.stringify(value), namespace)) as T;
  const keep = (o: KubeObject): KubeObject[] => {
    const kept = !keepIstiod && isIstiodDeployment(o) ? null : edit(o);
    return kept ? [kept] : [];
  };
  const objects = [...evidence.objects].map(([kind, list]) => [kind, rename(list).flatMap(keep)] as const);
  return { ...evidence, objects: new Map(objects), events: rename(evidence.events), logs: rename(evidence.logs) };
}

function findings(evidence: Evidence, runbook: string, controlPlaneNamespaces?: string[], target?: Target): Finding[] {
  const options = { ...(target ? { target } : {}), ...(controlPlaneNamespaces ? { controlPlaneNamespaces } : {}) };
  return diagnose(evidence, catalog, options).findings.filter((f) => f.runbook === runbook);
}

const resources = (found: Finding[]) => found.flatMap((f) => f.resources);

const CHECKOUT: Target = { namespace: 'checkout', workload: null };
const ISTIOD_IN_CONTROL = { kind: 'Deployment', namespace: 'istio-control', name: 'istiod' };

describe('a control plane installed in a custom namespace (istio-control)', () => {
  it('keeps istiod findings in a namespace-scoped diagnosis only when its namespace is configured', async () => {
    const evidence = installedIn(await example('istiod-rbac-forbidden'), 'istio-control');

    expect(resources(findings(evidence, 'istiod-rbac-forbidden', ['istio-control'], CHECKOUT))).toEqual([
      ISTIOD_IN_CONTROL,
    ]);
    expect(findings(evidence, 'istiod-rbac-forbidden', undefined, CHECKOUT)).toEqual([]);
  });

  it('does not take the control-plane namespace for an application namespace missing sidecars', async () => {
    const healthy = await example('healthy-mesh');
    // An add-on installed beside istiod without a sidecar, as Istio's sample add-ons are.
    const kiali: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kiali-5ff49b9f69-x7kq2', namespace: 'istio-system', labels: { app: 'kiali' } },
      spec: { containers: [{ name: 'kiali' }] },
      status: { phase: 'Running' },
    };
    const pods = [...(healthy.objects.get('Pod') ?? []), kiali];
    const evidence = installedIn(
      { ...healthy, objects: new Map([...healthy.objects, ['Pod', pods]]) },
      'istio-control',
    );
    const control = { kind: 'Namespace', namespace: null, name: 'istio-control' };

    expect(resources(findings(evidence, 'sidecar-not-injected'))).toContainEqual(control);
    expect(findings(evidence, 'sidecar-not-injected', ['istio-control'])).toEqual([]);
  });

  it("reads the discovery address from the mesh config in the control plane's ConfigMaps", async () => {
    const withoutAnnotation = (o: KubeObject): KubeObject =>
      o.kind === 'Pod' ? { ...o, metadata: { ...o.metadata, annotations: {} } } : o;
    const evidence = installedIn(await example('xds-no-healthy-upstream'), 'istio-control', {
      edit: withoutAnnotation,
    });
    const steps = (namespaces?: string[]) =>
      findings(evidence, 'xds-no-healthy-upstream', namespaces).flatMap((f) => f.remediation.steps);

    expect(steps(['istio-control'])).toContainEqual(
      expect.stringMatching(/^discoveryAddress istiod-1-20\.istio-control\.svc:15012 names an existing Service/),
    );
    expect(steps()).not.toContainEqual(expect.stringMatching(/^discoveryAddress /));
  });

  it('suspects an EnvoyFilter in the control-plane (root) namespace, which applies mesh-wide', async () => {
    const onlyRootFilter = (o: KubeObject) =>
      o.kind === 'EnvoyFilter' && o.metadata?.namespace === 'orders' ? null : o;
    const evidence = installedIn(await example('xds-config-rejected'), 'istio-control', { edit: onlyRootFilter });
    const rootFilter = { kind: 'EnvoyFilter', namespace: 'istio-control', name: 'gateway-gzip' };

    expect(resources(findings(evidence, 'xds-config-rejected', ['istio-control']))).toContainEqual(rootFilter);
    expect(resources(findings(evidence, 'xds-config-rejected')).map((r) => r.kind)).not.toContain('EnvoyFilter');
  });

  it('counts a namespace that holds an istiod Deployment as control plane without configuration', async () => {
    const evidence = installedIn(await example('istiod-rbac-forbidden'), 'istio-control', { keepIstiod: true });

    expect(resources(findings(evidence, 'istiod-rbac-forbidden', undefined, CHECKOUT))).toEqual([ISTIOD_IN_CONTROL]);
  });
});

describe('several control-plane namespaces', () => {
  it('assumes the first configured one for a webhook Service that names no namespace', async () => {
    const withoutNamespace = (o: KubeObject): KubeObject => {
      if (o.kind !== 'MutatingWebhookConfiguration') return o;
      const config = o as WebhookConfiguration;
      const webhooks = config.webhooks?.map((w) => ({
        ...w,
        clientConfig: { ...w.clientConfig, service: { ...w.clientConfig?.service, namespace: undefined } },
      }));
      return { ...config, webhooks } as KubeObject;
    };
    const evidence = installedIn(await example('injector-cabundle-missing'), 'istio-control', {
      edit: withoutNamespace,
      keepIstiod: true,
    });
    const restarted = (namespaces?: string[]) =>
      findings(evidence, 'injector-cabundle-missing', namespaces)
        .filter((f) => f.resources[0]?.kind === 'MutatingWebhookConfiguration')
        .flatMap((f) => f.resources.filter((r) => r.kind === 'Deployment'));

    expect(restarted(['istio-control', 'istio-canary'])).toEqual([ISTIOD_IN_CONTROL]);
    // No istiod runs in istio-canary, so none is named there (and none is restarted).
    expect(restarted(['istio-canary', 'istio-control'])).toEqual([]);
  });

  it('finds the istiod of each revision when revisions run in different namespaces', async () => {
    const evidence = await example('istiod-rbac-forbidden');
    const canary = evidence.logs
      .filter((l) => l.namespace === 'istio-system' && l.pod?.startsWith('istiod-'))
      .map((l) => ({ ...l, namespace: 'istio-canary', pod: l.pod?.replace(/^istiod-/, 'istiod-canary-') ?? null }));
    const twoRevisions = { ...evidence, logs: [...evidence.logs, ...canary] };
    const istiods = (namespaces: string[]) =>
      resources(findings(twoRevisions, 'istiod-rbac-forbidden', namespaces, CHECKOUT));

    expect(canary.length).toBeGreaterThan(0);
    expect(istiods(['istio-system', 'istio-canary'])).toEqual([
      { kind: 'Deployment', namespace: 'istio-canary', name: 'istiod-canary' },
      { kind: 'Deployment', namespace: 'istio-system', name: 'istiod' },
    ]);
    expect(istiods(['istio-system'])).toEqual([{ kind: 'Deployment', namespace: 'istio-system', name: 'istiod' }]);
  });
});

/** An example's files with its control plane installed in `namespace` (every mention renamed). */
function filesInstalledIn(name: string, namespace: string): Record<string, string> {
  const dir = join(EXAMPLES, name);
  return Object.fromEntries(
    readdirSync(dir).map((f) => [renamed(f, namespace), renamed(readFileSync(join(dir, f), 'utf8'), namespace)]),
  );
}

describe('live reading of the configured control-plane namespaces', () => {
  it('reads each of them for a target namespace and diagnoses with the same list', async () => {
    const snapshot = tmpSnapshot(filesInstalledIn('istiod-rbac-forbidden', 'istio-control'));
    const [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: snapshot.dir }),
      startFakeLogging({ snapshotDir: snapshot.dir }),
    ]);
    try {
      const nowMs = Date.parse((await loadSnapshot(snapshot.dir, matcher)).now ?? '');
      const read = async (controlPlaneNamespaces?: string[]) => {
        kube.requests.length = 0;
        const report = await diagnoseLive(kube, logging, {
          namespace: 'checkout',
          nowMs,
          ...(controlPlaneNamespaces ? { controlPlaneNamespaces } : {}),
        });
        return { report, paths: kube.requests.map((r) => r.path) };
      };

      const both = await read(['istio-control', 'istio-canary']);
      const unconfigured = await read();

      for (const ns of ['istio-control', 'istio-canary']) {
        expect(both.paths).toContain(`/api/v1/namespaces/${ns}/configmaps`);
        expect(both.paths).toContain(`/api/v1/namespaces/${ns}/pods`);
      }
      expect(both.report.collection.find((c) => c.id === 'read:configmaps')?.detail).toMatch(
        /in namespaces istio-control, istio-canary$/,
      );
      expect(resources(both.report.findings.filter((f) => f.runbook === 'istiod-rbac-forbidden'))).toEqual([
        ISTIOD_IN_CONTROL,
      ]);
      expect(unconfigured.paths).toContain('/api/v1/namespaces/istio-system/configmaps');
      expect(unconfigured.paths).not.toContain('/api/v1/namespaces/istio-control/configmaps');
      expect(unconfigured.paths).not.toContain('/api/v1/namespaces/istio-control/pods');
      expect(unconfigured.report.findings.filter((f) => f.runbook === 'istiod-rbac-forbidden')).toEqual([]);
    } finally {
      await Promise.all([kube.close(), logging.close()]);
      snapshot.cleanup();
    }
  });
});

describe('the command line', () => {
  async function run(argv: string[], env: NodeJS.ProcessEnv) {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env,
    };
    return { code: await main(argv, io), stdout, stderr };
  }

  it('diagnoses a snapshot with the namespaces MESH_CONTROL_PLANE_NAMESPACE lists, and refuses a bad one', async () => {
    const files = filesInstalledIn('istiod-rbac-forbidden', 'istio-control');
    const cluster = JSON.parse(files['cluster.json'] ?? '') as { items: KubeObject[] };
    files['cluster.json'] = JSON.stringify({ ...cluster, items: cluster.items.filter((o) => !isIstiodDeployment(o)) });
    const snapshot = tmpSnapshot(files);
    try {
      const argv = ['diagnose', '--snapshot', snapshot.dir, '--namespace', 'checkout', '--format', 'json'];
      const runbooks = async (env: NodeJS.ProcessEnv) =>
        (JSON.parse((await run(argv, env)).stdout) as Report).findings.map((f) => f.runbook);

      expect(await runbooks({ MESH_CONTROL_PLANE_NAMESPACE: 'istio-system, istio-control' })).toContain(
        'istiod-rbac-forbidden',
      );
      expect(await runbooks({})).not.toContain('istiod-rbac-forbidden');
      const bad = await run(argv, { MESH_CONTROL_PLANE_NAMESPACE: 'istio-system,Istio_Control' });
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('MESH_CONTROL_PLANE_NAMESPACE is set but entry 2 of 2 is not a namespace name');
    } finally {
      snapshot.cleanup();
    }
  });
});
