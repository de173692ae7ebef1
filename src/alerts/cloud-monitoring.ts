import { z } from 'zod';
import { epochTime } from './alert-times';
import { firstText } from './first-text';
import { incidentKey } from './incident-key';
import { mergeLabels } from './merge-labels';
import { parseBody } from './parse-body';
import type { AlertNotification, ParseResult } from './types';

const labelSet = z.record(z.string(), z.string());
/** metadata.system_labels is a protobuf Struct: scalars are kept as text, lists and objects are dropped. */
const systemLabels = z
  .record(z.string(), z.unknown())
  .transform((struct) =>
    Object.fromEntries(
      Object.entries(struct).flatMap(([k, v]) =>
        typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[k, String(v)]] : [],
      ),
    ),
  );
const time = z.union([z.number(), z.string()]).nullish();

/** The `incident` of a Cloud Monitoring webhook notification (schema 1.2). Unknown extra keys are kept. */
export const cloudMonitoringIncidentSchema = z.looseObject({
  incident_id: z.string().min(1),
  scoping_project_id: z.string().nullish(),
  url: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  started_at: time,
  ended_at: time,
  summary: z.string().nullish(),
  policy_name: z.string().nullish(),
  condition_name: z.string().nullish(),
  resource: z.looseObject({ type: z.string().nullish(), labels: labelSet.nullish() }).nullish(),
  resource_type_display_name: z.string().nullish(),
  metric: z
    .looseObject({ type: z.string().nullish(), displayName: z.string().nullish(), labels: labelSet.nullish() })
    .nullish(),
  metadata: z.looseObject({ system_labels: systemLabels.nullish(), user_labels: labelSet.nullish() }).nullish(),
  policy_user_labels: labelSet.nullish(),
  severity: z.string().nullish(),
});

/** A Cloud Monitoring webhook notification (version "1.2"; test notifications look the same). */
export const cloudMonitoringPayloadSchema = z.looseObject({
  version: z.string().nullish(),
  incident: cloudMonitoringIncidentSchema,
});

export type CloudMonitoringIncident = z.infer<typeof cloudMonitoringIncidentSchema>;

/** Parses a Cloud Monitoring webhook body; never throws. */
export function parseCloudMonitoring(body: unknown): ParseResult {
  const parsed = parseBody(cloudMonitoringPayloadSchema, body, 'a Cloud Monitoring notification');
  return parsed.ok ? { ok: true, notification: toNotification(parsed.data.incident) } : parsed;
}

function toNotification(incident: CloudMonitoringIncident): AlertNotification {
  const labels = mergeLabels([
    incident.resource?.labels ?? {},
    incident.metric?.labels ?? {},
    incident.metadata?.user_labels ?? {},
    incident.metadata?.system_labels ?? {},
    incident.policy_user_labels ?? {},
  ]);
  const scope = firstText(incident.scoping_project_id, incident.policy_name) ?? '';
  return {
    source: 'cloud-monitoring',
    incidentKey: incidentKey('cm', [scope, incident.incident_id]),
    status: incident.state === 'open' ? 'firing' : 'resolved',
    title: firstText(incident.policy_name, incident.condition_name) ?? 'Cloud Monitoring incident',
    severity: severity(incident),
    summary: firstText(incident.summary),
    labels,
    alertLabels: [labels],
    startsAt: epochTime(incident.started_at),
    endsAt: epochTime(incident.ended_at),
    url: firstText(incident.url),
    alertCount: 1,
  };
}

/** Cloud Monitoring says "Critical", "Error", "Warning" or "No severity"; the last one means none. */
function severity(incident: CloudMonitoringIncident): string | null {
  const stated = firstText(incident.severity);
  if (stated && stated.trim().toLowerCase() !== 'no severity') return stated;
  return firstText(incident.policy_user_labels?.severity);
}
