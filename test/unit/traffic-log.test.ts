import { entryLine } from '../../src/collect/normalize';
import { parseAccessLog } from '../../src/diagnosis/access-log';
import type { LogLine } from '../../src/diagnosis/evidence';

/** A Cloud Service Mesh traffic log entry (server-accesslog-stackdriver), written for this test. */
const entry = {
  timestamp: '2026-03-10T11:30:00.120Z',
  logName: 'projects/shop-prod/logs/server-accesslog-stackdriver',
  resource: { type: 'k8s_container', labels: { namespace_name: 'shop', pod_name: 'cart-5d8b7c9f4x-q2w4r' } },
  httpRequest: { requestMethod: 'GET', requestUrl: '/cart/42', status: 503, protocol: 'http' },
  labels: {
    response_flag: 'NC',
    response_details: 'cluster_not_found',
    upstream_cluster: 'outbound|8080|canary|cart.shop.svc.cluster.local',
    route_name: 'cart-canary',
    upstream_host: '-',
    destination_service_host: 'cart.shop.svc.cluster.local',
  },
};

describe('Cloud Service Mesh traffic logs', () => {
  it('carry the route name, flag and subset cluster into the access record', () => {
    const normalized = entryLine(entry);
    const line: LogLine = { ...normalized, ms: Date.parse(entry.timestamp), signatures: [] };

    const record = parseAccessLog(line);

    expect(record?.code).toBe(503);
    expect(record?.flags).toContain('NC');
    expect(record?.routeName).toBe('cart-canary');
    expect(record?.cluster?.subset).toBe('canary');
  });
});
