import {
  credentialProblems,
  sanCovers,
  type ReducedSecret,
} from '../../src/diagnosis/detectors/gateway-tls-credential-invalid';
import type { GatewayServer } from '../../src/diagnosis/gateways';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const NOW = Date.parse('2024-09-24T15:00:00Z');

function server(mode: string, hosts = ['shop.example.com']): GatewayServer {
  return { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode, credentialName: 'shop-cred' } };
}

function secret(namespace: string, keys: string[], certificate?: ReducedSecret['certificate']): ReducedSecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'shop-cred', namespace },
    type: 'kubernetes.io/tls',
    keys,
    certificate,
  };
}

const valid = { sans: ['*.example.com'], notBefore: '2024-06-01T00:00:00.000Z', notAfter: '2025-06-01T00:00:00.000Z' };

describe('gateway-tls-credential-invalid', () => {
  it('matches certificate names as TLS clients do: a wildcard covers one label', () => {
    expect(sanCovers('*.example.com', 'shop.example.com')).toBe(true);
    expect(sanCovers('*.example.com', 'a.shop.example.com')).toBe(false);
    expect(sanCovers('*.example.com', 'example.com')).toBe(false);
    expect(sanCovers('SHOP.example.com', 'shop.example.com')).toBe(true);
  });

  it('accepts tls.crt/tls.key or cert/key, and wants a CA for MUTUAL TLS in the Secret or NAME-cacert', () => {
    expect(credentialProblems(server('SIMPLE'), secret('gw', ['tls.crt', 'tls.key'], valid), undefined, NOW)).toEqual(
      [],
    );
    expect(credentialProblems(server('SIMPLE'), secret('gw', ['cert', 'key'], valid), undefined, NOW)).toEqual([]);
    expect(credentialProblems(server('SIMPLE'), secret('gw', ['tls.crt', 'key'], valid), undefined, NOW)[0]).toMatch(
      /not tls.crt and tls.key/,
    );
    expect(
      credentialProblems(server('MUTUAL'), secret('gw', ['tls.crt', 'tls.key'], valid), undefined, NOW)[0],
    ).toMatch(/no ca.crt or cacert/);
    const ca: ReducedSecret = { kind: 'Secret', metadata: { name: 'shop-cred-cacert' }, keys: ['cacert'] };
    expect(credentialProblems(server('MUTUAL'), secret('gw', ['tls.crt', 'tls.key'], valid), ca, NOW)).toEqual([]);
  });

  it('reports an expired certificate, one not valid yet, and one that covers none of the hosts', () => {
    const keys = ['tls.crt', 'tls.key'];
    expect(
      credentialProblems(
        server('SIMPLE'),
        secret('gw', keys, { ...valid, notAfter: '2024-09-20T00:00:00.000Z' }),
        undefined,
        NOW,
      ),
    ).toEqual(['holds a certificate that expired at 2024-09-20T00:00:00.000Z']);
    expect(
      credentialProblems(
        server('SIMPLE'),
        secret('gw', keys, { ...valid, notBefore: '2024-10-01T00:00:00.000Z' }),
        undefined,
        NOW,
      ),
    ).toEqual(['holds a certificate not valid before 2024-10-01T00:00:00.000Z']);
    expect(
      credentialProblems(server('SIMPLE', ['shop.example.org']), secret('gw', keys, valid), undefined, NOW)[0],
    ).toMatch(/does not cover shop.example.org/);
  });

  it('looks in the gateway pods namespace, names the misplaced Secret, and raises the severity with istiod SDS errors', () => {
    const objects: KubeObject[] = [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'shop', namespace: 'shop' },
        spec: { selector: { istio: 'ingressgateway' }, servers: [server('SIMPLE')] },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'gw-1', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
        status: { phase: 'Running' },
      },
      secret('shop', ['tls.crt', 'tls.key'], valid),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'istio-ca-secret', namespace: 'istio-system' },
        keys: ['ca-cert.pem'],
      },
    ];
    const quiet = diagnoseObjects(objects).findings.find((f) => f.runbook === 'gateway-tls-credential-invalid');
    expect(quiet?.severity).toBe('warning');
    expect(quiet?.resources).toContainEqual({ kind: 'Secret', namespace: 'shop', name: 'shop-cred' });
    expect(quiet?.remediation.steps[0]).toMatch(/exists only in namespace\(s\) shop.*reads Secrets from istio-system/);

    const sds = logEntry(
      '2024-09-24T14:41:16Z',
      'istio-system',
      'istiod-5c8f7d9b6d-r7t2w',
      'discovery',
      '2024-09-24T14:41:16.880840Z\twarn\tads\tfailed to fetch key and certificate for kubernetes://shop-cred: secret istio-system/shop-cred not found',
    );
    const other = { ...sds, textPayload: String(sds.textPayload).replace(/shop-cred/g, 'shop-cred-old') };
    const loud = diagnoseObjects(objects, [sds, other]).findings.find(
      (f) => f.runbook === 'gateway-tls-credential-invalid',
    );
    expect(loud?.severity).toBe('critical');
    expect(loud?.evidence[0]?.text).toMatch(/^1 SDS error/);
  });

  it('does not judge a namespace where no Secret at all was read', () => {
    const report = diagnoseObjects([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'g', namespace: 'x' },
        spec: { selector: { istio: 'gw' }, servers: [server('SIMPLE')] },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'gw-1', namespace: 'edge', labels: { istio: 'gw' } },
        status: { phase: 'Running' },
      },
      secret('x', ['tls.crt', 'tls.key'], valid),
    ]);

    expect(report.findings.map((f) => f.runbook)).not.toContain('gateway-tls-credential-invalid');
    expect(report.checks.find((c) => c.id === 'gateway-tls-credential-invalid')?.detail).toMatch(
      /no Secret read in edge/,
    );
  });

  it('skips without the Secret permission', () => {
    const report = diagnoseObjects([
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'x' } },
    ]);

    expect(report.checks.find((c) => c.id === 'gateway-tls-credential-invalid')).toMatchObject({ status: 'skipped' });
  });
});
