import type { ContainerSpec, KubeObject, PodSpec } from '../../src/diagnosis/kube-types';
import { nativeSidecar, probeText, sidecarMode } from '../../src/diagnosis/native-sidecars';
import { diagnoseObjects, event, logEntry } from '../helpers/evidence';

const NS = 'payments';
const POD = 'ledger-5c8f7d9b6-q2wzt';
const STARTUP_PROBE = {
  httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
  initialDelaySeconds: 0,
  periodSeconds: 1,
  timeoutSeconds: 3,
  failureThreshold: 600,
};

function spec(native: boolean): PodSpec {
  const proxy = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.28.1', args: ['proxy', 'sidecar'] };
  return native
    ? {
        initContainers: [
          { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.28.1' },
          { ...proxy, restartPolicy: 'Always', startupProbe: STARTUP_PROBE } as ContainerSpec,
        ],
        containers: [{ name: 'ledger', image: 'registry.example.com/ledger:4.2.0' }],
      }
    : {
        initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.28.1' }],
        containers: [{ name: 'ledger', image: 'registry.example.com/ledger:4.2.0' }, proxy],
      };
}

function stuckPod(started: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: POD,
      namespace: NS,
      labels: { app: 'ledger', 'pod-template-hash': '5c8f7d9b6' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ledger-5c8f7d9b6', controller: true }],
    },
    spec: spec(true),
    status: {
      phase: started ? 'Running' : 'Pending',
      startTime: '2026-11-30T08:10:00Z',
      initContainerStatuses: [
        {
          name: 'istio-init',
          ready: true,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed' } },
        },
        {
          name: 'istio-proxy',
          ready: started,
          started,
          restartCount: 0,
          state: { running: { startedAt: '2026-11-30T08:10:02Z' } },
        },
      ],
      containerStatuses: [
        {
          name: 'ledger',
          ready: started,
          restartCount: 0,
          state: started
            ? { running: { startedAt: '2026-11-30T08:10:06Z' } }
            : { waiting: { reason: 'PodInitializing' } },
        },
      ],
    },
  };
}

const proxyRef = { kind: 'Pod', namespace: NS, name: POD, fieldPath: 'spec.initContainers{istio-proxy}' };
const probeFailed = 'Startup probe failed: HTTP probe failed with statuscode: 503';

describe('native sidecar recognition', () => {
  it('tells a native istio-proxy (init container, restartPolicy Always) from a classic one', () => {
    expect(sidecarMode(spec(true))).toBe('native');
    expect(nativeSidecar(spec(true))?.name).toBe('istio-proxy');
    expect(sidecarMode(spec(false))).toBe('classic');
    expect(nativeSidecar(spec(false))).toBeUndefined();
    expect(sidecarMode({ containers: [{ name: 'ledger' }] })).toBe('none');
  });

  it('does not take an ordinary init container named istio-proxy for a native sidecar', () => {
    const oneShot: PodSpec = { initContainers: [{ name: 'istio-proxy' }], containers: [{ name: 'ledger' }] };

    expect(sidecarMode(oneShot)).toBe('none');
  });

  it('describes the injected startup probe and its time budget', () => {
    expect(probeText(STARTUP_PROBE)).toBe('GET :15021/healthz/ready every 1s, failureThreshold 600 (up to 10m)');
  });
});

describe('native-sidecar-startup-blocked', () => {
  it('reports pods whose native istio-proxy keeps failing its startup probe, with what the proxy logs', () => {
    const report = diagnoseObjects(
      [
        stuckPod(false),
        event('2026-11-30T08:10:03Z', proxyRef, 'Started', 'Started container istio-proxy'),
        {
          ...event('2026-11-30T08:16:40Z', proxyRef, 'Unhealthy', probeFailed, 'Warning', 397),
          firstTimestamp: '2026-11-30T08:10:03Z',
        },
      ],
      [
        logEntry(
          '2026-11-30T08:16:38.204518Z',
          NS,
          POD,
          'istio-proxy',
          'warn	Envoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected',
        ),
        logEntry(
          '2026-11-30T08:16:35.519304Z',
          NS,
          POD,
          'istio-proxy',
          'error	xdsproxy	failed to connect to upstream istiod.istio-system.svc:15012: context deadline exceeded',
        ),
      ],
    );

    const finding = report.findings.find((f) => f.runbook === 'native-sidecar-startup-blocked');
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([{ kind: 'Deployment', namespace: NS, name: 'ledger' }]);
    expect(finding?.evidence[0]?.text).toMatch(/phase Pending, Init:1\/2, application containers PodInitializing/);
    expect(finding?.evidence.map((e) => e.source)).toEqual(['object', 'event', 'log', 'log']);
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toMatch(/startup probe has failed 397 time\(s\) for 6 min 37 s/);
    expect(steps).toMatch(/cannot reach istiod at istiod\.istio-system\.svc:15012/);
    expect(steps).toMatch(/holdApplicationUntilProxyStarts does not apply to native sidecars/);
    expect(finding?.remediation.patches).toEqual([]);
  });

  it('says nothing about a proxy that started after a few failed probes', () => {
    const report = diagnoseObjects([
      stuckPod(true),
      {
        ...event('2026-11-30T08:10:05Z', proxyRef, 'Unhealthy', probeFailed, 'Warning', 3),
        firstTimestamp: '2026-11-30T08:10:03Z',
      },
    ]);

    expect(report.findings).toEqual([]);
    expect(report.checks.find((c) => c.id === 'native-sidecar-startup-blocked')?.detail).toMatch(
      /istio-proxy started after its probe failures/,
    );
  });

  it('waits for a probe that has failed only briefly', () => {
    const report = diagnoseObjects([
      stuckPod(false),
      {
        ...event('2026-11-30T08:10:07Z', proxyRef, 'Unhealthy', probeFailed, 'Warning', 4),
        firstTimestamp: '2026-11-30T08:10:03Z',
      },
    ]);

    expect(report.findings.map((f) => f.runbook)).not.toContain('native-sidecar-startup-blocked');
  });
});

describe('native sidecars and the Vault agent', () => {
  it('does not report the Vault race when istio-proxy is a native sidecar that starts before the agent', () => {
    const vaultPod: KubeObject = {
      ...stuckPod(false),
      spec: {
        ...spec(true),
        initContainers: [
          ...(spec(true).initContainers ?? []),
          {
            name: 'vault-agent-init',
            image: 'hashicorp/vault:1.18.3',
            env: [{ name: 'VAULT_ADDR', value: 'https://vault.vault.svc:8200' }],
          },
        ],
      },
    };
    const report = diagnoseObjects(
      [vaultPod],
      [
        logEntry(
          '2026-11-30T08:10:20Z',
          NS,
          POD,
          'vault-agent-init',
          '2026-11-30T08:10:20.118Z [ERROR] agent.auth.handler: error authenticating: error="Put \\"https://vault.vault.svc:8200/v1/auth/kubernetes/login\\": dial tcp 10.96.40.8:8200: connect: connection refused" backoff=1s',
        ),
      ],
    );

    expect(report.findings.map((f) => f.runbook)).not.toContain('vault-injection-race');
    expect(report.checks.find((c) => c.id === 'vault-injection-race')?.detail).toMatch(
      /istio-proxy is a native sidecar that starts \(and becomes ready\) before vault-agent-init/,
    );
  });
});
