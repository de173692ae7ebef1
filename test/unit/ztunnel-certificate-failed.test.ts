import type { KubeObject } from '../../src/diagnosis/kube-types';
import { durationMs } from '../../src/diagnosis/detectors/ztunnel-certificate-failed';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ztunnel-certificate-failed';
const NODE = 'aks-system-31840527-vmss000002';

function ztunnelPod(ca: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ztunnel-h4r7n',
      namespace: 'istio-system',
      labels: { app: 'ztunnel' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ztunnel', controller: true }],
    },
    spec: {
      nodeName: NODE,
      containers: [
        {
          name: 'istio-proxy',
          image: 'docker.io/istio/ztunnel:1.28.0-distroless',
          env: [{ name: 'CA_ADDRESS', value: ca }],
        },
      ],
    },
    status: { phase: 'Running' },
  };
}

function tenantPod(name: string, sa: string, node = NODE): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-5d8c7b9f6-k2x4m`,
      namespace: 'billing',
      labels: { app: name, 'istio.io/dataplane-mode': 'ambient' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d8c7b9f6`, controller: true }],
    },
    spec: { nodeName: node, serviceAccountName: sa, containers: [{ name }] },
    status: { phase: 'Running' },
  };
}

const istiodService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'istiod', namespace: 'istio-system' },
  spec: { selector: { app: 'istiod' }, ports: [{ port: 15012, targetPort: 15012 }] },
};

const failed = (err: string, retry: string, sa = 'invoicer') =>
  `2026-07-08T06:00:00.000000Z\twarn\tidentity::manager\tcertificate fetch failed (${err}) and no valid existing certificate; will retry in ${retry} (backoff capped at 150s)\tid=spiffe://cluster.local/ns/billing/sa/${sa}`;
const REFUSED =
  'signing gRPC error (The service is currently unavailable): error trying to connect: tcp connect error: Connection refused (os error 111)';

const at = (time: string, text: string, pod = 'ztunnel-h4r7n') =>
  logEntry(time, 'istio-system', pod, 'istio-proxy', text);

const found = (objects: KubeObject[], entries: Record<string, unknown>[]) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);

describe('ztunnel-certificate-failed', () => {
  it('reads Rust durations', () => {
    expect(durationMs('1.041s')).toBe(1041);
    expect(durationMs('812ms')).toBe(812);
    expect(durationMs('150s')).toBe(150_000);
    expect(durationMs('soon')).toBeNull();
  });

  it('names the identities, the workloads on the node and a CA Service that does not exist', () => {
    const [finding, ...more] = found(
      [
        ztunnelPod('istiod-canary.istio-system.svc:15012'),
        istiodService,
        tenantPod('invoicer', 'invoicer'),
        tenantPod('elsewhere', 'invoicer', 'aks-system-31840527-vmss000007'),
      ],
      [
        at('2026-07-08T06:00:01.000Z', failed(REFUSED.replace('tcp connect', 'dns'), '1.041s')),
        at('2026-07-08T06:00:02.100Z', failed(REFUSED.replace('tcp connect', 'dns'), '2.215s')),
      ],
    );

    expect(more).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'DaemonSet', namespace: 'istio-system', name: 'ztunnel' },
      { kind: 'Service', namespace: 'istio-system', name: 'istiod-canary' },
      { kind: 'Deployment', namespace: 'billing', name: 'invoicer' },
    ]);
    const text = finding?.remediation.steps.join('\n') ?? '';
    expect(text).toContain('spiffe://cluster.local/ns/billing/sa/invoicer (2 failure(s)');
    expect(text).toContain('cannot reach the CA at istiod-canary.istio-system.svc:15012');
    expect(text).toContain('does not exist (istiod Services in istio-system: istiod)');
  });

  it('leaves alone a failure whose announced retry came and went without another failure', () => {
    expect(
      found(
        [ztunnelPod('istiod.istio-system.svc:15012'), istiodService],
        [
          at('2026-07-08T06:00:01.000Z', failed(REFUSED, '1.041s')),
          at(
            '2026-07-08T06:05:00.000Z',
            '2026-07-08T06:05:00.000000Z\tinfo\txds::client:xds{id=2}\tStream established',
          ),
        ],
      ),
    ).toEqual([]);
  });

  it('keeps reporting while the retry is not yet due, and names the refused token', () => {
    const [finding] = found(
      [ztunnelPod('istiod.istio-system.svc:15012'), istiodService],
      [
        at(
          '2026-07-08T06:00:01.000Z',
          failed(
            'signing gRPC error (The request does not have valid authentication credentials): request authenticate failure',
            '150s',
          ),
        ),
        at('2026-07-08T06:01:00.000Z', '2026-07-08T06:01:00.000000Z\tinfo\txds::client:xds{id=2}\tStream established'),
      ],
    );

    expect(finding?.remediation.steps.join('\n')).toContain("refuses ztunnel's request");
  });

  it('ignores the info line that keeps a still-valid certificate, and lines of other pods', () => {
    const renewal =
      '2026-07-08T06:00:00.000000Z\tinfo\tidentity::manager\tcertificate renewal failed (x); retaining existing valid certificate until Instant { tv_sec: 1 }; next retry at Instant { tv_sec: 2 }\tid=spiffe://cluster.local/ns/billing/sa/invoicer';

    expect(found([ztunnelPod('istiod.istio-system.svc:15012')], [at('2026-07-08T06:00:00Z', renewal)])).toEqual([]);
    expect(
      found(
        [],
        [logEntry('2026-07-08T06:00:00Z', 'billing', 'invoicer-5d8c7b9f6-k2x4m', 'invoicer', failed(REFUSED, '1s'))],
      ),
    ).toEqual([]);
  });

  it('skips when no logs were read', () => {
    const report = diagnoseObjects([ztunnelPod('istiod.istio-system.svc:15012')]);
    expect(report.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
