import type { KubeObject, Pod } from '../../src/diagnosis/kube-types';
import { proxyRevision } from '../../src/diagnosis/proxies';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'namespace-injection-label-conflict';

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function injectedPod(ns: string, name: string, revision: string | null, ip = '10.52.3.14'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-6c8d7f9b5-q7wzn`,
      namespace: ns,
      labels: { app: name, 'pod-template-hash': '6c8d7f9b5' },
      annotations: revision
        ? { 'sidecar.istio.io/status': JSON.stringify({ containers: ['istio-proxy'], revision }) }
        : undefined,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-6c8d7f9b5`, controller: true }],
    },
    spec: {
      containers: [
        { name, image: `registry.example.com/${name}:1.0` },
        ...(revision ? [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.26.3' }] : []),
      ],
    },
    status: { phase: 'Running', podIP: ip },
  };
}

function findings(objects: KubeObject[], entries: Record<string, unknown>[] = []) {
  return diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === ID);
}

describe('namespace-injection-label-conflict', () => {
  it('says istio-injection wins over istio.io/rev and names the workloads injected by another revision', () => {
    const [finding, ...rest] = findings([
      namespace('orders', { 'istio-injection': 'enabled', 'istio.io/rev': '1-27-2' }),
      injectedPod('orders', 'orders-api', 'default'),
      injectedPod('orders', 'already-moved', '1-27-2', '10.52.3.15'),
    ]);

    expect(rest).toEqual([]);
    expect(finding?.resources).toEqual([
      { kind: 'Namespace', namespace: null, name: 'orders' },
      { kind: 'Deployment', namespace: 'orders', name: 'orders-api' },
    ]);
    expect(finding?.remediation.steps.join(' ')).toMatch(/istio-injection=enabled takes precedence/);
    expect(finding?.severity).toBe('info');
    expect(finding?.remediation.steps.join(' ')).toMatch(/No failing requests seen in the logs read/);
  });

  it('keeps the runbook severity and shows the failing requests when the affected pods log them', () => {
    const line =
      '[2026-12-02T13:40:02.114Z] "GET /orders/17 HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 91 2 - "-" "curl/8.5.0" "1b0c" "payments:8080" "10.52.3.22:8080" outbound|8080||payments.payments.svc.cluster.local - 10.96.14.2:8080 10.52.3.14:40112 - default';
    const [finding] = findings(
      [
        namespace('orders', { 'istio-injection': 'enabled', 'istio.io/rev': '1-27-2' }),
        injectedPod('orders', 'orders-api', 'default'),
      ],
      [logEntry('2026-12-02T13:40:02.114Z', 'orders', 'orders-api-6c8d7f9b5-q7wzn', 'istio-proxy', line)],
    );

    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps.join(' ')).toMatch(/1 failing request\(s\).*503 UF outbound\|8080\|\|payments/);
  });

  it('reports disabled injection plus a revision, and an ambient namespace that still injects', () => {
    const all = findings([
      namespace('batch', { 'istio-injection': 'disabled', 'istio.io/rev': '1-27-2' }),
      namespace('telemetry', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': '1-27-2' }),
      injectedPod('batch', 'nightly', null),
      injectedPod('telemetry', 'collector', '1-27-2', '10.52.3.40'),
    ]);

    expect(all.map((f) => f.resources.map((r) => r.name))).toEqual([
      ['batch', 'nightly'],
      ['telemetry', 'collector'],
    ]);
    expect(all[1]?.remediation.steps.join(' ')).toMatch(/sidecar injection takes precedence over ambient/);
  });

  it("does not count an ambient namespace's waypoint among the pods that got a sidecar", () => {
    const waypoint: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'waypoint-6d4b8c7f9b-zq5jc',
        namespace: 'telemetry',
        labels: {
          'gateway.networking.k8s.io/gateway-name': 'waypoint',
          'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
          'istio.io/dataplane-mode': 'none',
        },
        annotations: { 'istio.io/rev': '1-27-2' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'waypoint-6d4b8c7f9b', controller: true }],
      },
      spec: {
        containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.2', args: ['proxy', 'waypoint'] }],
      },
      status: { phase: 'Running', podIP: '10.52.3.41' },
    };

    const [finding] = findings([
      namespace('telemetry', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': '1-27-2' }),
      injectedPod('telemetry', 'collector', '1-27-2', '10.52.3.40'),
      waypoint,
    ]);

    expect(finding?.resources.map((r) => r.name)).toEqual(['telemetry', 'collector']);
  });

  it('leaves namespaces with a single injection request alone, and skips when namespaces were not read', () => {
    const report = diagnoseObjects([
      namespace('orders', { 'istio.io/rev': '1-27-2' }),
      namespace('legacy', { 'istio-injection': 'enabled' }),
      namespace('telemetry', { 'istio.io/dataplane-mode': 'ambient' }),
    ]);
    const unread = diagnoseObjects([injectedPod('orders', 'orders-api', 'default')]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(report.checks.find((c) => c.id === ID)?.status).toBe('ok');
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('reads the proxy revision from the injector status annotation, then the pod label', () => {
    const labelled = injectedPod('orders', 'a', null);
    labelled.metadata = { ...labelled.metadata, labels: { 'istio.io/rev': 'canary' } };

    expect(proxyRevision(injectedPod('orders', 'a', '1-27-2'))).toBe('1-27-2');
    expect(proxyRevision(labelled)).toBe('canary');
    expect(proxyRevision({ metadata: { annotations: { 'sidecar.istio.io/status': '{not json' } } })).toBeNull();
  });
});
