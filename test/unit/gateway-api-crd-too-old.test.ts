import { missingVersions } from '../../src/diagnosis/detectors/gateway-api-crd-too-old';

function crd(kind: string, versions: [string, boolean][], group = 'gateway.networking.k8s.io') {
  return {
    kind: 'CustomResourceDefinition',
    spec: { group, names: { kind }, versions: versions.map(([name, served]) => ({ name, served })) },
  };
}

describe('gateway-api-crd-too-old', () => {
  it('wants v1beta1 and v1 served where istioctl precheck does', () => {
    expect(missingVersions(crd('ReferenceGrant', [['v1alpha2', true]]))).toEqual([
      { version: 'v1beta1', level: 'unsupported' },
    ]);
    expect(missingVersions(crd('HTTPRoute', [['v1beta1', true]]))).toEqual([{ version: 'v1', level: 'future' }]);
    expect(
      missingVersions(
        crd('HTTPRoute', [
          ['v1', false],
          ['v1beta1', true],
        ]),
      ),
    ).toEqual([{ version: 'v1', level: 'future' }]);
    expect(missingVersions(crd('GRPCRoute', [['v1', true]]))).toEqual([]);
    expect(missingVersions(crd('TCPRoute', [['v1alpha2', true]]))).toEqual([]);
    expect(missingVersions(crd('HTTPRoute', [['v1alpha1', true]], 'example.com'))).toEqual([]);
  });
});
