import { negativeStatus } from '../../src/diagnosis/detectors/config-status-negative';

describe('config-status-negative', () => {
  it('reads False positive conditions, per route parent, and Istio validation errors, not other False conditions', () => {
    const found = negativeStatus({
      kind: 'HTTPRoute',
      status: {
        conditions: [
          { type: 'Accepted', status: 'True' },
          { type: 'Degraded', status: 'False' },
        ],
        parents: [
          {
            parentRef: { name: 'web' },
            conditions: [
              {
                type: 'ResolvedRefs',
                status: 'False',
                reason: 'RefNotPermitted',
                message: 'missing a ReferenceGrant?',
              },
            ],
          },
        ],
        validationMessages: [
          { level: 'ERROR', type: { code: 'IST0101' }, description: 'Referenced host not found' },
          { level: 'INFO', type: { code: 'IST0102' } },
        ],
      },
    });

    expect(found.map((f) => f.text)).toEqual([
      'parent web: ResolvedRefs=False (RefNotPermitted): missing a ReferenceGrant?',
      'ERROR IST0101 Referenced host not found',
    ]);
  });
});
