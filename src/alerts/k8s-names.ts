const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Values Istio and exporters write when they do not know the name. */
const PLACEHOLDERS = new Set(['unknown']);
/** Kubernetes' SafeEncodeString alphabet, used for pod-template-hash and random name suffixes. */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const REPLICA_SET_POD = new RegExp(`^(.+)-${SAFE}{5,10}-${SAFE}{5}$`);
const STATEFUL_SET_POD = /^(.+)-[0-9]+$/;

/** Whether a label value can be a namespace or workload name (a DNS-1123 label, not a placeholder). */
export function isResourceName(value: string | undefined): value is string {
  return value !== undefined && DNS_LABEL.test(value) && !PLACEHOLDERS.has(value);
}

/** The workload a pod belongs to, from its name: `cart-7d9f8b6c5d-x2x4q` → `cart`, `db-0` → `db`; else null. */
export function workloadFromPod(pod: string | undefined): string | null {
  if (!isResourceName(pod)) return null;
  const owner = REPLICA_SET_POD.exec(pod)?.[1] ?? STATEFUL_SET_POD.exec(pod)?.[1];
  return isResourceName(owner) ? owner : null;
}
