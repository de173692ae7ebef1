import type { KubeObject } from '../../src/diagnosis/kube-types';
import { compareCaBundle } from '../../src/diagnosis/webhook-ca';
import { join } from 'node:path';
import { diagnoseDir } from '../helpers/diagnose-dir';
import { diagnoseObjects, event } from '../helpers/evidence';

// Self-signed mesh roots (O=cluster.local, as istiod creates them), an old root with the same subject but
// another key, and a corporate root that signed an intermediate CA (plugged-in certificates).
const MESH_ROOT = `-----BEGIN CERTIFICATE-----
MIIBlTCCATugAwIBAgIUDx0cIXABze6vlQFL0FvlUOfn048wCgYIKoZIzj0EAwIw
GDEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDAeFw0yNjEyMDIxMjQ0MjdaFw0zNjEx
MjkxMjQ0MjdaMBgxFjAUBgNVBAoMDWNsdXN0ZXIubG9jYWwwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQL6ZRQDdAkPmzLYn6D8zwdnNAm147hkbrHkQiKIsKDlFIL
dazgp8v1aBhh2UlGmMVDySrm/phmyj7exy7frQrAo2MwYTAdBgNVHQ4EFgQUwmFe
yWlR45hDd3d3BSfSOE94dngwHwYDVR0jBBgwFoAUwmFeyWlR45hDd3d3BSfSOE94
dngwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAoQwCgYIKoZIzj0EAwID
SAAwRQIgdZnGlfQy8biEAqq5cPNSr7L/P1BKoL5YzNBzBQZo7kMCIQDaeJwZp6QP
+Do5U6rteq17PnjqZP3N1Z+aQCfoh/tFsQ==
-----END CERTIFICATE-----
`;
const OLD_ROOT = `-----BEGIN CERTIFICATE-----
MIIBljCCATugAwIBAgIUYmikkZqiZD00EqHekH038Uf8RM4wCgYIKoZIzj0EAwIw
GDEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDAeFw0yNjEyMDIxMjQ0MjdaFw0zNjEx
MjkxMjQ0MjdaMBgxFjAUBgNVBAoMDWNsdXN0ZXIubG9jYWwwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAR2vafILa36MN5RJRyA0k3BVvRAnBe6oqaOLl3dVJXETicN
5OSBlVMZbf0cFSJSW1p7gyBTYR/fvSo4fd6y67Iuo2MwYTAdBgNVHQ4EFgQUGGtM
bImrCh0XEp0EAoZqBPCT/qowHwYDVR0jBBgwFoAUGGtMbImrCh0XEp0EAoZqBPCT
/qowDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAoQwCgYIKoZIzj0EAwID
SQAwRgIhAKuKCMZWahJOxf/ocbr0okm6zOn1kkUGbQITkX+9/if1AiEArf7kUi0v
W3Jkv/mbT6rocjtizjxWmbbiR1Efl0cd/hM=
-----END CERTIFICATE-----
`;
const CORP_ROOT = `-----BEGIN CERTIFICATE-----
MIIB0TCCAXegAwIBAgIUJjuO5+iLta2DUAv+4GZpBlM/eSgwCgYIKoZIzj0EAwIw
NjEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMR0wGwYDVQQDDBRFeGFtcGxlIENvcnAg
Um9vdCBDQTAeFw0yNjEyMDIxMjQ0MjdaFw0zNjExMjkxMjQ0MjdaMDYxFTATBgNV
BAoMDEV4YW1wbGUgQ29ycDEdMBsGA1UEAwwURXhhbXBsZSBDb3JwIFJvb3QgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQFjr8q1ImXiSK3+7gTfEUZHNc83Lm4
ELXK8rhxHTNHw3SBJHlgcttW3VQYxCwPqteuqliAjSFwZMpiyrzphsDbo2MwYTAd
BgNVHQ4EFgQUCZlUByrZpFFB7cmTkRnr/s97J6gwHwYDVR0jBBgwFoAUCZlUByrZ
pFFB7cmTkRnr/s97J6gwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAgQw
CgYIKoZIzj0EAwIDSAAwRQIgP0BY4CE/QBFmJrViSPo+BBLimKq32QwpkVD/3ybQ
z/ICIQDJNIRwQLc2SzyIlE7Fi5skTh0XT3edcgqEIXf0DcwC2Q==
-----END CERTIFICATE-----
`;
const INTERMEDIATE = `-----BEGIN CERTIFICATE-----
MIIBzjCCAXOgAwIBAgIUPjWC/viuTh+qsQsB0EaYuH9sLXswCgYIKoZIzj0EAwIw
NjEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMR0wGwYDVQQDDBRFeGFtcGxlIENvcnAg
Um9vdCBDQTAeFw0yNjEyMDIxMjQ0MjdaFw0zMTEyMDExMjQ0MjdaMDIxFjAUBgNV
BAoMDWNsdXN0ZXIubG9jYWwxGDAWBgNVBAMMD0ludGVybWVkaWF0ZSBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABP7m0z6CTgYVNl2EnChrF3kb5EfP9k3GOUWv
QavW4G8LHURsohg16lBtzFe6OhjI1nOkSwJPsfTecSH0ZsWQ0mejYzBhMA8GA1Ud
EwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgKEMB0GA1UdDgQWBBRiph3+WWHy2cXC
wQziom1fZuf5PDAfBgNVHSMEGDAWgBQJmVQHKtmkUUHtyZORGev+z3snqDAKBggq
hkjOPQQDAgNJADBGAiEApoFUdOzlWlZnK3lKdpLJMq/FqQHexHoO793Hchnb9xsC
IQDtPejXlkwgUD/w2pAeGOXL8016EM80ViSYzqke2kMfJw==
-----END CERTIFICATE-----
`;

const b64 = (pem: string) => Buffer.from(pem).toString('base64');
const ISTIO_SYSTEM = 'istio-system';
const REV = '1-28-1';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

function service(
  name = 'istiod',
  selector: Record<string, string> = { app: 'istiod', 'istio.io/rev': REV },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ISTIO_SYSTEM, labels: { app: 'istiod', 'istio.io/rev': REV } },
    spec: {
      clusterIP: '10.96.14.2',
      selector,
      ports: [
        { name: 'grpc-xds', port: 15010, targetPort: 15010 },
        { name: 'https-webhook', port: 443, targetPort: 15017 },
      ],
    },
  };
}

function endpoints(name: string, ready: string[], notReady: string[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: ISTIO_SYSTEM },
    subsets:
      ready.length + notReady.length === 0
        ? undefined
        : [
            {
              ...(ready.length ? { addresses: ready.map((ip) => ({ ip })) } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady.map((ip) => ({ ip })) } : {}),
              ports: [{ name: 'https-webhook', port: 15017, protocol: 'TCP' }],
            },
          ],
  };
}

function istiod(name = `istiod-${REV}`, available = 0): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ISTIO_SYSTEM, labels: { app: 'istiod', 'istio.io/rev': REV } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'istiod', 'istio.io/rev': REV } },
      template: { metadata: { labels: { app: 'istiod', 'istio.io/rev': REV, 'sidecar.istio.io/inject': 'false' } } },
    },
    status: {
      replicas: 1,
      availableReplicas: available,
      readyReplicas: available,
      conditions: [
        available > 0
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      ],
    },
  };
}

interface HookOptions {
  caBundle?: string;
  failurePolicy?: 'Fail' | 'Ignore';
  service?: string;
  url?: string;
}

function injector({
  caBundle = b64(MESH_ROOT),
  failurePolicy = 'Fail',
  service: svc = 'istiod',
  url,
}: HookOptions = {}): KubeObject {
  const clientConfig = url
    ? { url, caBundle }
    : { caBundle, service: { name: svc, namespace: ISTIO_SYSTEM, path: '/inject', port: 443 } };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: `istio-sidecar-injector-${REV}`, labels: { app: 'sidecar-injector', 'istio.io/rev': REV } },
    webhooks: [
      {
        name: 'rev.namespace.sidecar-injector.istio.io',
        clientConfig,
        failurePolicy,
        namespaceSelector: {
          matchExpressions: [
            { key: 'istio.io/rev', operator: 'In', values: [REV] },
            { key: 'istio-injection', operator: 'DoesNotExist' },
          ],
        },
        objectSelector: {
          matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }],
        },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
      {
        name: 'rev.object.sidecar-injector.istio.io',
        clientConfig,
        failurePolicy,
        namespaceSelector: {
          matchExpressions: [
            { key: 'istio.io/rev', operator: 'DoesNotExist' },
            { key: 'istio-injection', operator: 'DoesNotExist' },
          ],
        },
        objectSelector: {
          matchExpressions: [
            { key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] },
            { key: 'istio.io/rev', operator: 'In', values: [REV] },
          ],
        },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  };
}

function validator({
  caBundle = b64(MESH_ROOT),
  failurePolicy = 'Fail',
  service: svc = 'istiod',
}: HookOptions = {}): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `istio-validator-${REV}-istio-system`, labels: { app: 'istiod', 'istio.io/rev': REV } },
    webhooks: [
      {
        name: 'rev.validation.istio.io',
        clientConfig: { caBundle, service: { name: svc, namespace: ISTIO_SYSTEM, path: '/validate', port: 443 } },
        failurePolicy,
        objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [REV] }] },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  };
}

function rootCert(pem: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio-ca-root-cert', namespace: ISTIO_SYSTEM, labels: { 'istio.io/config': 'true' } },
    data: { 'root-cert.pem': pem },
  };
}

const namespaces = [namespace(ISTIO_SYSTEM), namespace('shop', { 'istio.io/rev': REV }), namespace('tools')];
const SYSTEM = { namespace: ISTIO_SYSTEM, workload: null };

const runbooks = (report: { findings: { runbook: string }[] }) => report.findings.map((f) => f.runbook);
const finding = (report: ReturnType<typeof diagnoseObjects>, id: string) =>
  report.findings.find((f) => f.runbook === id);

describe('webhook call chain from object state', () => {
  it('reports a Service without ready endpoints before any pod creation failed', () => {
    const report = diagnoseObjects(
      [...namespaces, service(), endpoints('istiod', [], ['10.28.0.14']), istiod(), injector(), validator()],
      [],
      SYSTEM,
    );

    const found = finding(report, 'webhook-no-endpoints');
    expect(found?.severity).toBe('critical');
    expect(found?.resources).toEqual([
      { kind: 'Service', namespace: ISTIO_SYSTEM, name: 'istiod' },
      { kind: 'Deployment', namespace: ISTIO_SYSTEM, name: `istiod-${REV}` },
      { kind: 'MutatingWebhookConfiguration', namespace: null, name: `istio-sidecar-injector-${REV}` },
      { kind: 'ValidatingWebhookConfiguration', namespace: null, name: `istio-validator-${REV}-istio-system` },
    ]);
    expect(found?.evidence[0]?.text).toBe('Endpoints istio-system/istiod: 0 ready address(es), 1 not ready');
    expect(found?.remediation.steps.join('\n')).toMatch(/every new pod in the 1 namespace\(s\) it injects \(shop\)/);
    expect(found?.remediation.steps.join('\n')).toMatch(/-l app=istiod,istio\.io\/rev=1-28-1/);
    expect(report.findings).toHaveLength(1);
  });

  it('reports it in a diagnosis of istio-system from a captured cluster where no pod was created yet', async () => {
    const report = await diagnoseDir(
      join(__dirname, '..', '..', 'examples', 'webhook-no-endpoints-before-any-pod'),
      SYSTEM,
    );

    expect(report.findings.map((f) => [f.runbook, f.severity])).toEqual([['webhook-no-endpoints', 'critical']]);
    expect(report.findings[0]?.remediation.steps).toContain(
      'istio-sidecar-injector-1-28-1: failurePolicy is Fail, so every new pod in the 2 namespace(s) it injects (catalog, checkout) fails until the webhook can be called again.',
    );
  });

  it('is a warning when the webhooks fail open, or select no existing namespace', () => {
    const open = diagnoseObjects([
      ...namespaces,
      service(),
      endpoints('istiod', []),
      istiod(),
      injector({ failurePolicy: 'Ignore' }),
    ]);
    const unused = diagnoseObjects([namespace(ISTIO_SYSTEM), service(), endpoints('istiod', []), istiod(), injector()]);

    expect(finding(open, 'webhook-no-endpoints')?.severity).toBe('warning');
    expect(finding(open, 'webhook-no-endpoints')?.remediation.steps.join('\n')).toMatch(/start without a sidecar/);
    expect(finding(unused, 'webhook-no-endpoints')?.severity).toBe('warning');
  });

  it('merges the object state with FailedCreate events into one finding per Service', () => {
    const rs = { kind: 'ReplicaSet', namespace: 'shop', name: 'cart-6d9f7c8b5b' };
    const failed = event(
      '2026-12-01T10:00:00Z',
      rs,
      'FailedCreate',
      `Error creating: Internal error occurred: failed calling webhook "rev.namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": no endpoints available for service "istiod"`,
      'Warning',
      7,
    );
    const report = diagnoseObjects([...namespaces, service(), endpoints('istiod', []), istiod(), injector(), failed]);

    const found = report.findings.filter((f) => f.runbook === 'webhook-no-endpoints');
    expect(found).toHaveLength(1);
    expect(found[0]?.evidence.map((e) => e.source)).toEqual(['event', 'object', 'object', 'object']);
    expect(found[0]?.resources).toContainEqual({ kind: 'Deployment', namespace: 'shop', name: 'cart' });
  });

  it('reports nothing when the endpoints are ready, and says when Endpoints were not read', () => {
    const healthy = diagnoseObjects([
      ...namespaces,
      service(),
      endpoints('istiod', ['10.28.0.14']),
      istiod('istiod-1-28-1', 1),
      injector(),
      validator(),
      rootCert(MESH_ROOT),
    ]);
    const unread = diagnoseObjects([...namespaces, service(), istiod(), injector()]);

    expect(healthy.findings).toEqual([]);
    expect(healthy.checks.find((c) => c.id === 'webhook-no-endpoints')?.status).toBe('ok');
    expect(unread.checks.find((c) => c.id === 'webhook-no-endpoints')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/object state not checked: ValidatingWebhookConfiguration, Endpoints not read/),
    });
  });

  it('names the configuration and the missing Service, and no Deployment, when the Service is gone', () => {
    const report = diagnoseObjects([
      ...namespaces,
      injector({ service: 'istiod-1-27-3' }),
      service(),
      endpoints('istiod', ['10.28.0.14']),
    ]);

    const found = finding(report, 'webhook-service-not-found');
    expect(found?.resources).toEqual([
      { kind: 'MutatingWebhookConfiguration', namespace: null, name: `istio-sidecar-injector-${REV}` },
      { kind: 'Service', namespace: ISTIO_SYSTEM, name: 'istiod-1-27-3' },
    ]);
    expect(found?.remediation.steps.join('\n')).toMatch(/the installed istiod Service\(s\): istiod/);
    expect(runbooks(report)).not.toContain('webhook-no-endpoints');
  });

  it('checks nothing in the cluster for URL webhooks (managed control plane)', () => {
    const report = diagnoseObjects([
      ...namespaces,
      injector({
        url: 'https://istiod-asm-managed-h6rw2zq5fq-uc.a.run.app:443/inject/cluster/example/net/network1',
        caBundle: '',
      }),
    ]);

    expect(report.findings).toEqual([]);
  });
});

describe('caBundle of an Istio webhook', () => {
  it("names the Deployment that runs the Service's pods, never one named after the Service", () => {
    const report = diagnoseObjects([
      ...namespaces,
      service(),
      endpoints('istiod', ['10.28.0.14']),
      istiod('istiod-1-28-1', 1),
      injector({ caBundle: '' }),
    ]);

    const found = finding(report, 'injector-cabundle-missing');
    expect(found?.resources).toEqual([
      { kind: 'MutatingWebhookConfiguration', namespace: null, name: `istio-sidecar-injector-${REV}` },
      { kind: 'Service', namespace: ISTIO_SYSTEM, name: 'istiod' },
      { kind: 'Deployment', namespace: ISTIO_SYSTEM, name: 'istiod-1-28-1' },
    ]);
    expect(found?.remediation.patches[0]?.target).toMatchObject({ kind: 'Deployment', name: 'istiod-1-28-1' });
  });

  it("proposes no restart when no Deployment runs the Service's pods", () => {
    const gateway = {
      ...istiod('istio-ingressgateway', 1),
      spec: { template: { metadata: { labels: { app: 'istio-ingressgateway' } } } },
    };
    const report = diagnoseObjects([
      ...namespaces,
      service(),
      endpoints('istiod', []),
      gateway,
      injector({ caBundle: '' }),
    ]);

    const found = finding(report, 'injector-cabundle-missing');
    expect(found?.resources.map((r) => r.kind)).toEqual(['MutatingWebhookConfiguration', 'Service']);
    expect(found?.remediation.patches).toEqual([]);
    expect(found?.remediation.steps.join('\n')).toMatch(
      /No Deployment runs the pods Service istio-system\/istiod selects/,
    );
    expect(found?.remediation.steps.join('\n')).not.toMatch(/rollout restart/);
  });

  it('reports a caBundle that neither is nor chains to the mesh root as x509 unknown authority', () => {
    const objects = [...namespaces, service(), endpoints('istiod', ['10.28.0.14']), istiod('istiod-1-28-1', 1)];
    const wrong = diagnoseObjects([
      ...objects,
      injector({ caBundle: b64(OLD_ROOT) }),
      validator(),
      rootCert(MESH_ROOT),
    ]);
    const right = diagnoseObjects([...objects, injector(), validator(), rootCert(MESH_ROOT)]);
    const chained = diagnoseObjects([...objects, injector({ caBundle: b64(INTERMEDIATE) }), rootCert(CORP_ROOT)]);
    const unknownRoot = diagnoseObjects([...objects, injector({ caBundle: b64(OLD_ROOT) })]);

    const found = wrong.findings.filter((f) => f.runbook === 'webhook-x509-unknown-authority');
    expect(found).toHaveLength(1);
    expect(found[0]?.resources).toEqual([
      { kind: 'MutatingWebhookConfiguration', namespace: null, name: `istio-sidecar-injector-${REV}` },
      { kind: 'Deployment', namespace: ISTIO_SYSTEM, name: 'istiod-1-28-1' },
    ]);
    expect(found[0]?.evidence[0]?.source).toBe('object');
    expect(runbooks(right)).toEqual([]);
    expect(runbooks(chained)).toEqual([]);
    expect(runbooks(unknownRoot)).toEqual([]);
    expect(unknownRoot.checks.find((c) => c.id === 'webhook-x509-unknown-authority')?.status).toBe('skipped');
  });
});

describe('compareCaBundle', () => {
  it('accepts the root itself, a bundle holding it among others, and an intermediate signed by it', () => {
    expect(compareCaBundle(b64(MESH_ROOT), MESH_ROOT)?.consistent).toBe(true);
    expect(compareCaBundle(b64(`${OLD_ROOT}${MESH_ROOT}`), MESH_ROOT)?.consistent).toBe(true);
    expect(compareCaBundle(b64(INTERMEDIATE), CORP_ROOT)?.consistent).toBe(true);
    expect(compareCaBundle(b64(MESH_ROOT), `${OLD_ROOT}${MESH_ROOT}`)?.consistent).toBe(true);
  });

  it('rejects another root with the same subject, and a bundle that is not a certificate', () => {
    const other = compareCaBundle(b64(OLD_ROOT), MESH_ROOT);
    expect(other?.consistent).toBe(false);
    expect(other?.detail).toMatch(/is not the mesh root .*and is not signed by it/);
    expect(compareCaBundle(b64('not a certificate'), MESH_ROOT)).toMatchObject({ consistent: false });
    expect(compareCaBundle(b64(INTERMEDIATE), MESH_ROOT)?.consistent).toBe(false);
  });

  it('cannot compare without a readable root', () => {
    expect(compareCaBundle(b64(MESH_ROOT), '')).toBeNull();
  });
});
