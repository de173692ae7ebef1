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

  it("leaves a waypoint's Programmed and the WaypointBound condition to the waypoint runbooks", () => {
    const programmedFalse = {
      type: 'Programmed',
      status: 'False',
      reason: 'AddressNotAssigned',
      message:
        'Failed to assign to any requested addresses: no instances found for hostname "wp.shop.svc.cluster.local"',
    };
    const waypoint = {
      kind: 'Gateway',
      spec: { gatewayClassName: 'istio-waypoint' },
      status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'Invalid' }, programmedFalse] },
    };
    const ingress = { kind: 'Gateway', spec: { gatewayClassName: 'istio' }, status: { conditions: [programmedFalse] } };
    const entry = {
      kind: 'ServiceEntry',
      status: {
        conditions: [
          {
            type: 'istio.io/WaypointBound',
            status: 'False',
            reason: 'AttachmentDenied',
            message: 'missing allowedRoutes?',
          },
        ],
      },
    };

    expect(negativeStatus(waypoint).map((f) => f.text)).toEqual(['Accepted=False (Invalid):']);
    expect(negativeStatus(ingress)).toHaveLength(1);
    expect(negativeStatus(entry)).toEqual([]);
  });

  it("leaves ztunnel's HTTP-attributes warning, and IST0171 when it is the only one, to ambient-l7-config-without-waypoint", () => {
    const ztunnelHttpWarning = {
      type: 'ZtunnelAccepted',
      status: 'False',
      reason: 'UnsupportedValue',
      message:
        'ztunnel does not support HTTP attributes (found: methods). In ambient mode you must use a waypoint proxy.',
    };
    const ist0171 = { level: 'WARNING', type: { code: 'IST0171', name: 'NegativeConditionStatus' } };
    const waypointRefused = { type: 'WaypointAccepted', status: 'False', reason: 'TargetNotFound', message: 'x' };

    expect(negativeStatus({ status: { conditions: [ztunnelHttpWarning], validationMessages: [ist0171] } })).toEqual([]);
    expect(
      negativeStatus({ status: { conditions: [ztunnelHttpWarning, waypointRefused], validationMessages: [ist0171] } }),
    ).toEqual([{ text: 'WARNING IST0171 NegativeConditionStatus', at: null }]);
  });
});
