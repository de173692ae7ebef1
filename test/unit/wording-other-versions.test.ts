import type { KubeObject } from '../../src/diagnosis/kube-types';
import { nackingProxy } from '../../src/diagnosis/detectors/xds-config-rejected';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

type Entry = Record<string, unknown>;

const findings = (objects: KubeObject[], entries: Entry[], runbook: string) =>
  diagnoseObjects(objects, entries).findings.filter((f) => f.runbook === runbook);

const proxy = (time: string, pod: string, text: string, ns = 'shop') => logEntry(time, ns, pod, 'istio-proxy', text);
const istiod = (time: string, text: string) =>
  logEntry(time, 'istio-system', 'istiod-7c9f6d8b5-k2x4q', 'discovery', text);

const deployment = (name: string, ns: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels } } },
});

describe('xds-config-rejected in the wordings of other Envoy and Istio versions', () => {
  it('reads the "update rejected" warning of the v2 xDS API (Istio 1.0 to 1.5)', () => {
    const found = findings(
      [],
      [
        proxy(
          '2019-03-02T11:20:41Z',
          'orders-5c8d9f7b6d-tk2vw',
          "[2019-03-02 11:20:41.902][17][warning][upstream] [external/envoy/source/common/config/grpc_mux_impl.cc:226] gRPC config for type.googleapis.com/envoy.api.v2.Listener update rejected: Error adding/updating listener 0.0.0.0_9090: cannot bind '0.0.0.0:9090': Address already in use",
        ),
      ],
      'xds-config-rejected',
    );

    expect(found.map((f) => f.resources[0])).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'orders' }]);
    expect(found[0]?.evidence[0]?.text).toContain('update rejected');
  });

  it('ignores a v2 "gRPC update ... failed" line, which only follows a dropped stream', () => {
    const found = findings(
      [],
      [
        proxy(
          '2019-03-02T11:20:41Z',
          'orders-5c8d9f7b6d-tk2vw',
          '[2019-03-02 11:20:41.902][17][warning][config] bazel-out/k8-opt/bin/source/common/config/_virtual_includes/grpc_mux_subscription_lib/common/config/grpc_mux_subscription_impl.h:68] gRPC update for type.googleapis.com/envoy.api.v2.Listener failed',
        ),
      ],
      'xds-config-rejected',
    );

    expect(found).toEqual([]);
  });

  it.each([
    [
      'a newer istiod (POD.NAMESPACE-N)',
      "2024-05-14T09:12:03.412345Z\twarn\tads\tADS:LDS: ACK ERROR checkout-6b9f7d8c4d-q7x2p.shop-41 Internal:Error adding/updating listener(s) virtualInbound: Didn't find a registered implementation for 'envoy.filters.http.lua_v2' with type URL: 'envoy.extensions.filters.http.lua.v3.Lua'",
    ],
    [
      'Istio 1.6 (sidecar~IP~POD.NAMESPACE~DOMAIN-N)',
      '2020-06-15T10:04:11.552093Z\twarn\tads\tADS:LDS: ACK ERROR sidecar~10.44.1.9~checkout-6b9f7d8c4d-q7x2p.shop~shop.svc.cluster.local-3 Internal:Error adding/updating listener(s) virtualInbound: Invalid path: /etc/certs/root-cert.pem',
    ],
    [
      'Istio 1.3 (peer address, connection id, node id)',
      "2019-10-28T09:12:44.610331Z\twarn\tads\tADS:LDS: ACK ERROR 10.44.1.9:37402 sidecar~10.44.1.9~checkout-6b9f7d8c4d-q7x2p.shop~shop.svc.cluster.local-36 (sidecar~10.44.1.9~checkout-6b9f7d8c4d-q7x2p.shop~shop.svc.cluster.local) Internal:Error adding/updating listener(s) 10.44.1.9_8080: cannot bind '10.44.1.9:8080': Address already in use",
    ],
  ])("pins istiod's ACK ERROR on the workload of the NACKing proxy: %s", (_form, text) => {
    const found = findings(
      [deployment('checkout', 'shop', { app: 'checkout' })],
      [istiod('2024-05-14T09:12:03Z', text)],
      'xds-config-rejected',
    );

    expect(found.map((f) => f.resources[0])).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'checkout' }]);
    expect(found[0]?.evidence[0]?.text).toContain('istio-system/istiod-7c9f6d8b5-k2x4q[discovery]');
  });

  it('reads the proxy of an ACK ERROR line, and nothing from other istiod lines', () => {
    expect(nackingProxy('ADS:CDS: ACK ERROR reviews-v2-5d8f9c6b7-lx9sd.bookinfo-7 Internal:x')).toEqual({
      pod: 'reviews-v2-5d8f9c6b7-lx9sd',
      namespace: 'bookinfo',
    });
    expect(nackingProxy('ADS: new connection for node:checkout-6b9f7d8c4d-q7x2p.shop-41')).toBeNull();
    const found = findings(
      [],
      [istiod('2024-05-14T09:12:03Z', 'info\tads\tADS: new connection for node:checkout-6b9f7d8c4d-q7x2p.shop-41')],
      'xds-config-rejected',
    );
    expect(found).toEqual([]);
  });
});

describe("istiod's CA lines about its signing secret", () => {
  const forbidden = istiod(
    '2020-07-28T20:33:37Z',
    'info\tpkica\tFailed to get secret (error: secrets "istio-ca-secret" is forbidden: User "system:serviceaccount:istio-system:istiod" cannot get resource "secrets" in API group "" in the namespace "istio-system"), will create one',
  );
  const writeForbidden = istiod(
    '2020-07-28T20:33:38Z',
    'error\tpkica\tFailed to write secret to CA (error: secrets is forbidden: User "system:serviceaccount:istio-system:istiod" cannot create resource "secrets" in API group "" in the namespace "istio-system"). Abort.',
  );
  const unreachable = istiod(
    '2020-07-28T20:34:07Z',
    'error\tpkica\tFailed to write secret to CA (error: Post https://10.0.0.1:443/api/v1/namespaces/istio-system/secrets: dial tcp 10.0.0.1:443: i/o timeout). Abort.',
  );
  const notFound = istiod(
    '2020-07-28T20:33:37Z',
    'info\tpkica\tFailed to get secret (error: secrets "istio-ca-secret" not found), will create one',
  );

  it('sends a forbidden secret write to istiod-rbac-forbidden, naming the missing verb', () => {
    const report = diagnoseObjects([], [writeForbidden]);

    const rbac = report.findings.find((f) => f.runbook === 'istiod-rbac-forbidden');
    expect(rbac?.resources).toEqual([{ kind: 'Deployment', namespace: 'istio-system', name: 'istiod' }]);
    expect(rbac?.remediation.steps.join(' ')).toMatch(/create secrets in namespace istio-system/);
    expect(rbac?.remediation.steps.join(' ')).toMatch(/Restore the istiod Role\/RoleBinding/);
    expect(rbac?.remediation.steps.join(' ')).toMatch(/signing secret/);
    expect(report.findings.map((f) => f.runbook)).not.toContain('istiod-apiserver-connection');
  });

  it('sends an API server that does not answer to istiod-apiserver-connection', () => {
    const report = diagnoseObjects([], [unreachable]);

    const conn = report.findings.find((f) => f.runbook === 'istiod-apiserver-connection');
    expect(conn?.evidence[0]?.text).toContain('Failed to write secret to CA');
    expect(conn?.remediation.steps.join(' ')).toMatch(/signing secret \(istio-ca-secret or cacerts\)/);
    expect(report.findings.map((f) => f.runbook)).not.toContain('istiod-rbac-forbidden');
  });

  it('reports both lines of a forbidden start (get, then create) as one RBAC finding', () => {
    const rbac = findings([], [forbidden, writeForbidden], 'istiod-rbac-forbidden');

    expect(rbac).toHaveLength(1);
    expect(rbac[0]?.remediation.steps.join(' ')).toMatch(/get secrets in namespace istio-system; create secrets/);
  });

  it("reads the self-signed root rotator's lines the same way", () => {
    const rotateForbidden = istiod(
      '2024-05-14T09:12:03Z',
      'error\trootCertRotator\tFailed to roll forward root certificate (error: failed to update CA secret (error: secrets "istio-ca-secret" is forbidden: User "system:serviceaccount:istio-system:istiod" cannot update resource "secrets" in API group "" in the namespace "istio-system")). Abort new root certificate',
    );
    const loadUnreachable = istiod(
      '2024-05-14T09:12:03Z',
      'error\trootCertRotator\tFail to load CA secret istio-system:istio-ca-secret (error: Get "https://10.96.0.1:443/api/v1/namespaces/istio-system/secrets/istio-ca-secret": dial tcp 10.96.0.1:443: connect: connection refused), skip cert rotation job',
    );

    expect(findings([], [rotateForbidden], 'istiod-rbac-forbidden')[0]?.remediation.steps.join(' ')).toMatch(
      /update secrets in namespace istio-system/,
    );
    expect(diagnoseObjects([], [loadUnreachable]).findings.map((f) => f.runbook)).toEqual([
      'istiod-apiserver-connection',
    ]);
  });

  it("reads Citadel's lines (Istio up to 1.5) the same way, on the istio-citadel Deployment", () => {
    const citadel = logEntry(
      '2019-04-03T12:20:15Z',
      'istio-system',
      'istio-citadel-7c9f6d8b5-q2x4w',
      'citadel',
      '2019-04-03T12:20:15.552310Z\terror\tFailed to write secret to CA (error: secrets is forbidden: User "system:serviceaccount:istio-system:istio-citadel-service-account" cannot create resource "secrets" in API group "" in the namespace "istio-system"). This CA will not persist when restart.',
    );

    const rbac = findings([], [citadel], 'istiod-rbac-forbidden');

    expect(rbac.map((f) => f.resources)).toEqual([
      [{ kind: 'Deployment', namespace: 'istio-system', name: 'istio-citadel' }],
    ]);
    expect(rbac[0]?.remediation.steps.join(' ')).toMatch(/restore the Role of istio-citadel/);
  });

  it('ignores the normal first start, where the secret does not exist yet', () => {
    const fired = diagnoseObjects([], [notFound]).findings.map((f) => f.runbook);

    expect(fired).not.toContain('istiod-rbac-forbidden');
    expect(fired).not.toContain('istiod-apiserver-connection');
  });
});

describe('Mixer failures seen only in access logs (Istio 1.1 to 1.4)', () => {
  const policy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istio-policy', namespace: 'istio-system' },
    spec: { replicas: 1 },
    status: { availableReplicas: 0 },
  };
  const uaex = (status: string, code = '503') =>
    proxy(
      '2020-03-10T08:55:29Z',
      'orders-5c8d9f7b6d-tk2vw',
      `[2020-03-10T08:55:29.313Z] "GET /api/orders HTTP/1.1" ${code} UAEX "${status}" 0 33 1 - "-" "okhttp/3.14.9" "8a1c7d2e-55b1-9c3f-8e6d-2f4a9b0c1d3e" "orders.shop:8080" "-" - - 10.44.1.9:8080 10.44.2.3:51762 -`,
    );

  it('reports 503 UAEX "UNAVAILABLE:..." as Mixer unavailable, on istio-policy, and not as an upstream reset', () => {
    const report = diagnoseObjects(
      [policy],
      [
        uaex(
          'UNAVAILABLE:upstream connect error or disconnect/reset before headers. reset reason: connection termination',
        ),
      ],
    );

    const mixer = report.findings.find((f) => f.runbook === 'legacy-mixer-unavailable');
    expect(mixer?.resources).toEqual([{ kind: 'Deployment', namespace: 'istio-system', name: 'istio-policy' }]);
    expect(mixer?.remediation.steps.join(' ')).toMatch(/503 UAEX/);
    expect(report.findings.map((f) => f.runbook)).not.toContain('upstream-reset-503');
  });

  it('reads istio_policy_status in JSON access logs', () => {
    const entry = {
      timestamp: '2020-02-11T17:03:45Z',
      logName: 'projects/p/logs/stdout',
      resource: {
        type: 'k8s_container',
        labels: { namespace_name: 'bookinfo', pod_name: 'ratings-v1-6c9dbf6b45-9fxk7', container_name: 'istio-proxy' },
      },
      jsonPayload: {
        authority: 'ratings.bookinfo:9080',
        istio_policy_status: 'UNAVAILABLE:no healthy upstream',
        response_code: '503',
        response_flags: 'UAEX',
        upstream_cluster: '-',
      },
    };

    expect(findings([policy], [entry], 'legacy-mixer-unavailable')).toHaveLength(1);
  });

  it('ignores a policy denial (403 UAEX PERMISSION_DENIED)', () => {
    expect(
      findings(
        [policy],
        [uaex('PERMISSION_DENIED:denyreviewsv3handler.denier.default:Not allowed', '403')],
        'legacy-mixer-unavailable',
      ),
    ).toEqual([]);
  });
});
