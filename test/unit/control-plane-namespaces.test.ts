import { join } from 'node:path';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import type { Evidence, Finding, Target } from '../../src/diagnosis/evidence';
import type { KubeObject, WebhookConfiguration } from '../../src/diagnosis/kube-types';
import { catalog, matcher } from '../helpers/diagnose-dir';

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
    });
    const restarted = (namespaces?: string[]) =>
      findings(evidence, 'injector-cabundle-missing', namespaces).flatMap((f) =>
        f.resources.filter((r) => r.kind === 'Deployment'),
      );

    expect(restarted(['istio-control', 'istio-canary'])).toEqual([ISTIOD_IN_CONTROL]);
    expect(restarted(['istio-canary', 'istio-control'])).toEqual([
      { kind: 'Deployment', namespace: 'istio-canary', name: 'istiod' },
    ]);
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
