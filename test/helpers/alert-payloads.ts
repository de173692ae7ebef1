import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A payload from test/fixtures/alerts, as real Alertmanager / Cloud Monitoring send it. */
export function alertFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alerts', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** An Alertmanager (webhook version 4) notification for one workload's group. */
export function alertmanagerGroup(
  namespace: string,
  workload: string,
  options: { status?: 'firing' | 'resolved'; pods?: string[]; alertname?: string; cluster?: string } = {},
): Record<string, unknown> {
  const alertname = options.alertname ?? 'IstioHigh5xxRate';
  const status = options.status ?? 'firing';
  const pods = options.pods ?? [`${workload}-7d9f8b6c5d-x2x4q`];
  const common = {
    alertname,
    destination_workload: workload,
    destination_workload_namespace: namespace,
    severity: 'critical',
    // Prometheus' external label, on every alert it sends.
    ...(options.cluster ? { cluster: options.cluster } : {}),
  };
  return {
    version: '4',
    groupKey: `{}/{severity="critical"}:{${options.cluster ? `cluster="${options.cluster}", ` : ''}alertname="${alertname}", destination_workload="${workload}", destination_workload_namespace="${namespace}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'mesh-doctor',
    groupLabels: { alertname, destination_workload: workload, destination_workload_namespace: namespace },
    commonLabels: common,
    commonAnnotations: { summary: `High 5xx rate on ${workload}.${namespace}` },
    externalURL: 'http://alertmanager.monitoring.svc:9093',
    alerts: pods.map((pod, i) => ({
      status,
      labels: { ...common, pod },
      annotations: { summary: `High 5xx rate on ${workload}.${namespace}` },
      startsAt: '2024-05-14T10:02:30.512Z',
      endsAt: status === 'resolved' ? '2024-05-14T10:20:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=istio_requests_total',
      fingerprint: `${i}5d3c1f9a7b2e4c6`,
    })),
  };
}

/**
 * A storm: `count` Alertmanager notifications for `workloads` workloads, in rounds — every round re-sends
 * each workload's group (as repeat_interval and an HA pair would), pods listed in varying order.
 */
export function alertStorm(count: number, workloads: number): Array<{ path: string; body: string }> {
  return Array.from({ length: count }, (_, i) => {
    const k = i % workloads;
    const pods = [`svc-${k}-5f7b9c6d8-aaaaa`, `svc-${k}-5f7b9c6d8-bbbbb`];
    if (Math.floor(i / workloads) % 2 === 1) pods.reverse();
    return {
      path: '/alerts/alertmanager',
      body: JSON.stringify(alertmanagerGroup(`team-${k % 5}`, `svc-${k}`, { pods })),
    };
  });
}
