import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { parseCloudMonitoring } from '../../src/alerts/cloud-monitoring';
import type { ExtraRoute } from '../../src/bot/create-bot';
import type { AlertEndpointDeps } from './alert-endpoint';
import { alertEndpoint } from './alert-endpoint';

export type { AlertEndpointDeps } from './alert-endpoint';

/** `POST /alerts/alertmanager` and `POST /alerts/cloud-monitoring` on the bot's HTTP server. */
export function alertRoutes(deps: AlertEndpointDeps): ExtraRoute[] {
  return [
    alertEndpoint('/alerts/alertmanager', parseAlertmanager, deps),
    alertEndpoint('/alerts/cloud-monitoring', parseCloudMonitoring, deps),
  ];
}
