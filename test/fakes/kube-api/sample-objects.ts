import type { KubeObject } from './types';

/**
 * Objects in the shapes a real cluster returns, for tests that need them served by the fake: a TLS
 * Secret (values included, as `kubectl get secret -o json` prints them), and an Istio Gateway and a
 * Gateway API Gateway of the same name.
 */
/** A self-signed certificate for portal names, valid 2026-12-02 to 2027-03-02 (openssl req -x509). */
export const PORTAL_CERT = `-----BEGIN CERTIFICATE-----
MIIByjCCAXCgAwIBAgICEJIwCgYIKoZIzj0EAwIwKjENMAsGA1UECgwEc2hvcDEZ
MBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAeFw0yNjEyMDIxMjQ2MDJaFw0yNzAz
MDIxMjQ2MDJaMCoxDTALBgNVBAoMBHNob3AxGTAXBgNVBAMMEHNob3AuZXhhbXBs
ZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQoWirceM3ql27S40R9k1X/
KsKcUUPymdA9c69VkQa0Gqs2a1HjYB2As3dRULuZSieiBhMoHD+I5/0McuVBhwOK
o4GFMIGCMB0GA1UdDgQWBBQN5AUczX1CrgCjuENSlQlnbcpf7DAfBgNVHSMEGDAW
gBQN5AUczX1CrgCjuENSlQlnbcpf7DAPBgNVHRMBAf8EBTADAQH/MC8GA1UdEQQo
MCaCEHNob3AuZXhhbXBsZS5jb22CEiouc2hvcC5leGFtcGxlLmNvbTAKBggqhkjO
PQQDAgNIADBFAiEApz0lqJS4Iuflf2WUefe+5RBkUHASgtT+hTrh4b4On4UCIGKd
68A7n0DzlFZWm5H9/0Tq01GoAgdCVaNB8cHh9vF/
-----END CERTIFICATE-----
`;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The value of a private key field, which no reduced Secret, capture file or report may contain. */
export const KEY_VALUE = b64('-----BEGIN PRIVATE KEY-----\nnot-a-real-key-value\n-----END PRIVATE KEY-----\n');

/** A `kubectl get secret -o json` TLS Secret with every field a real one carries. */
export function tlsSecret(name = 'shop-credential', namespace = 'istio-system') {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      uid: '5b0a4c1e-2f59-4d7e-9a55-3c1f3f0f9a11',
      resourceVersion: '48213',
      creationTimestamp: '2026-12-02T12:50:00Z',
      labels: { app: 'shop' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${KEY_VALUE}"}}`,
        'cert-manager.io/issuer-name': 'shop-issuer',
      },
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
    },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(PORTAL_CERT), 'tls.key': KEY_VALUE, 'ca.crt': b64(PORTAL_CERT) },
  };
}

/** An Istio Gateway terminating TLS with `shop-credential`, and a Gateway API Gateway of the same name. */
export function sameNamedGateways(name = 'shop-gateway', namespace = 'shop'): KubeObject[] {
  const metadata = { name, namespace, creationTimestamp: '2026-12-02T12:00:00Z' };
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata,
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['shop.example.com'],
            tls: { mode: 'SIMPLE', credentialName: 'shop-credential' },
          },
        ],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata,
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    },
  ];
}
