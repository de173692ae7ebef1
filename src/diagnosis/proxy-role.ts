import type { ClusterView } from './cluster-view';
import type { LogLine, ObjectRef } from './evidence';
import { GATEWAY_API_GROUP } from './kube-types';
import type { KubeObject, Pod } from './kube-types';
import { GATEWAY_NAME_LABEL } from './policies';
import { isWaypointGateway } from './ztunnel';

/** What kind of Envoy wrote an access-log line: a waypoint, a gateway, or a sidecar. */
export type ProxyRole = 'waypoint' | 'gateway' | 'sidecar';

/** The Envoy that wrote a line: its workload (Deployment of the pod) and its role. */
export interface LineProxy {
  ref: ObjectRef;
  role: ProxyRole;
}

/** The Gateway API Gateway a pod was deployed for (its gateway-name label, else its workload's name). */
function gatewayOf(view: ClusterView, pod: Pod | undefined, workload: ObjectRef): KubeObject | undefined {
  const name = pod?.metadata?.labels?.[GATEWAY_NAME_LABEL] ?? workload.name;
  return view.get(`Gateway.${GATEWAY_API_GROUP}`, workload.namespace, name);
}

/**
 * The proxy that logged a line: a waypoint when its pod belongs to a Gateway of class istio-waypoint, a
 * gateway when it belongs to another Gateway API Gateway or is labelled as an Istio gateway (`istio:
 * ingressgateway`, ...), else a sidecar.
 */
export function proxyOfLine(view: ClusterView, line: LogLine): LineProxy | null {
  if (!line.pod) return null;
  const pod = view.get<Pod>('Pod', line.namespace, line.pod);
  const ref = view.workloadOfPodName(line.namespace, line.pod);
  const gateway = gatewayOf(view, pod, ref);
  if (gateway && isWaypointGateway(gateway)) return { ref, role: 'waypoint' };
  const istioLabel = pod?.metadata?.labels?.istio ?? '';
  if (gateway || /gateway/.test(istioLabel) || (!pod && /gateway/.test(line.pod))) return { ref, role: 'gateway' };
  return { ref, role: 'sidecar' };
}
