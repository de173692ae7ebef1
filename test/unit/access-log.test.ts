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

  it('returns null for lines that are not access logs', () => {
    expect(parseAccessLog(line('2024-05-14T09:12:03Z info ads Push debounce stable'))).toBeNull();
  });
});
