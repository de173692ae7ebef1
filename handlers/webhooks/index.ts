import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { parseCloudMonitoring } from '../../src/alerts/cloud-monitoring';
import type { HttpRoute } from '../../src/util/http-route';
import type { AlertEndpointDeps } from '../../src/bot/handler-deps';
import { alertEndpoint } from './alert-endpoint';

/** `POST /alerts/alertmanager` and `POST /alerts/cloud-monitoring` on the bot's HTTP server. */
export function alertRoutes(deps: AlertEndpointDeps): HttpRoute[] {
  return [
    alertEndpoint('/alerts/alertmanager', parseAlertmanager, deps),
    alertEndpoint('/alerts/cloud-monitoring', parseCloudMonitoring, deps),
  ];
}
