import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { LogMatcher } from '../../src/collect/log-matcher';
import { evidenceKind } from '../../src/diagnosis/kube-types';

describe('evidence kinds', () => {
  it('keeps Istio and Gateway API Gateways apart', () => {
    expect(evidenceKind('networking.istio.io/v1', 'Gateway')).toBe('Gateway');
    expect(evidenceKind('gateway.networking.k8s.io/v1', 'Gateway')).toBe('Gateway.gateway.networking.k8s.io');
    expect(evidenceKind('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe('HTTPRoute');
    expect(evidenceKind('v1', 'Pod')).toBe('Pod');
    expect(evidenceKind(undefined, undefined)).toBe('Unknown');
  });

  it('files the two Gateways of the same name under different kinds', () => {
    const builder = new EvidenceBuilder(new LogMatcher([]));
    const meta = { namespace: 'edge', name: 'public' };
    builder.addObject({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta });
    builder.addObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta });

    const evidence = builder.build();

    expect(evidence.objects.get('Gateway')?.map((o) => o.apiVersion)).toEqual(['networking.istio.io/v1']);
    expect(evidence.objects.get('Gateway.gateway.networking.k8s.io')?.map((o) => o.apiVersion)).toEqual([
      'gateway.networking.k8s.io/v1',
    ]);
  });
});
