import type { ContainerStatus, Pod, PodTemplate } from './kube-types';
import { toMs } from '../util/time';

export const SIDECAR = 'istio-proxy';

/** True when a pod or pod template has the Istio sidecar (classic or native). */
export function hasSidecar(pod: { spec?: Pod['spec'] } | PodTemplate | undefined): boolean {
  const spec = pod?.spec;
  return !!(spec?.containers?.some((c) => c.name === SIDECAR) || spec?.initContainers?.some((c) => c.name === SIDECAR));
}

export function containerStatus(pod: Pod | undefined, name: string): ContainerStatus | undefined {
  return (
    pod?.status?.containerStatuses?.find((s) => s.name === name) ??
    pod?.status?.initContainerStatuses?.find((s) => s.name === name)
  );
}

/** Whether the pod's Ready condition is True. */
export function podReady(pod: Pod | undefined): boolean {
  return pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Time of the latest transition of a pod condition to True, in ms. */
export function conditionTrueAt(pod: Pod | undefined, type: string): number | null {
  const condition = pod?.status?.conditions?.find((c) => c.type === type);
  return condition?.status === 'True' ? toMs(condition.lastTransitionTime) : null;
}

/** Annotations of a pod. */
export function annotations(
  pod: { metadata?: { annotations?: Record<string, string> } } | undefined,
): Record<string, string> {
  return pod?.metadata?.annotations ?? {};
}

/** True when the event's fieldPath designates a container by name (spec.containers{name}). */
export function fieldPathIs(fieldPath: string | null, container: string): boolean {
  return !!fieldPath && fieldPath.endsWith(`{${container}}`);
}
