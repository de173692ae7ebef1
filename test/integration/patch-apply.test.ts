import { KubeConfig } from '@kubernetes/client-node';
import { kubeObjectAccess } from '../../src/collect/live/object-access';
import type { PatchProposal } from '../../src/diagnosis/evidence';
import { annotationMove, networkPolicyHbonePort, serviceAppProtocol } from '../../src/diagnosis/patch-templates';
import { disallowedReason, editedSinceApply, rollbackPlan } from '../../src/remediation/touched-fields';
import type { PatchTemplate } from '../../src/runbooks/schema';
import type { FakeKubeApi, KubeObject } from '../fakes/kube-api';
import { startFakeKubeApi } from '../fakes/kube-api';

/**
 * The Service and workload patches of the configuration runbooks, through the real client library against
 * the fake API server: dry run, apply, the JSON patch's `test` guard, and the rollback plan.
 */

const DB_PORTS = [
  { name: 'http-metrics', port: 9104, targetPort: 9104, protocol: 'TCP' },
  { name: 'db', port: 3306, targetPort: 3306, protocol: 'TCP' },
];
const LEDGER_ANNOTATIONS = { 'sidecar.istio.io/proxyCPU': '500m', 'team.example/owner': 'payments' };

const ordersDb: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders-db', namespace: 'shop', resourceVersion: '41' },
  spec: {
    selector: { app: 'orders-db' },
    ports: DB_PORTS,
  },
};

const ledger: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'ledger',
    namespace: 'payments',
    resourceVersion: '52',
    annotations: LEDGER_ANNOTATIONS,
  },
  spec: {
    selector: { matchLabels: { app: 'ledger' } },
    template: {
      metadata: { labels: { app: 'ledger' } },
      spec: { containers: [{ name: 'ledger', image: 'ledger:2' }] },
    },
  },
};

const PAYMENTS_INGRESS = [
  {
    from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
    ports: [{ protocol: 'TCP', port: 8080 }],
  },
  { from: [{ podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
];

const paymentsIngress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'payments-ingress', namespace: 'shop', resourceVersion: '63' },
  spec: {
    podSelector: { matchLabels: { app: 'payments' } },
    policyTypes: ['Ingress'],
    ingress: PAYMENTS_INGRESS,
  },
};

const declare: PatchTemplate = { template: 'service-port-app-protocol', params: {}, risk: 'protocol change' };
const move: PatchTemplate = { template: 'pod-template-annotation-move', params: {}, risk: 'a rollout' };
const openHbone: PatchTemplate = { template: 'networkpolicy-hbone-port', params: {}, risk: 'HBONE opened' };

let fake: FakeKubeApi;
let objects: ReturnType<typeof kubeObjectAccess>;

beforeEach(async () => {
  fake = await startFakeKubeApi({
    objects: [structuredClone(ordersDb), structuredClone(ledger), structuredClone(paymentsIngress)],
  });
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfigYaml);
  objects = kubeObjectAccess(kc);
});

afterEach(async () => {
  await fake.close();
});

function built(result: ReturnType<typeof serviceAppProtocol>): PatchProposal {
  if (!('patch' in result)) throw new Error(result.reason);
  expect(disallowedReason(result.patch, false)).toBeNull();
  return result.patch;
}

type Ports = { spec: { ports: Array<Record<string, unknown>> } };

describe('applying the configuration runbooks’ patches', () => {
  it('sets the appProtocol of exactly the tested port, after a dry run that changes nothing, and rolls it back', async () => {
    const patch = built(
      serviceAppProtocol(
        declare,
        { kind: 'Service', namespace: 'shop', name: 'orders-db' },
        { index: 1, name: 'db', port: 3306 },
        'tcp',
      ),
    );
    const before = await objects.read(patch.target);

    const dry = (await objects.patch(patch.target, patch.type, patch.patch, true)) as Ports;
    expect(dry.spec.ports[1]?.appProtocol).toBe('tcp');
    expect(((await objects.read(patch.target)) as Ports).spec.ports[1]?.appProtocol).toBeUndefined();

    await objects.patch(patch.target, patch.type, patch.patch, false);
    const after = (await objects.read(patch.target)) as Ports;
    expect(after.spec.ports.map((p) => p.appProtocol)).toEqual([undefined, 'tcp']);

    const plan = rollbackPlan(patch, before);
    expect(editedSinceApply(plan, after)).toEqual([]);
    if (plan.type !== 'json') throw new Error('a JSON patch is rolled back with a JSON patch');
    await objects.patch(patch.target, 'json', plan.ops, false);
    expect(((await objects.read(patch.target)) as Ports).spec.ports).toEqual(DB_PORTS);
  });

  it('fails, changing nothing, when the port at that place is no longer the one the patch was built for', async () => {
    const patch = built(
      serviceAppProtocol(
        declare,
        { kind: 'Service', namespace: 'shop', name: 'orders-db' },
        { index: 0, name: 'db', port: 3306 },
        'tcp',
      ),
    );

    await expect(objects.patch(patch.target, patch.type, patch.patch, false)).rejects.toMatchObject({ code: 422 });
    expect(((await objects.read(patch.target)) as Ports).spec.ports).toEqual(DB_PORTS);
  });

  it("moves an annotation from the Deployment's metadata into its pod template, and the rollback moves it back", async () => {
    const patch = built(
      annotationMove(
        move,
        { kind: 'Deployment', namespace: 'payments', name: 'ledger' },
        { 'sidecar.istio.io/proxyCPU': '500m' },
      ),
    );
    const before = await objects.read(patch.target);

    await objects.patch(patch.target, patch.type, patch.patch, false);
    const after = (await objects.read(patch.target)) as KubeObject & {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    };
    expect(after.metadata?.annotations).toEqual({ 'team.example/owner': 'payments' });
    expect(after.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/proxyCPU': '500m' });

    const plan = rollbackPlan(patch, before);
    if (plan.type !== 'merge') throw new Error('a merge patch is rolled back with a merge patch');
    await objects.patch(patch.target, 'merge', plan.patch, false);
    const restored = (await objects.read(patch.target)) as typeof after;
    expect(restored.metadata?.annotations).toEqual(LEDGER_ANNOTATIONS);
    expect(restored.spec.template.metadata.annotations ?? {}).toEqual({});
  });

  it('adds TCP 15008 to the tested ingress rule of a NetworkPolicy only, and the rollback removes exactly it', async () => {
    const patch = built(
      networkPolicyHbonePort(openHbone, { kind: 'NetworkPolicy', namespace: 'shop', name: 'payments-ingress' }, [
        { index: 0, ports: PAYMENTS_INGRESS[0]!.ports },
      ]),
    );
    const before = await objects.read(patch.target);
    type Ingress = { spec: { ingress: Array<{ ports: unknown[] }> } };

    await objects.patch(patch.target, patch.type, patch.patch, true);
    expect(((await objects.read(patch.target)) as Ingress).spec.ingress).toEqual(PAYMENTS_INGRESS);

    await objects.patch(patch.target, patch.type, patch.patch, false);
    const after = (await objects.read(patch.target)) as Ingress;
    expect(after.spec.ingress.map((r) => r.ports)).toEqual([
      [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 15008 },
      ],
      [{ protocol: 'TCP', port: 9090 }],
    ]);

    const plan = rollbackPlan(patch, before);
    expect(editedSinceApply(plan, after)).toEqual([]);
    if (plan.type !== 'json') throw new Error('a JSON patch is rolled back with a JSON patch');
    expect(plan.ops).toEqual([{ op: 'remove', path: '/spec/ingress/0/ports/1' }]);
    await objects.patch(patch.target, 'json', plan.ops, false);
    expect(((await objects.read(patch.target)) as Ingress).spec.ingress).toEqual(PAYMENTS_INGRESS);
  });

  it('fails, changing nothing, when the ingress rule no longer lists the ports the patch was built for', async () => {
    const patch = built(
      networkPolicyHbonePort(openHbone, { kind: 'NetworkPolicy', namespace: 'shop', name: 'payments-ingress' }, [
        { index: 1, ports: PAYMENTS_INGRESS[0]!.ports },
      ]),
    );

    await expect(objects.patch(patch.target, patch.type, patch.patch, false)).rejects.toMatchObject({ code: 422 });
    expect(((await objects.read(patch.target)) as { spec: { ingress: unknown } }).spec.ingress).toEqual(
      PAYMENTS_INGRESS,
    );
  });
});
