import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertmanagerPayload, CloudMonitoringIncident } from '../../src/alerts';
import { extractGroupTarget, extractTarget, parseAlertmanager, parseCloudMonitoring } from '../../src/alerts';

type CloudMonitoringPayload = { incident: CloudMonitoringIncident; version: string };

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures/alerts', `${name}.json`), 'utf8')) as T;
}

function notification(result: ReturnType<typeof parseAlertmanager>) {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.notification;
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { deeper: value };
  return value;
}

function nestedList(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const CART_5XX_KEY = 'am:71a814f67e8e231551630d368e8e4cb2';
const CART_503_KEY = 'cm:c01b83ef09b4e91c0c70283603eeb26f';

describe('parseAlertmanager', () => {
  it('reads a firing Istio 5xx group', () => {
    const body = fixture<AlertmanagerPayload>('alertmanager-firing');

    const result = notification(parseAlertmanager(body));

    expect(result).toEqual({
      source: 'alertmanager',
      incidentKey: CART_5XX_KEY,
      status: 'firing',
      title: 'IstioHigh5xxRate',
      severity: 'critical',
      summary: 'High 5xx rate on cart.shop',
      labels: {
        alertname: 'IstioHigh5xxRate',
        destination_workload: 'cart',
        destination_workload_namespace: 'shop',
        namespace: 'shop',
        reporter: 'destination',
        severity: 'critical',
        pod: 'cart-7d9f8b6c5d-x2x4q',
      },
      alertLabels: [body.alerts[0]!.labels, body.alerts[1]!.labels],
      startsAt: '2024-05-14T10:01:45.118Z',
      endsAt: null,
      url: body.alerts[0]!.generatorURL,
      alertCount: 2,
    });
    expect(extractGroupTarget(result.alertLabels, body.commonLabels)).toEqual({
      cluster: null,
      namespace: 'shop',
      workload: 'cart',
      lacking: [],
      from: ['destination_workload_namespace', 'destination_workload'],
    });
  });

  it('gives the resolved notice the key of the firing one', () => {
    const firing = notification(parseAlertmanager(fixture('alertmanager-firing')));

    const resolved = notification(parseAlertmanager(fixture('alertmanager-resolved')));

    expect(resolved).toMatchObject({
      incidentKey: firing.incidentKey,
      status: 'resolved',
      title: 'IstioHigh5xxRate',
      startsAt: '2024-05-14T10:01:45.118Z',
      endsAt: '2024-05-14T10:33:45.118Z',
      alertCount: 2,
    });
  });

  it('gives an HA duplicate with the alerts in another order the same key and times', () => {
    const body = fixture<AlertmanagerPayload>('alertmanager-firing');
    const duplicate = { ...body, alerts: [...body.alerts].reverse() };

    const first = notification(parseAlertmanager(body));
    const second = notification(parseAlertmanager(duplicate));

    expect(second.incidentKey).toBe(first.incidentKey);
    expect(second).toMatchObject({ title: first.title, startsAt: first.startsAt, severity: 'critical' });
    expect(second.labels.pod).toBe('cart-7d9f8b6c5d-b8k2m');
  });

  it('keys incidents by receiver and group key', () => {
    const body = fixture<AlertmanagerPayload>('alertmanager-firing');

    const otherReceiver = notification(parseAlertmanager({ ...body, receiver: 'pager' }));
    const otherGroup = notification(parseAlertmanager({ ...body, groupKey: '{}:{alertname="IstioHigh5xxRate"}' }));

    expect(otherReceiver.incidentKey).toMatch(/^am:[0-9a-f]{32}$/);
    expect(otherReceiver.incidentKey).not.toBe(CART_5XX_KEY);
    expect(otherGroup.incidentKey).not.toBe(CART_5XX_KEY);
    expect(otherGroup.incidentKey).not.toBe(otherReceiver.incidentKey);
  });

  it('reads an alert without a target, with defaults for what is missing', () => {
    const body = fixture<AlertmanagerPayload>('alertmanager-no-target');

    const result = notification(parseAlertmanager(body));

    expect(result).toEqual({
      source: 'alertmanager',
      incidentKey: 'am:9081dd699deef5678128b013b17cb4ef',
      status: 'firing',
      title: 'EnvoyStatsScrapeFailing',
      severity: null,
      summary: 'Prometheus has not scraped 10.8.2.17:15090 for 10 minutes.',
      labels: { alertname: 'EnvoyStatsScrapeFailing', instance: '10.8.2.17:15090', job: 'envoy-stats' },
      alertLabels: [{ alertname: 'EnvoyStatsScrapeFailing', instance: '10.8.2.17:15090', job: 'envoy-stats' }],
      startsAt: '2024-05-14T09:50:12.004Z',
      endsAt: null,
      url: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=up%7Bjob%3D%22envoy-stats%22%7D+%3D%3D+0&g0.tab=1',
      alertCount: 1,
    });
    expect(extractTarget(result.labels)).toMatchObject({ namespace: null, workload: null, from: [] });
  });

  it('accepts unknown extra keys and falls back for title, summary and url', () => {
    const body = {
      version: '4',
      groupKey: '{}:{}',
      status: 'firing',
      receiver: 'grafana',
      orgId: 1,
      externalURL: 'https://grafana.example.com/',
      alerts: [{ status: 'firing', labels: { team: 'blue' }, silenceURL: 'https://x', values: { B: 4.2 } }],
    };

    const result = notification(parseAlertmanager(body));

    expect(result).toMatchObject({
      title: 'Alertmanager alert',
      summary: null,
      url: 'https://grafana.example.com/',
      startsAt: null,
      labels: { team: 'blue' },
    });
  });

  it.each([
    ['null', null, 'the body must be a JSON object, not null'],
    ['nothing', undefined, 'the body must be a JSON object, not nothing'],
    ['a string', '{"version":"4"}', 'the body must be a JSON object, not a string'],
    ['an array', [], 'the body must be a JSON object, not an array'],
  ])('rejects %s as the body', (_name, body, reason) => {
    const result = parseAlertmanager(body);

    expect(result).toEqual({ ok: false, reason });
  });

  it.each<[string, (body: Record<string, unknown>) => void, string]>([
    ['another version', (b) => (b.version = '3'), 'version must be "4"'],
    ['a missing groupKey', (b) => delete b.groupKey, 'groupKey is missing'],
    ['an unknown status', (b) => (b.status = 'pending'), 'status must be one of "firing", "resolved"'],
    ['no alerts', (b) => (b.alerts = []), 'alerts must not be empty'],
    ['alerts that are not a list', (b) => (b.alerts = { 0: {} }), 'alerts must be an array, not an object'],
    [
      'a numeric label',
      (b) => ((b.alerts as { labels: Record<string, unknown> }[])[0]!.labels.namespace = 7),
      'alerts[0].labels.namespace must be a string, not a number',
    ],
    [
      'a numeric label with a dotted name',
      (b) => ((b.alerts as { labels: Record<string, unknown> }[])[1]!.labels['app.kubernetes.io/name'] = 1),
      'alerts[1].labels["app.kubernetes.io/name"] must be a string, not a number',
    ],
    [
      'a label nested 10000 deep',
      (b) => ((b.alerts as { labels: Record<string, unknown> }[])[0]!.labels.pod = nested(10000)),
      'alerts[0].labels.pod must be a string, not an object',
    ],
    ['an alert nested 10000 deep', (b) => (b.alerts = [nested(10000)]), 'alerts[0].status is missing'],
    ['lists nested 10000 deep', (b) => (b.alerts = [nestedList(10000)]), 'alerts[0] must be an object, not an array'],
    [
      'a common label that is null',
      (b) => (b.commonLabels = { severity: null }),
      'commonLabels.severity must be a string, not null',
    ],
  ])('rejects %s, naming the field', (_name, spoil, reason) => {
    const body = fixture<Record<string, unknown>>('alertmanager-firing');
    spoil(body);

    const result = parseAlertmanager(body);

    expect(result).toEqual({ ok: false, reason });
  });

  it('ignores deep nesting under unknown keys', () => {
    const body = { ...fixture<AlertmanagerPayload>('alertmanager-firing'), extra: nested(100000) };

    const result = parseAlertmanager(body);

    expect(result.ok).toBe(true);
  });

  it('does not throw when reading the body throws', () => {
    const body = fixture<Record<string, unknown>>('alertmanager-firing');
    Object.defineProperty(body, 'version', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });

    const result = parseAlertmanager(body);

    expect(result).toEqual({ ok: false, reason: 'the body could not be read as an Alertmanager notification' });
  });
});

describe('parseCloudMonitoring', () => {
  it('reads an open incident on a k8s_container', () => {
    const body = fixture<CloudMonitoringPayload>('cloud-monitoring-open');

    const result = notification(parseCloudMonitoring(body));

    expect(result).toEqual({
      source: 'cloud-monitoring',
      incidentKey: CART_503_KEY,
      status: 'firing',
      title: 'Envoy 503 UC in shop',
      severity: 'Critical',
      summary: body.incident.summary,
      labels: {
        cluster_name: 'shop-prod-eu',
        container_name: 'istio-proxy',
        location: 'europe-west1',
        namespace_name: 'shop',
        pod_name: 'cart-7d9f8b6c5d-x2x4q',
        project_id: 'acme-shop-prod',
        response_code: '503',
        response_flags: 'UC',
        team: 'storefront',
      },
      alertLabels: [result.labels],
      startsAt: '2024-05-14T10:00:00.000Z',
      endsAt: null,
      url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.nmn2n0fqxq8s?project=acme-shop-prod',
      alertCount: 1,
    });
    expect(extractTarget(result.labels)).toEqual({
      cluster: 'shop-prod-eu',
      clusterAliases: ['gke_acme-shop-prod_europe-west1_shop-prod-eu'],
      namespace: 'shop',
      workload: 'cart',
      lacking: [],
      from: ['namespace_name', 'pod_name'],
    });
  });

  it('gives the closed incident the key of the open one', () => {
    const closed = notification(parseCloudMonitoring(fixture('cloud-monitoring-closed')));

    expect(closed).toMatchObject({
      incidentKey: CART_503_KEY,
      status: 'resolved',
      startsAt: '2024-05-14T10:00:00.000Z',
      endsAt: '2024-05-14T10:25:00.000Z',
    });
  });

  it('reads an Istio metric incident, merging labels with the earlier source winning', () => {
    const body = fixture<CloudMonitoringPayload>('cloud-monitoring-istio-metric');

    const result = notification(parseCloudMonitoring(body));

    expect(result).toMatchObject({
      incidentKey: 'cm:fc011e4989f48344b403a00fee941df3',
      title: 'Istio 5xx on checkout',
      severity: 'warning',
      startsAt: '2024-05-14T11:02:00.000Z',
    });
    expect(result.labels).toEqual({
      canonical_service_name: 'checkout',
      canonical_service_namespace: 'payments',
      location: 'europe-west1',
      mesh_uid: 'proj-482913374511',
      namespace_name: 'payments',
      project_id: 'acme-shop-prod',
      destination_workload_name: 'checkout',
      destination_workload_namespace: 'payments',
      response_code: '503',
      team: 'payments',
      state: 'ACTIVE',
      replicas: '3',
      severity: 'warning',
    });
    expect(extractTarget(result.labels)).toMatchObject({
      namespace: 'payments',
      workload: 'checkout',
      from: ['destination_workload_namespace', 'destination_workload_name'],
    });
  });

  it('keys by policy name when the scoping project is missing, and keeps string times', () => {
    const body = fixture<CloudMonitoringPayload>('cloud-monitoring-istio-metric');
    delete body.incident.scoping_project_id;
    body.incident.started_at = '2024-05-14T11:02:00Z';
    body.incident.severity = 'Error';

    const result = notification(parseCloudMonitoring(body));

    expect(result).toMatchObject({
      incidentKey: 'cm:c780d4ab77d8c1444656f448e13e6d0c',
      startsAt: '2024-05-14T11:02:00Z',
      severity: 'Error',
    });
  });

  it('accepts a minimal test notification', () => {
    const body = { incident: { incident_id: '12345', state: 'open' } };

    const result = notification(parseCloudMonitoring(body));

    expect(result).toMatchObject({
      status: 'firing',
      title: 'Cloud Monitoring incident',
      severity: null,
      labels: {},
      alertLabels: [{}],
      url: null,
      startsAt: null,
    });
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'the body must be a JSON object, not null'],
    ['an Alertmanager body', { version: '4', alerts: [] }, 'incident is missing'],
    ['a missing incident id', { incident: { state: 'open' } }, 'incident.incident_id is missing'],
    [
      'an unknown state',
      { incident: { incident_id: '1', state: 'acked' } },
      'incident.state must be one of "open", "closed"',
    ],
    [
      'a numeric resource label',
      { incident: { incident_id: '1', state: 'open', resource: { labels: { pod_name: 5 } } } },
      'incident.resource.labels.pod_name must be a string, not a number',
    ],
    [
      'user labels that are a list',
      { incident: { incident_id: '1', state: 'open', metadata: { user_labels: ['a'] } } },
      'incident.metadata.user_labels must be an object, not an array',
    ],
    ['an incident nested 10000 deep', { incident: nested(10000) }, 'incident.incident_id is missing'],
  ])('rejects %s, naming the field', (_name, body, reason) => {
    const result = parseCloudMonitoring(body);

    expect(result).toEqual({ ok: false, reason });
  });
});
