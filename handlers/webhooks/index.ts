import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { parseCloudMonitoring } from '../../src/alerts/cloud-monitoring';
import type { AlertEndpointDeps } from '../../src/bot/handler-deps';
import type { HttpRoute } from '../../src/util/http-route';
import { createByteBudget } from '../../src/util/work-limiter';
import { ALERT_BYTES_IN_FLIGHT, alertEndpoint } from './alert-endpoint';

/** `POST /alerts/alertmanager` and `POST /alerts/cloud-monitoring` on the bot's HTTP server, one byte budget. */
export function alertRoutes(deps: AlertEndpointDeps): HttpRoute[] {
  const budget = createByteBudget(ALERT_BYTES_IN_FLIGHT);
  return [
    alertEndpoint('/alerts/alertmanager', parseAlertmanager, deps, budget),
    alertEndpoint('/alerts/cloud-monitoring', parseCloudMonitoring, deps, budget),
  ];
}
