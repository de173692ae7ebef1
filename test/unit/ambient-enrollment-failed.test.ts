import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, event, logEntry } from '../helpers/evidence';

const ID = 'ambient-enrollment-failed';
const NODE_A = 'gke-lab-pool-2-9d4e1a7c-b2kx';
const NODE_B = 'gke-lab-pool-2-9d4e1a7c-m8vt';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

interface PodOptions {
  node?: string;
  start?: string;
  redirection?: string;
  phase?: string;
  running?: boolean;
  labels?: Record<string, string>;
  sidecar?: boolean;
  hostNetwork?: boolean;
}

function appPod(name: string, o: PodOptions = {}): KubeObject {
  const start = o.start ?? '2026-05-12T08:30:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-5b7c9d4f6-x2k9p`,
      namespace: 'inventory',
      creationTimestamp: start,
      labels: { app: name, 'pod-template-hash': '5b7c9d4f6', ...o.labels },
      annotations: o.redirection ? { 'ambient.istio.io/redirection': o.redirection } : {},
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5b7c9d4f6`, controller: true }],
    },
    spec: {
      nodeName: o.node ?? NODE_A,
      hostNetwork: o.hostNetwork ?? false,
      containers: [{ name }, ...(o.sidecar ? [{ name: 'istio-proxy' }] : [])],
    },
    status: {
      phase: o.phase ?? 'Running',
      startTime: start,
      containerStatuses:
        o.running === false
          ? [{ name, ready: false, state: { waiting: { reason: 'ContainerCreating' } } }]
          : [{ name, ready: true, state: { running: { startedAt: start } } }],
    },
  };
}

function agent(kind: 'ztunnel' | 'cni', node: string, o: { ready?: boolean; readySince?: string } = {}): KubeObject {
  const name = kind === 'ztunnel' ? `ztunnel-${node.slice(-4)}` : `istio-cni-node-${node.slice(-4)}`;
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'istio-system',
      labels: kind === 'ztunnel' ? { app: 'ztunnel' } : { 'k8s-app': 'istio-cni-node' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: kind === 'ztunnel' ? 'ztunnel' : 'istio-cni-node',
          controller: true,
        },
      ],
    },
    spec: { nodeName: node, containers: [{ name: kind === 'ztunnel' ? 'istio-proxy' : 'install-cni' }] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? '2026-05-01T07:00:00Z' },
      ],
      containerStatuses: [
        {
          name: kind === 'ztunnel' ? 'istio-proxy' : 'install-cni',
          ready,
          restartCount: ready ? 0 : 4,
          state: ready
            ? { running: { startedAt: '2026-05-01T06:59:40Z' } }
            : { waiting: { reason: 'CrashLoopBackOff' } },
        },
      ],
    },
  };
}

const ambientNs = namespace('inventory', { 'istio.io/dataplane-mode': 'ambient' });
const healthyAgents = [agent('ztunnel', NODE_A), agent('cni', NODE_A), agent('ztunnel', NODE_B), agent('cni', NODE_B)];

const PENDING_LINE =
  '2026-05-12T08:30:02.118000Z\terror\tcni-agent\tfailed to add pod to ztunnel: pod partially added, annotating with pending status\tns=inventory name=stock-5b7c9d4f6-x2k9p';
const pendingLine = logEntry(
  '2026-05-12T08:30:02.118Z',
  'istio-system',
  `istio-cni-node-${NODE_A.slice(-4)}`,
  'install-cni',
  PENDING_LINE,
);
const ZTUNNEL_LINE =
  '2026-05-12T08:29:58.004000Z\twarn\tinpod::workloadmanager\tfailed to connect to the Istio CNI node agent over "/var/run/ztunnel/ztunnel.sock", is the node agent healthy? details: Os { code: 111, kind: ConnectionRefused, message: "Connection refused" }. retrying in 5.12s';
const SANDBOX =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "71c2": plugin type="istio-cni" name="istio-cni" failed (add): istio-cni cmdAdd failed to contact node Istio CNI agent: unable to push CNI event: Post "http://dummy/cmdadd": dial unix /var/run/istio-cni/pluginevent.sock: connect: connection refused';

function sandboxFailures(count: number, message = SANDBOX): KubeObject {
  return event(
    '2026-05-12T08:31:10Z',
    { kind: 'Pod', namespace: 'inventory', name: 'stock-5b7c9d4f6-x2k9p' },
    'FailedCreatePodSandBox',
    message,
    'Warning',
    count,
  );
}

function found(objects: KubeObject[], entries: Record<string, unknown>[] = []) {
  return diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);
}

describe('ambient-enrollment-failed', () => {
  it('reports a pending pod with the node agents, and proposes no restart while ztunnel on its node is down', () => {
    const [finding, ...rest] = found(
      [
        ambientNs,
        appPod('stock', { redirection: 'pending' }),
        agent('ztunnel', NODE_A, { ready: false }),
        agent('cni', NODE_A),
      ],
      [
        pendingLine,
        logEntry(
          '2026-05-12T08:29:58.004Z',
          'istio-system',
          `ztunnel-${NODE_A.slice(-4)}`,
          'istio-proxy',
          ZTUNNEL_LINE,
        ),
      ],
    );

    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'Deployment', namespace: 'inventory', name: 'stock' },
      { kind: 'Pod', namespace: 'istio-system', name: `istio-cni-node-${NODE_A.slice(-4)}` },
      { kind: 'Pod', namespace: 'istio-system', name: `ztunnel-${NODE_A.slice(-4)}` },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('ambient.istio.io/redirection=pending');
    expect(text).toContain(
      `ztunnel istio-system/ztunnel-${NODE_A.slice(-4)} not Ready (CrashLoopBackOff, 4 restart(s))`,
    );
    expect(text).toContain('istio-cni reported failures to enrol pods (seen 1 time(s)');
    expect(text).toContain('ztunnel could not connect to the istio-cni node agent');
    expect(text).toContain('Restarting Deployment inventory/stock does not help yet');
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('reports a pod started before its node agent was Ready as a warning, with a restart once both agents are Ready', () => {
    const [finding] = found([
      ambientNs,
      appPod('stock', { node: NODE_B, start: '2026-05-12T08:30:00Z' }),
      agent('ztunnel', NODE_B, { readySince: '2026-05-12T08:30:20Z' }),
      agent('cni', NODE_B, { readySince: '2026-05-12T08:30:41Z' }),
    ]);

    expect(finding?.severity).toBe('warning');
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('have no ambient.istio.io/redirection annotation');
    expect(text).toContain('it became Ready at 2026-05-12T08:30:41Z');
    expect(text).toContain('Lower severity: no istio-cni, ztunnel or kubelet error');
    expect(finding?.remediation.patches).toEqual([
      {
        target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'inventory', name: 'stock' },
        type: 'merge',
        patch: {
          spec: {
            template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': expect.any(String) } } },
          },
        },
      },
    ]);
  });

  it('reports pods whose sandbox cannot be created because the plugin cannot reach the node agent, without a restart', () => {
    const [finding] = found([
      ambientNs,
      appPod('stock', { phase: 'Pending', running: false }),
      agent('ztunnel', NODE_A),
      agent('cni', NODE_A, { ready: false }),
      sandboxFailures(14),
    ]);

    expect(finding?.severity).toBe('critical');
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('cannot start: the kubelet failed to create their sandbox 14 time(s)');
    expect(text).toContain('need no restart');
    expect(finding?.evidence[0]?.text).toContain('FailedCreatePodSandBox');
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('says when the node agent answered but had no ztunnel to hand the new pod to (status 500)', () => {
    const message = SANDBOX.replace(
      /unable to push CNI event.*$/,
      'unable to push CNI event (status code 500): partial add error: no ztunnel connection',
    ).replace('contact', 'signal');
    const [finding] = found([
      ambientNs,
      appPod('stock', { phase: 'Pending', running: false }),
      agent('ztunnel', NODE_A, { ready: false }),
      agent('cni', NODE_A),
      sandboxFailures(84, message),
    ]);

    expect(finding?.remediation.steps.join('\n')).toContain(
      'sandbox 84 time(s), because the istio-cni node agent has no connection to ztunnel on the node',
    );
  });

  it('leaves enrolled pods, late starters, sidecar, host-network and opted-out pods alone', () => {
    expect(
      found(
        [
          ambientNs,
          namespace('legacy'),
          ...healthyAgents,
          appPod('stock', { redirection: 'enabled' }),
          appPod('late', { node: NODE_B, start: '2026-05-12T08:31:00Z' }),
          appPod('classic', { sidecar: true, start: '2026-04-01T00:00:00Z' }),
          appPod('hostnet', { hostNetwork: true, start: '2026-04-01T00:00:00Z' }),
          appPod('optout', { labels: { 'istio.io/dataplane-mode': 'none' }, start: '2026-04-01T00:00:00Z' }),
        ],
        [pendingLine],
      ),
    ).toEqual([]);
  });

  it('does not call a pod unenrolled when its node agent was Ready before it started, or none is known', () => {
    const agents = [agent('ztunnel', NODE_A), agent('cni', NODE_A, { readySince: '2026-05-12T08:29:00Z' })];
    expect(found([ambientNs, ...agents, appPod('stock', { start: '2026-05-12T08:30:00Z' })])).toEqual([]);
    expect(found([ambientNs, appPod('stock', { start: '2026-05-12T08:30:00Z' })])).toEqual([]);
  });

  it('ignores a sandbox failure of a pod that started since, and pods of a namespace not in ambient mode', () => {
    expect(
      found([ambientNs, ...healthyAgents, appPod('stock', { redirection: 'enabled' }), sandboxFailures(3)]),
    ).toEqual([]);
    expect(found([namespace('inventory'), ...healthyAgents, appPod('stock', { redirection: 'pending' })])).toEqual([]);
  });

  it('reports each namespace apart, so a diagnosis of one namespace names only its pods', () => {
    const other = appPod('stock', { redirection: 'pending' }) as KubeObject & { metadata: { namespace: string } };
    other.metadata.namespace = 'warehouse';
    const objects = [
      ambientNs,
      namespace('warehouse', { 'istio.io/dataplane-mode': 'ambient' }),
      appPod('stock', { redirection: 'pending' }),
      other,
      ...healthyAgents,
    ];

    expect(found(objects).map((f) => f.resources[0])).toEqual([
      { kind: 'Deployment', namespace: 'inventory', name: 'stock' },
      { kind: 'Deployment', namespace: 'warehouse', name: 'stock' },
    ]);
    const scoped = diagnoseObjects(objects, [], { namespace: 'warehouse', workload: null });
    expect(scoped.findings.filter((f) => f.runbook === ID).map((f) => f.resources[0])).toEqual([
      { kind: 'Deployment', namespace: 'warehouse', name: 'stock' },
    ]);
  });

  it('is skipped without pods', () => {
    const report = diagnoseObjects([ambientNs]);
    expect(report.checks.find((c) => c.id === ID)).toMatchObject({ status: 'skipped' });
  });
});
