import { reduceCrd, reduceNode, reduceObject, reduceSecret } from '../../src/collect/normalize';
import { isMeshConfigMap } from '../../src/collect/live/kind-specs';
import { KEY_VALUE, PORTAL_CERT, tlsSecret } from '../fakes/kube-api/sample-objects';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('reduceSecret', () => {
  it('keeps type, key names and the certificate facts, and no value, annotation copy or managed fields', () => {
    const reduced = reduceSecret(tlsSecret());

    expect(reduced).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'shop-credential',
        namespace: 'istio-system',
        uid: '5b0a4c1e-2f59-4d7e-9a55-3c1f3f0f9a11',
        resourceVersion: '48213',
        creationTimestamp: '2026-12-02T12:50:00Z',
        labels: { app: 'shop' },
        annotations: { 'cert-manager.io/issuer-name': 'shop-issuer' },
      },
      type: 'kubernetes.io/tls',
      keys: ['ca.crt', 'tls.crt', 'tls.key'],
      certificate: {
        subject: 'O=shop, CN=shop.example.com',
        issuer: 'O=shop, CN=shop.example.com',
        sans: ['shop.example.com', '*.shop.example.com'],
        notBefore: '2026-12-02T12:46:02.000Z',
        notAfter: '2027-03-02T12:46:02.000Z',
      },
    });
    expect(JSON.stringify(reduced)).not.toContain(KEY_VALUE);
    expect(JSON.stringify(reduced)).not.toContain('MIIB');
  });

  it("reads Istio's generic form (cert / key / cacert) from stringData too", () => {
    const reduced = reduceSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'gw-cred', namespace: 'istio-ingress' },
      type: 'Opaque',
      stringData: { cert: PORTAL_CERT, key: 'secret-key-text' },
    });

    expect(reduced).toMatchObject({ type: 'Opaque', keys: ['cert', 'key'] });
    expect((reduced.certificate as { sans: string[] }).sans).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(JSON.stringify(reduced)).not.toContain('secret-key-text');
  });

  it('says when the certificate key holds no certificate, and leaves non-TLS secrets without one', () => {
    const broken = reduceSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bad', namespace: 'shop' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64('not a certificate'), 'tls.key': KEY_VALUE },
    });
    const opaque = reduceSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      data: { password: b64('hunter2') },
    });

    expect(broken).toMatchObject({ certificateError: 'tls.crt holds no PEM certificate that can be read' });
    expect(broken.certificate).toBeUndefined();
    expect(opaque).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      keys: ['password'],
    });
  });

  it('is idempotent: the reduced shape (from a capture) comes back the same', () => {
    const once = reduceSecret(tlsSecret());

    expect(reduceSecret(once)).toEqual(once);
    expect(reduceObject(once)).toEqual(once);
  });
});

describe('reduceCrd and reduceNode', () => {
  it('keeps a CRD name, group, kind, plural, scope, versions and the Gateway API bundle version, not the schema', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: 'httproutes.gateway.networking.k8s.io',
        annotations: {
          'gateway.networking.k8s.io/bundle-version': 'v1.2.1',
          'gateway.networking.k8s.io/channel': 'standard',
          'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/3328',
        },
      },
      spec: {
        group: 'gateway.networking.k8s.io',
        names: { kind: 'HTTPRoute', plural: 'httproutes', listKind: 'HTTPRouteList' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
          { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    };

    expect(reduceCrd(crd)).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: 'httproutes.gateway.networking.k8s.io',
        annotations: {
          'gateway.networking.k8s.io/bundle-version': 'v1.2.1',
          'gateway.networking.k8s.io/channel': 'standard',
        },
      },
      spec: {
        group: 'gateway.networking.k8s.io',
        names: { kind: 'HTTPRoute', plural: 'httproutes' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true },
          { name: 'v1beta1', served: true, storage: false },
        ],
      },
    });
  });

  it('keeps a Node name, labels, kubelet and runtime versions, addresses and conditions, not its images', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'gke-prod-pool-1-a1b2', labels: { 'cloud.google.com/gke-nodepool': 'pool-1' } },
      spec: { podCIDR: '10.4.1.0/24' },
      status: {
        nodeInfo: {
          kubeletVersion: 'v1.31.4-gke.1256000',
          containerRuntimeVersion: 'containerd://1.7.24',
          osImage: 'COS',
        },
        addresses: [{ type: 'InternalIP', address: '10.128.0.12' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        images: [{ names: ['gcr.io/istio-release/proxyv2:1.24.2'], sizeBytes: 91234567 }],
      },
    };

    expect(reduceNode(node)).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: node.metadata,
      status: {
        nodeInfo: { kubeletVersion: 'v1.31.4-gke.1256000', containerRuntimeVersion: 'containerd://1.7.24' },
        addresses: node.status.addresses,
        conditions: node.status.conditions,
      },
    });
  });

  it('leaves objects of the same kind name in other API groups alone', () => {
    const other = { apiVersion: 'example.io/v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'b' } };

    expect(reduceObject(other)).toBe(other);
  });
});

describe('isMeshConfigMap', () => {
  it.each([
    ['istio', true],
    ['istio-asm-1187-4', true],
    ['istio-1-24', true],
    ['istio-sidecar-injector', true],
    ['istio-sidecar-injector-1-24', true],
    ['istio-ca-root-cert', true],
    ['istio-leader', false],
    ['istio-namespace-controller-election', false],
    ['istio-gateway-status-leader', false],
    ['kube-root-ca.crt', false],
    ['asm-options', false],
  ])('%s → %s', (name, kept) => {
    expect(isMeshConfigMap({ kind: 'ConfigMap', metadata: { name } })).toBe(kept);
  });
});
