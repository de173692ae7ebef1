import { claimMatches, requestAuthnApplies } from '../../src/diagnosis/detectors/jwt-claim-route-without-authn';
import type { VirtualService } from '../../src/diagnosis/gateways';
import type { Pod } from '../../src/diagnosis/kube-types';

const pod: Pod = {
  kind: 'Pod',
  metadata: { name: 'gw-1', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
};

function ra(namespace: string, matchLabels?: Record<string, string>) {
  return {
    kind: 'RequestAuthentication',
    metadata: { name: 'jwt', namespace },
    spec: matchLabels ? { selector: { matchLabels } } : {},
  };
}

describe('jwt-claim-route-without-authn', () => {
  it('finds claim matches in headers and withoutHeaders only', () => {
    const vs: VirtualService = {
      kind: 'VirtualService',
      spec: {
        http: [
          { match: [{ headers: { '@request.auth.claims.groups': { exact: 'beta' }, 'x-user': { exact: 'a' } } }] },
          { match: [{ withoutHeaders: { '@request.auth.claims.sub': { exact: 'x' } } }] },
        ],
      },
    };

    expect(claimMatches(vs)).toEqual(['@request.auth.claims.groups', '@request.auth.claims.sub']);
  });

  it('applies a RequestAuthentication by namespace and selector, or mesh-wide from the root namespace', () => {
    expect(requestAuthnApplies(ra('istio-system', { istio: 'ingressgateway' }), pod, ['istio-system'])).toBe(true);
    expect(requestAuthnApplies(ra('istio-system'), pod, ['istio-system'])).toBe(true);
    expect(requestAuthnApplies(ra('api', { istio: 'ingressgateway' }), pod, ['istio-system'])).toBe(false);
    expect(requestAuthnApplies(ra('istio-system', { app: 'other' }), pod, ['istio-system'])).toBe(false);
    expect(
      requestAuthnApplies(ra('api'), { ...pod, metadata: { ...pod.metadata, namespace: 'edge' } }, ['istio-system']),
    ).toBe(false);
  });
});
