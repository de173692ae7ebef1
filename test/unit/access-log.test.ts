import { parseAccessLog } from '../../src/diagnosis/access-log';
import type { LogLine } from '../../src/diagnosis/evidence';
import { ipOf } from '../../src/diagnosis/services';

function line(text: string, fields: Record<string, unknown> | null = null): LogLine {
  return {
    time: null,
    ms: null,
    namespace: 'web',
    pod: 'gw-1',
    container: 'istio-proxy',
    severity: null,
    text,
    fields,
    signatures: [],
  };
}

describe('parseAccessLog', () => {
  it('reads the Istio 1.9+ TEXT format field by field', () => {
    const text =
      '[2024-05-14T09:12:03.412Z] "GET /api HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 3 - "-" "curl/8.5.0" "6d1f" "ui.portal.svc.cluster.local:3000" "10.4.2.17:3000" outbound|3000||ui.portal.svc.cluster.local 10.4.1.9:51234 10.8.3.21:3000 10.4.1.9:43210 - default';

    expect(parseAccessLog(line(text))).toEqual({
      code: 503,
      flags: ['UC'],
      details: 'upstream_reset_before_response_started{connection_termination}',
      upstreamCluster: 'outbound|3000||ui.portal.svc.cluster.local',
      cluster: {
        name: 'outbound|3000||ui.portal.svc.cluster.local',
        direction: 'outbound',
        port: 3000,
        subset: null,
        host: 'ui.portal.svc.cluster.local',
        special: null,
      },
      method: 'GET',
      path: '/api',
      routeName: 'default',
      startTime: '2024-05-14T09:12:03.412Z',
      authority: 'ui.portal.svc.cluster.local:3000',
      upstreamHost: '10.4.2.17:3000',
      hbone: false,
      downstreamLocal: '10.8.3.21:3000',
      downstreamRemote: '10.4.1.9:43210',
      destination: null,
    });
  });

  it('reads the older format without response code details, with typographic quotes', () => {
    const text =
      '[2020-09-14T07:00:25.505Z] \u201cGET /callback?code=x HTTP/2\u201d 503 UC \u201c-\u201d 0 95 1 - \u201c10.233.64.1\u201d \u201cMozilla/5.0\u201d \u201c2926fb89\u201d \u201c192.168.200.23:32222\u201d \u201c10.233.64.210:3000\u201d outbound|3000||dkube-ui.dkube.svc.cluster.local - 10.233.64.200:443 10.233.64.1:39082 -';

    expect(parseAccessLog(line(text))).toMatchObject({
      code: 503,
      flags: ['UC'],
      details: null,
      upstreamCluster: 'outbound|3000||dkube-ui.dkube.svc.cluster.local',
      authority: '192.168.200.23:32222',
    });
  });

  it('reads JSON-encoded access logs and comma-separated flags', () => {
    const fields = {
      response_code: '503',
      response_flags: 'UF,URX',
      upstream_cluster: 'outbound|80||a.b.svc.cluster.local',
      authority: '-',
    };

    expect(parseAccessLog(line('{}', fields))).toEqual({
      code: 503,
      flags: ['UF', 'URX'],
      details: null,
      upstreamCluster: 'outbound|80||a.b.svc.cluster.local',
      cluster: expect.objectContaining({ port: 80, subset: null, host: 'a.b.svc.cluster.local' }),
      method: null,
      path: null,
      routeName: null,
      startTime: null,
      authority: null,
      upstreamHost: null,
      hbone: false,
      downstreamLocal: null,
      downstreamRemote: null,
      destination: null,
    });
  });

  it('reads Cloud Service Mesh traffic-log fields, including the destination workload', () => {
    const fields = {
      response_code: 503,
      response_flags: 'UC',
      upstream_cluster: null,
      authority: 'ui.portal.svc.cluster.local',
      destination_workload: 'ui',
      destination_namespace: 'portal',
    };

    expect(parseAccessLog(line('"GET /x HTTP/1.1" 503 UC - -', fields))).toMatchObject({
      code: 503,
      flags: ['UC'],
      destination: { workload: 'ui', namespace: 'portal' },
    });
  });

  it("reads Envoy's default format of Istio 1.0, which ends at the upstream host and names no cluster", () => {
    const text =
      '[2018-11-06T14:02:51.338Z] "GET /api/orders HTTP/1.1" 503 UC 0 57 1 - "-" "okhttp/3.10.0" "b6f7c1d2-3e4f-9a5b-8c6d-7e8f9a0b1c2d" "10.55.240.17:8080" "10.52.3.14:8080"';

    expect(parseAccessLog(line(text))).toEqual({
      code: 503,
      flags: ['UC'],
      details: null,
      upstreamCluster: null,
      cluster: null,
      method: 'GET',
      path: '/api/orders',
      routeName: null,
      startTime: '2018-11-06T14:02:51.338Z',
      authority: '10.55.240.17:8080',
      upstreamHost: '10.52.3.14:8080',
      hbone: false,
      downstreamLocal: null,
      downstreamRemote: null,
      destination: null,
    });
  });

  it('reads the client address of an inbound connection refused for want of a matching filter chain', () => {
    const text =
      '[2023-02-21T19:45:06.559Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 4995 - "-" "-" "-" "-" "-" - - 10.1.2.188:50000 10.1.2.182:50001 - -';

    expect(parseAccessLog(line(text))).toMatchObject({
      code: 0,
      flags: ['NR'],
      details: 'filter_chain_not_found',
      upstreamCluster: null,
      downstreamLocal: '10.1.2.188:50000',
      downstreamRemote: '10.1.2.182:50001',
    });
  });

  it('reads the downstream addresses of JSON access logs', () => {
    const fields = {
      response_code: 0,
      response_flags: 'NR',
      response_code_details: 'filter_chain_not_found',
      downstream_local_address: '10.8.4.9:7070',
      downstream_remote_address: '10.8.1.22:43876',
    };

    expect(parseAccessLog(line('{}', fields))).toMatchObject({
      downstreamLocal: '10.8.4.9:7070',
      downstreamRemote: '10.8.1.22:43876',
    });
  });

  it('splits a subset cluster of a 503 NC line and reads the route name', () => {
    const text =
      '[2026-11-30T08:14:22.907Z] "GET /reviews/0 HTTP/1.1" 503 NC cluster_not_found - "-" 0 0 0 - "-" "python-requests/2.32.3" "4c1d8e0a-77b2-4f3e-9a61-0d2f5b8c9e14" "reviews:9080" "-" outbound|9080|v3|reviews.bookinfo.svc.cluster.local - 10.96.81.4:9080 10.244.1.23:50412 - reviews-canary';

    expect(parseAccessLog(line(text))).toMatchObject({
      code: 503,
      flags: ['NC'],
      details: 'cluster_not_found',
      cluster: {
        direction: 'outbound',
        port: 9080,
        subset: 'v3',
        host: 'reviews.bookinfo.svc.cluster.local',
        special: null,
      },
      routeName: 'reviews-canary',
      authority: 'reviews:9080',
      upstreamHost: null,
      hbone: false,
      downstreamLocal: '10.96.81.4:9080',
    });
  });

  it('names BlackHoleCluster and PassthroughCluster as special clusters', () => {
    const blocked =
      '[2026-11-30T08:15:01.112Z] "GET /v1/rates HTTP/1.1" 502 - direct_response - "-" 0 0 0 - "-" "curl/8.9.1" "9e3a51c0-2b7d-4c88-8f06-1a4b7c2d9e30" "api.rates.example.com" "-" BlackHoleCluster - 203.0.113.40:80 10.244.2.9:41122 - block_all';
    const passed =
      '[2026-11-30T08:15:02.310Z] "- - -" 0 - - - "-" 517 3911 84 - "-" "-" "-" "-" "198.51.100.7:443" PassthroughCluster 10.244.2.9:52210 198.51.100.7:443 10.244.2.9:52208 api.stripe.com -';

    expect(parseAccessLog(line(blocked))).toMatchObject({
      code: 502,
      details: 'direct_response',
      cluster: { special: 'BlackHoleCluster', direction: null, host: null },
      routeName: 'block_all',
    });
    expect(parseAccessLog(line(passed))?.cluster).toMatchObject({ special: 'PassthroughCluster' });
  });

  it('marks an AuthorizationPolicy denial with the RBAC flag', () => {
    const text =
      '[2026-11-30T08:16:40.004Z] "POST /api/pay HTTP/1.1" 403 - rbac_access_denied_matched_policy[ns[shop]-policy[deny-pay]-rule[0]] - "-" 0 19 0 - "-" "Go-http-client/1.1" "a0c4d6e8-1f2a-4b3c-9d4e-5f6a7b8c9d0e" "payments.shop:8080" "-" inbound|8080|| - 10.244.3.7:8080 10.244.1.5:40218 outbound_.8080_._.payments.shop.svc.cluster.local default';

    expect(parseAccessLog(line(text))).toMatchObject({
      code: 403,
      flags: ['RBAC'],
      details: 'rbac_access_denied_matched_policy[ns[shop]-policy[deny-pay]-rule[0]]',
      cluster: { direction: 'inbound', port: 8080, subset: null, host: null },
    });
  });

  it('reads the route, method and path of JSON access logs', () => {
    const fields = {
      start_time: '2026-11-30T08:17:00.501Z',
      method: 'GET',
      path: '/ratings/1',
      response_code: 404,
      response_flags: 'NR',
      response_code_details: 'route_not_found',
      upstream_cluster: '-',
      route_name: '-',
      authority: 'ratings.bookinfo:9080',
    };

    expect(parseAccessLog(line('{}', fields))).toMatchObject({
      code: 404,
      flags: ['NR'],
      details: 'route_not_found',
      cluster: null,
      routeName: null,
      method: 'GET',
      path: '/ratings/1',
      startTime: '2026-11-30T08:17:00.501Z',
    });
  });

  it('returns null for lines that are not access logs', () => {
    expect(parseAccessLog(line('2024-05-14T09:12:03Z info ads Push debounce stable'))).toBeNull();
  });
});

describe('parseAccessLog of gateways and waypoints in ambient mode', () => {
  it("reads a waypoint's HBONE upstream host and its inbound-vip cluster", () => {
    const text =
      '[2026-11-24T10:14:02.406Z] "GET /api/books HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 1 - "-" "Go-http-client/2.0" "9ccea098-f92e-4816-a6ca-330c831d03bf" "catalog.bookstore.svc.cluster.local" "envoy://connect_originate/10.8.2.31:8080" inbound-vip|80|http/v2|catalog.bookstore.svc.cluster.local envoy://internal_client_address/ 10.96.40.12:80 10.8.1.17:48812 - default';

    const record = parseAccessLog(line(text));

    expect(record).toMatchObject({
      code: 503,
      flags: ['UC'],
      upstreamHost: '10.8.2.31:8080',
      hbone: true,
      upstreamCluster: 'inbound-vip|80|http/v2|catalog.bookstore.svc.cluster.local',
      cluster: { direction: 'inbound-vip', port: 80, subset: 'v2', host: 'catalog.bookstore.svc.cluster.local' },
      downstreamLocal: '10.96.40.12:80',
      routeName: 'default',
    });
  });

  it('reads the HBONE upstream host of a JSON line and leaves other hosts as they are', () => {
    const json = (upstream: string): LogLine => ({
      ...line(''),
      fields: { response_code: 503, response_flags: 'UC', upstream_host: upstream },
    });

    expect(parseAccessLog(json('envoy://connect_originate/[fd00:10:8::1f]:8080'))).toMatchObject({
      upstreamHost: '[fd00:10:8::1f]:8080',
      hbone: true,
    });
    expect(parseAccessLog(json('10.8.2.31:8080'))).toMatchObject({ upstreamHost: '10.8.2.31:8080', hbone: false });
  });

  it('finds a waypoint cluster in a line cut short', () => {
    const text =
      '[2026-11-24T10:14:02.406Z] "GET /api/books HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} inbound-vip|80|http|catalog.bookstore.svc.cluster.local';

    expect(parseAccessLog(line(text))?.cluster).toMatchObject({ direction: 'inbound-vip', subset: null });
  });
});

describe('ipOf', () => {
  it.each([
    ['envoy://connect_originate/10.8.2.31:8080', '10.8.2.31'],
    ['envoy://connect_originate/[fd00::1f]:8080', 'fd00::1f'],
    ['10.8.2.31:8080', '10.8.2.31'],
    ['envoy://internal_client_address/', null],
    ['catalog.bookstore:80', null],
  ])('%s → %s', (address, ip) => {
    expect(ipOf(address)).toBe(ip);
  });
});
