import { parseAlertmanager } from '../../src/alerts/alertmanager';
import type { AlertNotification } from '../../src/alerts/types';
import { alertTarget, keepUsedFields } from '../../src/pipeline/alert-intake';
import { alertmanagerGroup } from '../helpers/alert-payloads';

function large(alerts: number, extraLabels: number): AlertNotification {
  const group = alertmanagerGroup('shop', 'cart') as { alerts: Array<{ labels: Record<string, string> }> };
  const [first] = group.alerts;
  group.alerts = Array.from({ length: alerts }, (_, a) => ({
    ...first,
    labels: {
      ...first?.labels,
      pod: `cart-7d9f8b6c5d-${String(a).padStart(5, 'x')}`,
      ...Object.fromEntries(Array.from({ length: extraLabels }, (_, i) => [`label_${i}`, `value-${a}-${i}`])),
    },
  })) as typeof group.alerts;
  const parsed = parseAlertmanager(group);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

describe('keepUsedFields: a notification cut to what the intake uses', () => {
  it('keeps the target labels only, and the same target', () => {
    const n = large(60, 200);
    const kept = keepUsedFields(n);
    expect(alertTarget(kept)).toEqual(alertTarget(n));
    expect(Object.keys(kept.labels).sort()).toEqual(['destination_workload', 'destination_workload_namespace', 'pod']);
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(n).length / 40);
    expect([kept.incidentKey, kept.status, kept.title, kept.alertCount]).toEqual([
      n.incidentKey,
      n.status,
      n.title,
      n.alertCount,
    ]);
  });

  it('keeps at most 200 distinct label sets and bounded texts', () => {
    const n = large(1_000, 0);
    const kept = keepUsedFields({ ...n, summary: 's'.repeat(10_000) });
    expect(kept.alertLabels).toHaveLength(200);
    expect(kept.summary).toHaveLength(2_000);
    expect(alertTarget(kept)).toEqual(alertTarget(n));
  });
});
