/** Where an alert notification came from. */
export type AlertSource = 'alertmanager' | 'cloud-monitoring';

/** One incident notification, whatever the source. */
export interface AlertNotification {
  source: AlertSource;
  /** Stable key of the incident: the same for re-sends, HA duplicates and the resolved notice. */
  incidentKey: string;
  status: 'firing' | 'resolved';
  /** alertname (Alertmanager) or policy name (Cloud Monitoring). */
  title: string;
  severity: string | null;
  summary: string | null;
  /**
   * Labels to find the target in: for Alertmanager commonLabels plus each alert's labels (first alert wins on
   * conflicts; the per-alert label sets are kept in `alertLabels`); for Cloud Monitoring resource.labels,
   * metric.labels, metadata user/system labels, policy_user_labels.
   */
  labels: Record<string, string>;
  /** Per-alert label sets (Alertmanager: one per alert; Cloud Monitoring: one). */
  alertLabels: Record<string, string>[];
  startsAt: string | null;
  endsAt: string | null;
  /** Link back to the alert source (generatorURL / externalURL / incident url), or null. */
  url: string | null;
  /** How many alerts the notification carried (Alertmanager groups), 1 for Cloud Monitoring. */
  alertCount: number;
}

/** The outcome of parsing a webhook body: a notification, or a short sentence naming the offending field. */
export type ParseResult = { ok: true; notification: AlertNotification } | { ok: false; reason: string };
