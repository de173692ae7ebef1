import { join } from 'node:path';
import type { Detector } from '../../src/diagnosis/detector';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { diagnose } from '../../src/diagnosis/engine';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { catalog, diagnoseDir, matcher } from '../helpers/diagnose-dir';
import { evidenceOf } from '../helpers/evidence';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

describe('what a targeted diagnosis keeps', () => {
  it('a diagnosis of the control-plane namespace keeps pods refused by its webhook in other namespaces', async () => {
    const report = await diagnoseDir(join(EXAMPLES, 'webhook-connect-timeout'), {
      namespace: 'istio-system',
      workload: null,
    });

    const finding = report.findings.find((f) => f.runbook === 'webhook-connect-timeout');
    expect(finding?.resources).toContainEqual({
      kind: 'MutatingWebhookConfiguration',
      namespace: null,
      name: 'istio-sidecar-injector',
    });
  });

  it('a diagnosis of another application namespace does not get them', async () => {
    const report = await diagnoseDir(join(EXAMPLES, 'webhook-connect-timeout'), {
      namespace: 'billing',
      workload: null,
    });

    expect(report.findings.map((f) => f.runbook)).not.toContain('webhook-connect-timeout');
  });
});

describe('objects a finding names', () => {
  const ghost: Detector = () => ({
    drafts: [
      {
        resources: [
          { kind: 'Deployment', namespace: 'istio-system', name: 'istiod' },
          { kind: 'Service', namespace: 'istio-system', name: 'istiod' },
        ],
        evidence: [{ source: 'object', timestamp: null, text: 'webhook calls istiod' }],
        confidence: 0.8,
      },
    ],
    detail: 'probe',
  });
  const objects = [
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'istio-system', name: 'istiod' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'istio-system', name: 'istiod-1-24' } },
  ];

  it('says when one does not exist, for kinds that were read', () => {
    const report = diagnose(evidenceOf(objects), catalog, { detectors: new Map([['webhook-no-endpoints', ghost]]) });

    expect(report.findings[0]?.remediation.steps[0]).toBe(
      'Deployment istio-system/istiod does not exist in the cluster (it is named by the evidence).',
    );
    expect(report.findings[0]?.remediation.steps.join('\n')).not.toMatch(/Service istio-system\/istiod does not/);
  });

  it('says nothing about kinds that were not read', () => {
    const evidence = evidenceOf(objects.filter((o) => o.kind === 'Service'));
    const report = diagnose(evidence, catalog, { detectors: new Map([['webhook-no-endpoints', ghost]]) });

    expect(report.findings[0]?.remediation.steps.join('\n')).not.toMatch(/does not exist/);
  });
});

describe('a managed mesh', () => {
  it("keeps a failing managed data-plane controller (kube-system) in a namespace's diagnosis", async () => {
    const evidence = await loadSnapshot(join(EXAMPLES, 'csm-control-plane-unhealthy'), matcher);
    const objects = new Map(evidence.objects);
    const failing = (o: KubeObject): KubeObject =>
      o.metadata?.name === 'mdp-controller'
        ? { ...o, status: { replicas: 1, availableReplicas: 0, readyReplicas: 0, conditions: [] } }
        : o;
    objects.set('Deployment', (objects.get('Deployment') ?? []).map(failing));

    const report = diagnose({ ...evidence, objects }, catalog, { target: { namespace: 'shop', workload: null } });

    const resources = report.findings.flatMap((f) => f.resources);
    expect(resources).toContainEqual({ kind: 'Deployment', namespace: 'kube-system', name: 'mdp-controller' });
  });
});

describe('an absent object the detector already named', () => {
  it('is not said twice', async () => {
    const report = await diagnoseDir(join(EXAMPLES, 'webhook-service-not-found'));
    const steps = report.findings.find((f) => f.runbook === 'webhook-service-not-found')?.remediation.steps ?? [];

    expect(steps.filter((s) => s.includes('istio-system/istiod') && /does not exist/.test(s))).toHaveLength(1);
  });
});
