export type { AlertNotification, AlertSource, ParseResult } from './types';
export {
  alertmanagerAlertSchema,
  alertmanagerPayloadSchema,
  parseAlertmanager,
  type AlertmanagerPayload,
} from './alertmanager';
export {
  cloudMonitoringIncidentSchema,
  cloudMonitoringPayloadSchema,
  parseCloudMonitoring,
  type CloudMonitoringIncident,
} from './cloud-monitoring';
export { extractGroupTarget, extractTarget, type AlertTarget } from './target';
export { parseAlertRoutes, routeChannel, type AlertRoute, type ParseRoutesResult } from './routing';
