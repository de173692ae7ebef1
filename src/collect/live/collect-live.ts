import type { Logging } from '@google-cloud/logging';
import type { Catalog } from '../../runbooks/catalog';
import type { Check, Evidence } from '../../diagnosis/evidence';
import type { Pod } from '../../diagnosis/kube-types';
import { toIso } from '../../util/time';
import { EvidenceBuilder } from '../evidence-builder';
import { LogMatcher } from '../log-matcher';
import { DEFAULT_CLOUD_LOG, readCloudLogs } from './cloud-log-reader';
import { readCluster } from './cluster-reader';
import type { KubeApis } from './kube-apis';
import type { StartWindowGroup, StartWindowOptions } from './log-window';
import { DEFAULT_START_WINDOWS, groupStartWindows, podStartWindows } from './log-window';
import { DEFAULT_POD_LOGS, readPodLogs } from './pod-log-reader';
import type { RetryPolicy } from './retry';

/** The clients a live diagnosis reads through. `logging` null: pod logs through the Kubernetes API. */
export interface LiveSources {
  kube: KubeApis;
  logging: { client: Logging; projectId: string } | null;
}

/** What a live diagnosis reads. */
export interface LiveOptions {
  namespace: string | null;
  /** Where Istio's control plane is installed; pass the same list to `diagnose`. */
  controlPlaneNamespaces: readonly string[];
  /** How far back to read logs. */
  sinceMs: number;
  nowMs: number;
  maxLogEntries?: number;
  /** Retry and time-out policy for every call (defaults per source). */
  retry?: RetryPolicy;
  /** The builder to read into (default a new one); `capture` passes one that also records what it reads. */
  builder?: EvidenceBuilder;
  /** Which container starts before the recent window are read too (default DEFAULT_START_WINDOWS). */
  startWindows?: Partial<StartWindowOptions>;
}

/** Start windows of the target namespace before those of the control plane (when room runs out). */
function targetFirst(groups: StartWindowGroup[], namespace: string | null): StartWindowGroup[] {
  if (namespace === null) return groups;
  return [...groups.filter((g) => g.namespace === namespace), ...groups.filter((g) => g.namespace !== namespace)];
}

/**
 * Reads a running cluster (and Cloud Logging, or pod logs) into evidence for the same engine the offline
 * mode uses: logs of the last `sinceMs`, and the first minutes of container starts before that within a
 * horizon (docs/live-reading.md). Cloud Logging's one query starts as soon as the pods are listed, since
 * it names the pods whose starts it reads (at once when `sinceMs` reaches past the horizon). Never throws for what could not be read: every source reports
 * a check instead.
 */
export async function collectLive(
  sources: LiveSources,
  catalog: Catalog,
  options: LiveOptions,
): Promise<{ evidence: Evidence; checks: Check[] }> {
  const builder = options.builder ?? new EvidenceBuilder(new LogMatcher(catalog.signatures));
  const namespaces = options.namespace ? [...new Set([options.namespace, ...options.controlPlaneNamespaces])] : null;
  const retry = options.retry ? { retry: options.retry } : {};
  const startWindows = { ...DEFAULT_START_WINDOWS, ...options.startWindows };
  // Settles once the pods are in the builder; never when they cannot be listed (then the whole read is awaited).
  let podsListed: () => void = () => undefined;
  const podsRead = new Promise<void>((resolve) => (podsListed = resolve));
  const cluster = readCluster(sources.kube, builder, {
    onKindRead: (kind) => {
      if (kind === 'Pod') podsListed();
    },
    namespace: options.namespace,
    controlPlaneNamespaces: options.controlPlaneNamespaces,
    ...retry,
  });
  const logging = sources.logging;
  const sinceSeconds = Math.ceil(options.sinceMs / 1000);
  const times = { nowMs: options.nowMs, recentFromMs: options.nowMs - sinceSeconds * 1000 };
  // Without a start that can lie before the recent window and within the horizon, the query needs no pods.
  const podsNeeded = startWindows.horizonMs > sinceSeconds * 1000 ? Promise.race([podsRead, cluster]) : undefined;
  const logs = logging
    ? Promise.resolve(podsNeeded).then(() =>
        readCloudLogs(logging.client, catalog.signatures, builder, {
          ...DEFAULT_CLOUD_LOG,
          ...(options.maxLogEntries ? { maxEntries: options.maxLogEntries } : {}),
          ...retry,
          projectId: logging.projectId,
          namespaces,
          sinceIso: toIso(times.recentFromMs),
          startWindows: {
            groups: targetFirst(
              groupStartWindows(
                podStartWindows(builder.objectsOf('Pod') as Pod[], times, startWindows),
                startWindows.windowMs,
              ),
              options.namespace,
            ),
            options: startWindows,
          },
        }),
      )
    : cluster.then(() =>
        readPodLogs(sources.kube, builder.objectsOf('Pod') as Pod[], builder, {
          ...DEFAULT_POD_LOGS,
          ...retry,
          sinceSeconds,
          nowMs: options.nowMs,
          startWindows,
        }),
      );
  const [clusterChecks, logChecks] = await Promise.all([cluster, logs]);
  return { evidence: builder.build(options.nowMs), checks: [...clusterChecks, ...logChecks] };
}
