import { join } from 'node:path';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { parsePrincipal } from '../../src/diagnosis/policies';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'authz-policy-mismatch';

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function pod(ns: string, name: string, labels: Record<string, string>, serviceAccountName = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { serviceAccountName, containers: [{ name: 'app' }, { name: 'istio-proxy' }] },
    status: { phase: 'Running' },
  };
}

function policy(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec };
}

function denied(details: string): Record<string, unknown> {
  return logEntry(
    '2026-03-06T17:21:04.211Z',
    'shop',
    'api-1',
    'istio-proxy',
    `[2026-03-06T17:21:04.211Z] "GET /orders HTTP/1.1" 403 - ${details} - "-" 0 19 0 - "-" "curl/8.5.0" "5d1c0f8e-4b1a-4a43-9e0c-0a6f7e3b2d11" "api.shop:8080" "-" inbound|8080|| - 10.0.0.5:8080 10.0.0.9:40412 outbound_.8080_._.api.shop.svc.cluster.local default`,
  );
}

const cluster = [
  namespace('shop'),
  namespace('web'),
  pod('shop', 'api-1', { app: 'api' }, 'api'),
  pod('web', 'front-1', { app: 'front' }, 'front'),
];

describe('principals', () => {
  it('splits a SPIFFE-style principal and leaves wildcards alone', () => {
    expect(parsePrincipal('cluster.local/ns/web/sa/front')).toEqual({ namespace: 'web', serviceAccount: 'front' });
    expect(parsePrincipal('cluster.local/ns/web/sa/*')).toBeNull();
  });
});

describe('authz-policy-mismatch', () => {
  const allowTypo = policy('shop', 'api-allow', {
    selector: { matchLabels: { app: 'api' } },
    rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }] }],
  });

  it('is critical with the 403 denials of the pods it applies to, and names the policy and the workload', () => {
    const report = diagnoseObjects([...cluster, allowTypo], [denied('rbac_access_denied_matched_policy[none]')]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('critical');
    expect(finding?.resources).toEqual([
      { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'api-allow' },
      { kind: 'Pod', namespace: 'shop', name: 'api-1' },
    ]);
    expect(finding?.evidence[0]?.text).toMatch(/^1 request\(s\) answered 403 RBAC; latest: /);
    expect(finding?.evidence.map((e) => e.text).join('\n')).toContain(
      'no running pod in web uses service account frontend',
    );
  });

  it('is lower severity without denials, and says so', () => {
    const report = diagnoseObjects([
      ...cluster,
      policy('shop', 'from-missing-ns', {
        selector: { matchLabels: { app: 'api' } },
        rules: [{ from: [{ source: { namespaces: ['webb'] } }] }],
      }),
    ]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence[0]?.text).toContain('a rule names source namespace webb, which does not exist');
    expect(finding?.remediation.steps.join('\n')).toContain('Lower severity');
  });

  it('ignores denials that name another policy', () => {
    const report = diagnoseObjects(
      [...cluster, allowTypo],
      [denied('rbac_access_denied_matched_policy[ns[shop]-policy[other]-rule[0]]')],
    );

    expect(report.findings.find((f) => f.runbook === ID)?.severity).not.toBe('critical');
  });

  it('flags a selector on Kubernetes Gateway pods and a selector matching nothing', () => {
    const report = diagnoseObjects([
      ...cluster,
      pod('shop', 'edge-istio-1', { 'gateway.networking.k8s.io/gateway-name': 'edge' }),
      policy('shop', 'edge-jwt', { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } } }),
      policy('shop', 'old', { selector: { matchLabels: { app: 'retired' } } }),
    ]);

    const byName = Object.fromEntries(
      report.findings.filter((f) => f.runbook === ID).map((f) => [f.resources[0]?.name, f.severity]),
    );
    expect(byName).toEqual({ 'edge-jwt': 'warning', old: 'info' });
  });

  it('applies a policy with targetRefs to the waypoint it targets, not to the sidecars of its namespace', () => {
    const waypoint: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'waypoint-6d4b8c7f9b-zq5jc',
        namespace: 'shop',
        labels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint', 'istio.io/dataplane-mode': 'none' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'waypoint-6d4b8c7f9b', controller: true }],
      },
      spec: { serviceAccountName: 'waypoint', containers: [{ name: 'istio-proxy', args: ['proxy', 'waypoint'] }] },
      status: { phase: 'Running' },
    };
    const atWaypoint = policy('shop', 'cart-writers', {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/storefront'] } }] }],
    });

    const report = diagnoseObjects(
      [...cluster, waypoint, atWaypoint],
      [denied('rbac_access_denied_matched_policy[none]')],
    );

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('info');
    expect(finding?.resources).toEqual([
      { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'cart-writers' },
      { kind: 'Deployment', namespace: 'shop', name: 'waypoint' },
    ]);
  });

  it('accepts a correct policy and is skipped when policies were not read', () => {
    const ok = diagnoseObjects([
      ...cluster,
      policy('shop', 'api-allow', {
        selector: { matchLabels: { app: 'api' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/front'], namespaces: ['web'] } }] }],
      }),
    ]);
    const unread = diagnoseObjects(cluster);

    expect(ok.findings.filter((f) => f.runbook === ID)).toEqual([]);
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('counts the denials of the example', async () => {
    const report = await diagnoseDir(join(__dirname, '..', '..', 'examples', ID));

    const finding = report.findings.find((f) => f.resources[0]?.name === 'payments-api-allow');
    expect(finding?.severity).toBe('critical');
    expect(finding?.remediation.steps[0]).toMatch(/^6 request\(s\) answered 403 RBAC/);
  });
});
