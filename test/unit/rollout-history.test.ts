import { join } from 'node:path';
import { loadSnapshot } from '../../src/collect/snapshot/load-snapshot';
import { ClusterView } from '../../src/diagnosis/cluster-view';
import { diagnose } from '../../src/diagnosis/engine';
import { completedRollout } from '../../src/diagnosis/rollout-history';
import type { Evidence } from '../../src/diagnosis/evidence';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { catalog, matcher } from '../helpers/diagnose-dir';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'proxy-startup-econnrefused');
const ROLLOUT = '2024-05-14T10:00:00Z';

/** The cluster after a fix was rolled out to shop/cart: a new ReplicaSet and ready pods created at ROLLOUT. */
function rolledOut(evidence: Evidence, options: { ready?: boolean } = {}): Evidence {
  const objects = new Map(evidence.objects);
  const isCart = (o: KubeObject) => o.metadata?.namespace === 'shop' && o.metadata.name?.startsWith('cart-');
  const replicaSets = (objects.get('ReplicaSet') ?? []).map((rs) =>
    isCart(rs) ? { ...rs, status: { replicas: 0, observedGeneration: 2 } } : rs,
  );
  const template = (objects.get('Pod') ?? []).find(isCart) as KubeObject;
  const newRs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      namespace: 'shop',
      name: 'cart-5d8b7c9f4x',
      creationTimestamp: ROLLOUT,
      labels: { app: 'cart', 'pod-template-hash': '5d8b7c9f4x' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', controller: true }],
    },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
  const pods = ['q2w4r', 'z9x8c'].map((suffix, i) => ({
    ...template,
    metadata: {
      ...template.metadata,
      name: `cart-5d8b7c9f4x-${suffix}`,
      creationTimestamp: `2024-05-14T10:00:0${i + 1}Z`,
      labels: { app: 'cart', 'pod-template-hash': '5d8b7c9f4x' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-5d8b7c9f4x', controller: true }],
    },
    status: {
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: options.ready === false ? 'False' : 'True',
          lastTransitionTime: '2024-05-14T10:00:20Z',
        },
      ],
    },
  }));
  objects.set('ReplicaSet', [...replicaSets, newRs]);
  objects.set('Pod', [...(objects.get('Pod') ?? []).filter((p) => !isCart(p)), ...pods]);
  return { ...evidence, objects, now: '2024-05-14T10:30:00Z' };
}

async function cartFinding(change: (e: Evidence) => Evidence) {
  const evidence = change(await loadSnapshot(EXAMPLE, matcher));
  const report = diagnose(evidence, catalog, { target: { namespace: 'shop', workload: 'cart' } });
  return report.findings.find((f) => f.runbook === 'proxy-startup-econnrefused');
}

describe('evidence from before a finished rollout', () => {
  it('is reported as history: informational, no patch, steps for the current state', async () => {
    const before = await cartFinding((e) => e);
    const after = await cartFinding((e) => rolledOut(e));

    expect(before?.severity).toBe('critical');
    expect(before?.remediation.patches.length).toBeGreaterThan(0);
    expect(after?.severity).toBe('info');
    expect(after?.remediation.patches).toEqual([]);
    expect(after?.remediation.steps[0]).toBe(
      'Was failing until the rollout of Deployment shop/cart at 2024-05-14T10:00:00.000Z; no errors since.',
    );
    expect(after?.remediation.steps.join('\n')).not.toMatch(/holdApplicationUntilProxyStarts/);
    expect(after?.evidence.length).toBeGreaterThan(0);
  });

  it('stays current when the errors come after the latest rollout', async () => {
    const evidence = await loadSnapshot(EXAMPLE, matcher);
    const rollout = completedRollout(new ClusterView(evidence), {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
    });
    const finding = await cartFinding((e) => e);

    expect(rollout?.at).toBe('2024-05-14T09:11:48.000Z');
    expect(finding?.evidence.every((e) => Date.parse(e.timestamp ?? '') >= Date.parse('2024-05-14T09:11:48Z'))).toBe(
      true,
    );
    expect(finding?.severity).toBe('critical');
  });

  it('stays current while the new pods are not ready', async () => {
    const finding = await cartFinding((e) => rolledOut(e, { ready: false }));

    expect(finding?.severity).toBe('critical');
  });
});
