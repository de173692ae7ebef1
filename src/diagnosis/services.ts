import type { ClusterView } from './cluster-view';
import type { ObjectRef } from './evidence';
import type { Service, Workload } from './kube-types';

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** The workload behind a Service: a Deployment/StatefulSet whose pod template its selector matches. */
export function workloadOfService(view: ClusterView, namespace: string, name: string): ObjectRef | null {
  const svc = view.get<Service>('Service', namespace, name);
  const selector = svc?.spec?.selector;
  if (!selector) return null;
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    const found = view
      .list<Workload>(kind)
      .find((w) => w.metadata?.namespace === namespace && matches(selector, w.spec?.template?.metadata?.labels));
    if (found) return { kind, namespace, name: found.metadata?.name ?? '' };
  }
  const pod = view.pods().find((p) => p.metadata?.namespace === namespace && matches(selector, p.metadata?.labels));
  return pod ? view.workloadOfPod(pod) : null;
}

/** Splits `name.namespace.svc.cluster.local[:port]` (or a short name) into service and namespace. */
export function serviceOfHost(
  host: string,
  defaultNamespace: string | null,
): { name: string; namespace: string | null } | null {
  const bare = host.replace(/:[0-9]+$/, '');
  if (/^[0-9.]+$/.test(bare) || bare.length === 0) return null;
  const parts = bare.split('.');
  const name = parts[0] ?? '';
  if (parts.length === 1) return { name, namespace: defaultNamespace };
  if (parts.length >= 2 && (parts.length === 2 || parts[2] === 'svc'))
    return { name, namespace: parts[1] ?? defaultNamespace };
  return null;
}
