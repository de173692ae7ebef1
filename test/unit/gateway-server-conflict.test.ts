import { serverClashes } from '../../src/diagnosis/detectors/gateway-server-conflict';
import type { GatewayServer, IstioGateway } from '../../src/diagnosis/gateways';
import { diagnoseObjects } from '../helpers/evidence';

function gw(namespace: string, selector: Record<string, string>, servers: GatewayServer[]): IstioGateway {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace },
    spec: { selector, servers },
  };
}
const http = (hosts: string[], port = 80): GatewayServer => ({
  port: { number: port, name: 'http', protocol: 'HTTP' },
  hosts,
});
const tls = (hosts: string[], cred: string): GatewayServer => ({
  port: { number: 443, name: 'https', protocol: 'HTTPS' },
  hosts,
  tls: { mode: 'SIMPLE', credentialName: cred },
});
const ingress = { istio: 'ingressgateway' };

describe('gateway-server-conflict', () => {
  it('finds overlapping hosts on one port for one selector, wildcards and namespace prefixes included', () => {
    const clashes = serverClashes([
      gw('a', ingress, [http(['*.example.com'])]),
      gw('b', ingress, [http(['b/shop.example.com'])]),
    ]);

    expect(clashes).toMatchObject([{ kind: 'conflict', port: 80, hosts: ['*.example.com'] }]);
  });

  it('ignores another port or another selector', () => {
    expect(
      serverClashes([gw('a', ingress, [http(['x.example.com'])]), gw('b', ingress, [http(['x.example.com'], 8080)])]),
    ).toEqual([]);
    expect(
      serverClashes([
        gw('a', ingress, [http(['x.example.com'])]),
        gw('b', { istio: 'other' }, [http(['x.example.com'])]),
      ]),
    ).toEqual([]);
  });

  it('finds one certificate on two Gateways for different hosts', () => {
    const clashes = serverClashes([
      gw('a', ingress, [tls(['a.example.com'], 'wild')]),
      gw('b', ingress, [tls(['b.example.com'], 'wild')]),
    ]);

    expect(clashes).toMatchObject([
      { kind: 'shared-certificate', credentialName: 'wild', hosts: ['a.example.com', 'b.example.com'] },
    ]);
  });

  it('keeps clashes within a namespace when istiod scopes Gateways to their namespace, and says there were no failing requests', () => {
    const objects = [gw('a', ingress, [http(['x.example.com'])]), gw('b', ingress, [http(['x.example.com'])])];
    const istiod = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'discovery', env: [{ name: 'PILOT_SCOPE_GATEWAY_TO_NAMESPACE', value: 'true' }] }],
          },
        },
      },
    };

    const open = diagnoseObjects(objects).findings.find((f) => f.runbook === 'gateway-server-conflict');
    expect(open?.severity).toBe('warning');
    expect(open?.remediation.steps.join('\n')).toMatch(/IST0145[\s\S]*no logs were read/);
    expect(diagnoseObjects([...objects, istiod]).findings.map((f) => f.runbook)).not.toContain(
      'gateway-server-conflict',
    );
  });
});
