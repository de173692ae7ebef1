import type { Check } from '../../diagnosis/evidence';
import type { Pod } from '../../diagnosis/kube-types';
import type { EvidenceBuilder } from '../evidence-builder';
import { judgeKubeError, reasonOf, statusOf } from './api-errors';
import type { KubeApis } from './kube-apis';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY, limiter, withRetry } from './retry';

/** What to read when there is no Cloud Logging: container logs through the Kubernetes API. */
export interface PodLogOptions {
  sinceSeconds: number;
  /** Read at most this many pods' logs (the report says when more were skipped). */
  maxPods: number;
  concurrency: number;
  retry: RetryPolicy;
}

export const DEFAULT_POD_LOGS: Omit<PodLogOptions, 'sinceSeconds'> = {
  maxPods: 300,
  concurrency: 8,
  retry: DEFAULT_RETRY,
};

interface LogRequest {
  pod: Pod;
  container: string;
  previous: boolean;
}

function requestsFor(pod: Pod): LogRequest[] {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
    .map((c) => c.name)
    .filter((n): n is string => !!n);
  return names.flatMap((container) => {
    const restarted = (statuses.find((s) => s.name === container)?.restartCount ?? 0) > 0;
    return [{ pod, container, previous: false }, ...(restarted ? [{ pod, container, previous: true }] : [])];
  });
}

/**
 * Reads every container's log (init containers and istio-proxy included, and the previous instance of
 * restarted containers) with timestamps, under a concurrency cap. A container that has not started yet
 * (400) is not an error; a denied read is.
 */
export async function readPodLogs(
  apis: KubeApis,
  pods: Pod[],
  builder: EvidenceBuilder,
  options: PodLogOptions,
): Promise<Check[]> {
  const run = limiter(options.concurrency);
  const chosen = pods.slice(0, options.maxPods);
  const requests = chosen.flatMap(requestsFor);
  let read = 0;
  let denied: string | null = null;
  const failures: string[] = [];
  await Promise.all(
    requests.map(({ pod, container, previous }) =>
      run(async () => {
        const name = pod.metadata?.name ?? '';
        const namespace = pod.metadata?.namespace ?? '';
        try {
          const text = await withRetry(
            'read pod log',
            () =>
              apis.core.readNamespacedPodLog({
                name,
                namespace,
                container,
                timestamps: true,
                sinceSeconds: options.sinceSeconds,
                ...(previous ? { previous } : {}),
              }),
            judgeKubeError,
            options.retry,
          );
          builder.addTextBlock(typeof text === 'string' ? text : String(text ?? ''), {
            namespace,
            pod: name,
            container,
          });
          read++;
        } catch (err) {
          const status = statusOf(err);
          if (status === 400 || status === 404) return;
          if (status === 403)
            denied = `access denied reading logs in namespace ${namespace}: grant verb "get" on "pods/log"`;
          else failures.push(`${namespace}/${name}[${container}]: ${reasonOf(err)}`);
        }
      }),
    ),
  );
  const checks: Check[] = [];
  if (denied) checks.push({ id: 'read:pod-logs', status: 'error', detail: denied });
  else if (failures.length)
    checks.push({
      id: 'read:pod-logs',
      status: 'error',
      detail: `${failures.length} container log(s) could not be read, e.g. ${failures[0]}`,
    });
  else
    checks.push({
      id: 'read:pod-logs',
      status: 'ok',
      detail: `${read} container log(s) of ${chosen.length} pod(s), last ${options.sinceSeconds}s`,
    });
  if (pods.length > chosen.length)
    checks.push({
      id: 'read:pod-logs-cap',
      status: 'skipped',
      detail: `logs of ${pods.length - chosen.length} more pod(s) not read (cap ${options.maxPods}); narrow with --namespace or use Cloud Logging`,
    });
  return checks;
}
