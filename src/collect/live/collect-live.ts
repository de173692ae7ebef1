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
}

/**
 * Reads a running cluster (and Cloud Logging, or pod logs) into evidence for the same engine the offline
 * mode uses. Never throws for what could not be read: every source reports a check instead.
 */
export async function collectLive(
  sources: LiveSources,
  catalog: Catalog,
  options: LiveOptions,
): Promise<{ evidence: Evidence; checks: Check[] }> {
  const builder = options.builder ?? new EvidenceBuilder(new LogMatcher(catalog.signatures));
  const namespaces = options.namespace ? [...new Set([options.namespace, ...options.controlPlaneNamespaces])] : null;
  const retry = options.retry ? { retry: options.retry } : {};
  const cluster = readCluster(sources.kube, builder, {
    namespace: options.namespace,
    controlPlaneNamespaces: options.controlPlaneNamespaces,
    ...retry,
  });
  const logging = sources.logging;
  const logs = logging
    ? readCloudLogs(logging.client, catalog.signatures, builder, {
        ...DEFAULT_CLOUD_LOG,
        ...(options.maxLogEntries ? { maxEntries: options.maxLogEntries } : {}),
        ...retry,
        projectId: logging.projectId,
        namespaces,
        sinceIso: toIso(options.nowMs - options.sinceMs),
      })
    : cluster.then(() =>
        readPodLogs(sources.kube, builder.objectsOf('Pod') as Pod[], builder, {
          ...DEFAULT_POD_LOGS,
          ...retry,
          sinceSeconds: Math.ceil(options.sinceMs / 1000),
        }),
      );
  const [clusterChecks, logChecks] = await Promise.all([cluster, logs]);
  return { evidence: builder.build(options.nowMs), checks: [...clusterChecks, ...logChecks] };
}
