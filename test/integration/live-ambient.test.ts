import { KubeConfig } from '@kubernetes/client-node';
import { makeLogging } from '../../src/collect/live/clients';
import type { LiveOptions } from '../../src/collect/live/collect-live';
import { collectLive } from '../../src/collect/live/collect-live';
import { makeKubeApis } from '../../src/collect/live/kube-apis';
import type { Check, LogLine } from '../../src/diagnosis/evidence';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { startFakeLogging } from '../fakes/cloud-logging';
import type { FakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import type { FakeKubeApi } from '../fakes/kube-api';
import { catalog } from '../helpers/diagnose-dir';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

/**
 * An ambient cluster with ztunnel and istio-cni in kube-system (as on GKE), three nodes: shop's pods run on
 * node-a (cart) and node-b (checkout), billing's invoice also on node-a, billing's ledger on node-c.
 */
const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const MAX_LOGGING_CALLS = 3;
const NODES = ['node-a', 'node-b', 'node-c'];

function pod(namespace: string, name: string, node: string, ip: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, creationTimestamp: '2026-03-01T08:00:00Z', ...extra.metadata },
    spec: { nodeName: node, containers: [{ name: (extra.spec as { c?: string } | undefined)?.c ?? 'app' }] },
    status: { phase: 'Running', podIP: ip, startTime: '2026-03-01T08:00:00Z' },
  };
}

function agent(daemonSet: 'ztunnel' | 'istio-cni-node', namespace: string, node: string, ip: string): KubeObject {
  const labels: Record<string, string> = daemonSet === 'ztunnel' ? { app: 'ztunnel' } : { 'k8s-app': 'istio-cni-node' };
  const container = daemonSet === 'ztunnel' ? 'istio-proxy' : 'install-cni';
  return {
    ...pod(namespace, `${daemonSet}-${node.slice(-1).repeat(5)}`, node, ip, {
      metadata: { labels, ownerReferences: [{ kind: 'DaemonSet', name: daemonSet, controller: true }] },
      spec: { c: container },
    }),
  };
}

const cart = pod('shop', 'cart-6d9f8b7c5d-x2x9k', 'node-a', '10.8.0.11');
const checkout = pod('shop', 'checkout-7b8c9d6f5c-q4w7z', 'node-b', '10.8.1.12');
const invoice = pod('billing', 'invoice-5c6d7f8b9c-m2n4p', 'node-a', '10.8.0.21');
const ledger = pod('billing', 'ledger-8f7d6c5b4c-r5t8v', 'node-c', '10.8.2.13');
for (const p of [cart, checkout, invoice, ledger]) {
  const name = p.metadata?.name ?? '';
  const rs = name.slice(0, name.lastIndexOf('-'));
  p.metadata = {
    ...p.metadata,
    labels: { app: name.split('-')[0] as string, 'pod-template-hash': rs.slice(rs.lastIndexOf('-') + 1) },
    ownerReferences: [{ kind: 'ReplicaSet', name: rs, controller: true }],
  };
}

const T = (minute: number) => `2026-03-10T11:${String(minute).padStart(2, '0')}:00.000000Z`;
/** A ztunnel access line (tab-separated, as ztunnel writes it) for a connection it closed. */
const access = (minute: number, fields: string, error: string) =>
  `${T(minute)} ${T(minute)}\terror\taccess\tconnection complete\t${fields} direction="outbound" bytes_sent=0 bytes_recv=0 duration="0ms" error="${error}"`;
const REJECTED = 'connection closed due to policy rejection: allow policies exist, but none allowed';

const LOGS: Record<string, string[]> = {
  // node-a: one connection of shop's cart, one of billing's invoice, and ztunnel's own xDS trouble.
  'kube-system_ztunnel-aaaaa_istio-proxy.log': [
    access(
      50,
      'src.addr=10.8.0.11:40212 src.workload="cart-6d9f8b7c5d-x2x9k" src.namespace="shop" dst.addr=10.8.3.50:15008 dst.hbone_addr=10.8.3.50:8080 dst.workload="pricing-6f5d4c3b2a-k9j8h" dst.namespace="pricing"',
      REJECTED,
    ),
    access(
      51,
      'src.addr=10.8.0.21:51344 src.workload="invoice-5c6d7f8b9c-m2n4p" src.namespace="billing" dst.addr=10.8.3.60:15008 dst.workload="tax-7d6c5b4a3f-p0o9i" dst.namespace="tax"',
      REJECTED,
    ),
    `${T(52)} ${T(52)}\twarn\txds::client\tXDS client connection error: gRPC connection error:status: Unknown, message: "client error (Connect)", source: tcp connect error: Connection refused (os error 111), retrying in 40ms`,
  ],
  // node-b: an inbound connection to checkout named only by its IP, and one of billing named by workload.
  'kube-system_ztunnel-bbbbb_istio-proxy.log': [
    access(53, 'src.addr=10.8.4.70:39110 dst.addr=10.8.1.12:15008 dst.hbone_addr=10.8.1.12:8080', REJECTED),
    access(
      54,
      'src.addr=10.8.4.71:39111 src.workload="reports-5f4e3d2c1b-a1s2d" src.namespace="billing" dst.addr=10.8.4.90:15008',
      REJECTED,
    ),
  ],
  // node-c runs none of shop's pods.
  'kube-system_ztunnel-ccccc_istio-proxy.log': [
    access(
      55,
      'src.addr=10.8.2.13:40000 src.workload="ledger-8f7d6c5b4c-r5t8v" src.namespace="billing" dst.addr=10.8.3.80:15008',
      REJECTED,
    ),
  ],
  'kube-system_istio-cni-node-aaaaa_install-cni.log': [
    `${T(56)} ${T(56)}\terror\tcni-agent\tfailed to add pod to ztunnel: partial add error: no ztunnel connection\tns=shop name=cart-6d9f8b7c5d-x2x9k`,
    `${T(57)} ${T(57)}\terror\tcni-agent\tfailed to add pod to ztunnel: partial add error: no ztunnel connection\tns=billing name=invoice-5c6d7f8b9c-m2n4p`,
  ],
  'kube-system_istio-cni-node-ccccc_install-cni.log': [
    `${T(58)} ${T(58)}\terror\tcni-agent\tfailed to add pod to ztunnel: partial add error: no ztunnel connection\tns=billing name=ledger-8f7d6c5b4c-r5t8v`,
  ],
};

function objects(agentNamespace: string): KubeObject[] {
  return [
    ...NODES.map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } })),
    ...['shop', 'billing', 'kube-system', 'istio-system'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })),
    cart,
    checkout,
    invoice,
    ledger,
    ...NODES.flatMap((node, i) => [
      agent('ztunnel', agentNamespace, node, `10.8.${i}.2`),
      agent('istio-cni-node', agentNamespace, node, `10.128.0.${i + 10}`),
    ]),
  ];
}

function snapshot(agentNamespace: string): { dir: string; cleanup: () => void } {
  const logs = Object.entries(LOGS).map(([file, lines]) => [
    file.replace(/^kube-system_/, `${agentNamespace}_`),
    `${lines.join('\n')}\n`,
  ]);
  return tmpSnapshot({
    'cluster.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects(agentNamespace) }),
    ...Object.fromEntries(logs),
  });
}

interface Read {
  lines: LogLine[];
  checks: Check[];
}

async function readLive(kube: FakeKubeApi, logging: FakeLogging | null, options: Partial<LiveOptions>): Promise<Read> {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml);
  const client = logging
    ? makeLogging(logging.projectId, {
        project: logging.projectId,
        credentialsFile: undefined,
        loggingApiEndpoint: logging.url,
      })
    : null;
  const { evidence, checks } = await collectLive(
    { kube: makeKubeApis(kc), logging: client && logging ? { client, projectId: logging.projectId } : null },
    catalog,
    { namespace: null, controlPlaneNamespaces: ['istio-system'], sinceMs: HOUR, nowMs: NOW, ...options },
  );
  return { lines: [...evidence.logs], checks };
}

/** `pod: first words of the message` of node-agent lines, in time order. */
function agentLines(read: Read): string[] {
  return read.lines
    .filter((l) => /^(ztunnel|istio-cni-node)-/.test(l.pod ?? ''))
    .map(
      (l) =>
        `${l.pod}: ${/src\.workload="([^"]+)"/.exec(l.text)?.[1] ?? /name=(\S+)/.exec(l.text)?.[1] ?? /dst\.addr=(\S+)/.exec(l.text)?.[1] ?? 'xds'}`,
    );
}

/** The pods whose logs were read through the Kubernetes API. */
function podsRead(kube: FakeKubeApi): string[] {
  const pods = kube.requests.filter((r) => r.path.endsWith('/log')).map((r) => r.path.split('/').slice(-2)[0] ?? '');
  return [...new Set(pods)].sort();
}

const SHOP_AGENT_LINES = [
  'ztunnel-aaaaa: cart-6d9f8b7c5d-x2x9k',
  'ztunnel-aaaaa: xds',
  'ztunnel-bbbbb: 10.8.1.12:15008',
  'istio-cni-node-aaaaa: cart-6d9f8b7c5d-x2x9k',
];

describe.each(['kube-system', 'istio-system'])('live reading of ztunnel and istio-cni in %s', (agentNamespace) => {
  let snap: { dir: string; cleanup: () => void };
  let kube: FakeKubeApi;
  let logging: FakeLogging;

  beforeEach(async () => {
    snap = snapshot(agentNamespace);
    [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: snap.dir, now: new Date(NOW).toISOString() }),
      startFakeLogging({ snapshotDir: snap.dir }),
    ]);
  });

  afterEach(async () => {
    await Promise.all([kube.close(), logging.close()]);
    snap.cleanup();
  });

  it('reads, through pod logs, only the node agents of the nodes shop runs on, and only their lines about shop', async () => {
    const read = await readLive(kube, null, { namespace: 'shop' });

    expect(podsRead(kube)).toEqual([
      'cart-6d9f8b7c5d-x2x9k',
      'checkout-7b8c9d6f5c-q4w7z',
      'istio-cni-node-aaaaa',
      'istio-cni-node-bbbbb',
      'ztunnel-aaaaa',
      'ztunnel-bbbbb',
    ]);
    expect(agentLines(read)).toEqual(SHOP_AGENT_LINES);
    expect(read.checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('reads the same through Cloud Logging, in at most three calls that name the node agents of those nodes', async () => {
    const read = await readLive(kube, logging, { namespace: 'shop' });

    expect(agentLines(read)).toEqual(SHOP_AGENT_LINES);
    expect(logging.requests.length).toBeLessThanOrEqual(MAX_LOGGING_CALLS);
    const filters = logging.requests.map((r) => r.filter ?? '').join('\n');
    if (agentNamespace === 'kube-system') {
      expect(filters).toContain(
        'resource.labels.namespace_name="kube-system" AND resource.labels.container_name=("istio-proxy" OR "install-cni") AND resource.labels.pod_name=',
      );
      expect(filters).toContain('"ztunnel-aaaaa"');
      expect(filters).not.toContain('"ztunnel-ccccc"');
    }
    expect(podsRead(kube)).toEqual([]);
    expect(read.checks.find((c) => c.id === 'read:cloud-logging')?.status).toBe('ok');
  });

  it('narrows to the node of one workload', async () => {
    const read = await readLive(kube, null, { namespace: 'shop', workload: 'cart' });

    expect(podsRead(kube)).not.toContain('ztunnel-bbbbb');
    expect(agentLines(read)).toEqual([
      'ztunnel-aaaaa: cart-6d9f8b7c5d-x2x9k',
      'ztunnel-aaaaa: xds',
      'istio-cni-node-aaaaa: cart-6d9f8b7c5d-x2x9k',
    ]);
  });

  it('reads every node agent whole without a target, through either source', async () => {
    const viaPods = await readLive(kube, null, {});
    const viaCloud = await readLive(kube, logging, {});

    const all = [
      'ztunnel-aaaaa: cart-6d9f8b7c5d-x2x9k',
      'ztunnel-aaaaa: invoice-5c6d7f8b9c-m2n4p',
      'ztunnel-aaaaa: xds',
      'ztunnel-bbbbb: 10.8.1.12:15008',
      'ztunnel-bbbbb: reports-5f4e3d2c1b-a1s2d',
      'ztunnel-ccccc: ledger-8f7d6c5b4c-r5t8v',
      'istio-cni-node-aaaaa: cart-6d9f8b7c5d-x2x9k',
      'istio-cni-node-aaaaa: invoice-5c6d7f8b9c-m2n4p',
      'istio-cni-node-ccccc: ledger-8f7d6c5b4c-r5t8v',
    ];
    expect(agentLines(viaPods)).toEqual(all);
    expect(agentLines(viaCloud)).toEqual(all);
  });
});
