import { z } from 'zod';
import { earliestTime, latestTime } from './alert-times';
import { incidentKey } from './incident-key';
import { firstText } from './first-text';
import { mergeLabels } from './merge-labels';
import { parseBody } from './parse-body';
import type { AlertNotification, ParseResult } from './types';

const labelSet = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved']);

/** One alert of an Alertmanager webhook notification. Unknown extra keys are kept. */
export const alertmanagerAlertSchema = z.looseObject({
  status,
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** The Alertmanager `webhook_config` payload, version "4". Unknown extra keys are kept. */
export const alertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).optional(),
  status,
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema).min(1),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

/** Parses an Alertmanager webhook body; never throws. */
export function parseAlertmanager(body: unknown): ParseResult {
  const parsed = parseBody(alertmanagerPayloadSchema, body, 'an Alertmanager notification');
  return parsed.ok ? { ok: true, notification: toNotification(parsed.data) } : parsed;
}

function toNotification(payload: AlertmanagerPayload): AlertNotification {
  const alerts = payload.alerts;
  const first = alerts[0]!;
  const alertLabels = alerts.map((a) => a.labels);
  const labels = mergeLabels([payload.commonLabels, ...alertLabels]);
  return {
    source: 'alertmanager',
    incidentKey: incidentKey('am', [payload.receiver, payload.groupKey]),
    status: payload.status,
    title:
      firstText(payload.commonLabels.alertname, payload.groupLabels.alertname, first.labels.alertname) ??
      'Alertmanager alert',
    severity: firstText(labels.severity),
    summary: firstText(
      payload.commonAnnotations.summary,
      payload.commonAnnotations.description,
      first.annotations.summary,
      first.annotations.description,
    ),
    labels,
    alertLabels,
    startsAt: earliestTime(alerts.map((a) => a.startsAt)),
    endsAt: payload.status === 'resolved' ? latestTime(alerts.map((a) => a.endsAt)) : null,
    url: firstText(first.generatorURL, payload.externalURL),
    alertCount: alerts.length,
  };
}
