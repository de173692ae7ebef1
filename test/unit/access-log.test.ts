import { parseAccessLog } from '../../src/diagnosis/access-log';
import type { LogLine } from '../../src/diagnosis/evidence';

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
      authority: 'ui.portal.svc.cluster.local:3000',
      upstreamHost: '10.4.2.17:3000',
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
      authority: null,
      upstreamHost: null,
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
      authority: '10.55.240.17:8080',
      upstreamHost: '10.52.3.14:8080',
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

  it('returns null for lines that are not access logs', () => {
    expect(parseAccessLog(line('2024-05-14T09:12:03Z info ads Push debounce stable'))).toBeNull();
  });
});
