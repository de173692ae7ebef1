import type { Check } from '../../diagnosis/evidence';
import type { Pod } from '../../diagnosis/kube-types';
import type { EvidenceBuilder } from '../evidence-builder';
import { judgeKubeError, reasonOf, statusOf } from './api-errors';
import type { KubeApis } from './kube-apis';
import type { LogTimes, StartWindowOptions, TimeSpan } from './log-window';
import { DEFAULT_START_WINDOWS, clipBlock, containerInstances, spanText, startWindow } from './log-window';
import type { NodeAgentScope } from './node-agents';
import { scopeBlock } from './node-agents';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY, limiter, withRetry } from './retry';

/** What to read when there is no Cloud Logging: container logs through the Kubernetes API. */
export interface PodLogOptions {
  sinceSeconds: number;
  /** Now, as the diagnosis sees it: the recent window starts `sinceSeconds` before it. */
  nowMs: number;
  /** Read at most this many pods' logs (the report says when more were skipped). */
  maxPods: number;
  concurrency: number;
  retry: RetryPolicy;
  /** Which starts before the recent window are read too, and how much of each. */
  startWindows: StartWindowOptions;
  /** For a read aimed at a namespace: the node agents read and their lines kept (see node-agents.ts). */
  scope?: NodeAgentScope | null;
}

export const DEFAULT_POD_LOGS: Omit<PodLogOptions, 'sinceSeconds' | 'nowMs'> = {
  maxPods: 300,
  concurrency: 8,
  retry: DEFAULT_RETRY,
  startWindows: DEFAULT_START_WINDOWS,
};

/** One read of one container instance's log: its recent window, or the first minutes after its start. */
interface LogRequest {
  pod: Pod;
  container: string;
  previous: boolean;
  /**
   * Set for a start window: the instance's log from its beginning (its start; the client has no
   * `sinceTime`) up to a byte limit, of which only this span is kept.
   */
  start: TimeSpan | null;
}

function requestsFor(pod: Pod, times: LogTimes, options: StartWindowOptions): LogRequest[] {
  return containerInstances(pod).flatMap(({ container, previous, startMs }) => {
    const start = startWindow(startMs, times, options);
    return [{ pod, container, previous, start: null }, ...(start ? [{ pod, container, previous, start }] : [])];
  });
}

/**
 * Reads every container's log (init containers and istio-proxy included, and the previous instance of
 * restarted containers) with timestamps, under a concurrency cap: the recent window of each instance and,
 * for an instance that started before it within the horizon, the first minutes after its start (the log
 * from its beginning up to a byte limit, cut where the recent window begins so no line is read twice). A
 * container that has not started yet (400) is not an error; a denied read is.
 */
export async function readPodLogs(
  apis: KubeApis,
  pods: Pod[],
  builder: EvidenceBuilder,
  options: PodLogOptions,
): Promise<Check[]> {
  const run = limiter(options.concurrency);
  const scope = options.scope ?? null;
  const wanted = scope ? pods.filter((p) => scope.reads(p)) : pods;
  const chosen = wanted.slice(0, options.maxPods);
  const times = { nowMs: options.nowMs, recentFromMs: options.nowMs - options.sinceSeconds * 1000 };
  const requests = chosen.flatMap((pod) => requestsFor(pod, times, options.startWindows));
  let read = 0;
  let startsRead = 0;
  let denied: string | null = null;
  const failures: string[] = [];
  await Promise.all(
    requests.map(({ pod, container, previous, start }) =>
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
                ...(start ? { limitBytes: options.startWindows.limitBytes } : { sinceSeconds: options.sinceSeconds }),
                ...(previous ? { previous } : {}),
              }),
            judgeKubeError,
            options.retry,
          );
          const block = typeof text === 'string' ? text : String(text ?? '');
          const source = { namespace, pod: name, container };
          if (start) {
            const cut = Buffer.byteLength(block, 'utf8') >= options.startWindows.limitBytes;
            builder.addTextBlock(scopeBlock(scope, source, clipBlock(block, start, cut)), source);
            startsRead++;
          } else {
            builder.addTextBlock(scopeBlock(scope, source, block), source);
            read++;
          }
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
      detail:
        `${read} container log(s) of ${chosen.length} pod(s): last ${spanText(options.sinceSeconds * 1000)}` +
        (startsRead > 0
          ? `, and the first minutes of ${startsRead} container start(s) up to ${spanText(options.startWindows.horizonMs)} back`
          : ''),
    });
  if (wanted.length > chosen.length)
    checks.push({
      id: 'read:pod-logs-cap',
      status: 'skipped',
      detail: `logs of ${wanted.length - chosen.length} more pod(s) not read (cap ${options.maxPods}); narrow with --namespace or use Cloud Logging`,
    });
  return checks;
}
