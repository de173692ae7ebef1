import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event, evidenceOf } from '../helpers/evidence';
import { ClusterView } from '../../src/diagnosis/cluster-view';
import { managedMesh } from '../../src/diagnosis/mesh-kind';

const INJECT_URL =
  'https://istiod-asm-managed-6fzgnmrq4a-uc.a.run.app:443/inject/cluster/projects-shop-prod-us-central1-shop-prod-1/net/shop-prod-network';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

const injector: KubeObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'istiod-asm-managed', labels: { 'istio.io/rev': 'asm-managed', app: 'sidecar-injector' } },
  webhooks: [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      clientConfig: { url: INJECT_URL },
      failurePolicy: 'Fail',
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['asm-managed'] }] },
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    },
  ],
};

function revision(conditions: Record<string, string>[]): KubeObject {
  return {
    apiVersion: 'mesh.cloud.google.com/v1beta1',
    kind: 'ControlPlaneRevision',
    metadata: {
      name: 'asm-managed',
      namespace: 'istio-system',
      labels: { 'mesh.cloud.google.com/managed-cni-enabled': 'true' },
      creationTimestamp: '2026-11-28T09:12:44Z',
    },
    spec: { type: 'managed_service', channel: 'regular' },
    status: { conditions },
  };
}

function mdpController(available: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'mdp-controller', namespace: 'kube-system' },
    spec: { replicas: 1 },
    status: {
      replicas: 1,
      availableReplicas: available,
      conditions:
        available > 0
          ? [
              {
                type: 'Available',
                status: 'True',
                reason: 'MinimumReplicasAvailable',
                lastTransitionTime: '2026-11-28T09:20:00Z',
              },
            ]
          : [
              {
                type: 'Available',
                status: 'False',
                reason: 'MinimumReplicasUnavailable',
                message: 'Deployment does not have minimum availability.',
                lastTransitionTime: '2026-11-30T06:02:11Z',
              },
            ],
    },
  };
}

const cni: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'istio-cni-node', namespace: 'kube-system' },
  status: { desiredNumberScheduled: 3, numberReady: 3 },
};
const noIstiodServices: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kube-dns', namespace: 'kube-system' },
  spec: { selector: { 'k8s-app': 'kube-dns' } },
};
const provisioned = [
  {
    type: 'ProvisioningFinished',
    status: 'True',
    reason: 'Provisioned',
    message: 'Provisioning finished',
    lastTransitionTime: '2026-11-28T09:19:02Z',
  },
];
const cluster = [
  namespace('istio-system'),
  namespace('kube-system'),
  namespace('shop', { 'istio.io/rev': 'asm-managed' }),
  injector,
  cni,
  noIstiodServices,
];

describe('managed Cloud Service Mesh', () => {
  it('is recognised by its URL injector, ControlPlaneRevision and mdp-controller, with no istiod', () => {
    const mesh = managedMesh(new ClusterView(evidenceOf([...cluster, revision(provisioned), mdpController(1)])));

    expect(mesh?.signs).toEqual([
      'injector webhook configuration istiod-asm-managed calls a URL, not an in-cluster Service',
      'ControlPlaneRevision asm-managed',
      'Deployment kube-system/mdp-controller',
      'DaemonSet kube-system/istio-cni-node',
    ]);
  });

  it('is not taken for managed when istiod runs in the cluster', () => {
    const istiod: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
    };

    expect(managedMesh(new ClusterView(evidenceOf([...cluster, istiod])))).toBeNull();
  });

  it('gives no finding at all when healthy, though no istiod exists', () => {
    const report = diagnoseObjects([...cluster, revision(provisioned), mdpController(1)]);

    expect(report.findings).toEqual([]);
    expect(report.checks.find((c) => c.id === 'csm-control-plane-unhealthy')?.status).toBe('ok');
  });

  it('reports a revision that is not provisioned, quoting its conditions', () => {
    const report = diagnoseObjects(
      [
        ...cluster,
        revision([
          {
            type: 'ProvisioningFinished',
            status: 'False',
            reason: 'PreconditionFailed',
            message:
              'NODEPOOL_WORKLOAD_IDENTITY_FEDERATION_REQUIRED: One or more node pools have workload identity federation disabled.',
            lastTransitionTime: '2026-11-30T07:40:00Z',
          },
          { type: 'Stalled', status: 'True', reason: 'PreconditionFailed', lastTransitionTime: '2026-11-30T07:40:00Z' },
        ]),
        mdpController(1),
      ],
      [],
      { namespace: 'shop', workload: null },
    );

    const finding = report.findings.find((f) => f.runbook === 'csm-control-plane-unhealthy');
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      {
        kind: 'ControlPlaneRevision',
        namespace: 'istio-system',
        name: 'asm-managed',
      },
      { kind: 'MutatingWebhookConfiguration', namespace: null, name: 'istiod-asm-managed' },
    ]);
    expect(finding?.evidence[0]?.text).toBe(
      'ControlPlaneRevision istio-system/asm-managed: ProvisioningFinished=False (PreconditionFailed): NODEPOOL_WORKLOAD_IDENTITY_FEDERATION_REQUIRED: One or more node pools have workload identity federation disabled.',
    );
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toMatch(/Stalled=True \(PreconditionFailed\)/);
    expect(steps).toMatch(/enable it on every node pool/);
    expect(report.findings.map((f) => f.runbook)).toEqual(['csm-control-plane-unhealthy']);
  });

  it('reports a failing mdp-controller as a warning', () => {
    const report = diagnoseObjects([...cluster, revision(provisioned), mdpController(0)]);

    const finding = report.findings.find((f) => f.runbook === 'csm-control-plane-unhealthy');
    expect(finding?.severity).toBe('warning');
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: 'kube-system', name: 'mdp-controller' }]);
    expect(finding?.evidence[0]?.text).toMatch(
      /0\/1 replica\(s\) available; Available=False \(MinimumReplicasUnavailable\)/,
    );
  });

  it('sends failing calls to the managed webhook URL to the managed revision, not to port 15017', () => {
    const failed = event(
      '2026-11-30T07:02:40Z',
      { kind: 'ReplicaSet', namespace: 'shop', name: 'storefront-7c9d8f6b5d' },
      'FailedCreate',
      `Error creating: Internal error occurred: failed calling webhook "rev.namespace.sidecar-injector.istio.io": failed to call webhook: Post "${INJECT_URL}?timeout=10s": context deadline exceeded`,
      'Warning',
      6,
    );
    const report = diagnoseObjects([...cluster, revision(provisioned), mdpController(1), failed]);

    const finding = report.findings.find((f) => f.runbook === 'webhook-deadline-private-cluster');
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toMatch(/calls istiod-asm-managed-6fzgnmrq4a-uc\.a\.run\.app, a control plane managed by Google/);
    expect(steps).toMatch(/describe controlplanerevision/);
    expect(steps).not.toMatch(/firewall-rules/);
  });

  it('is skipped when ControlPlaneRevisions were not read and nothing managed is in sight', () => {
    const report = diagnoseObjects([namespace('istio-system')]);

    expect(report.checks.find((c) => c.id === 'csm-control-plane-unhealthy')?.status).toBe('skipped');
  });
});
