import type { Logging } from '@google-cloud/logging';
import type { Catalog } from '../../runbooks/catalog';
import type { Check, Evidence } from '../../diagnosis/evidence';
import type { Pod } from '../../diagnosis/kube-types';
import { toIso } from '../../util/time';
import { EvidenceBuilder } from '../evidence-builder';
import { LogMatcher } from '../log-matcher';
import { DEFAULT_CLOUD_LOG, readCloudLogs } from './cloud-log-reader';
import { DEFAULT_CLUSTER_READ, readCluster } from './cluster-reader';
import type { KubeApis } from './kube-apis';
import type { StartWindowGroup, StartWindowOptions } from './log-window';
import { DEFAULT_START_WINDOWS, groupStartWindows, podStartWindows } from './log-window';
import type { NodeAgentPods } from './log-query';
import type { NodeAgentScope } from './node-agents';
import { nodeAgentScope } from './node-agents';
import { DEFAULT_POD_LOGS, readPodLogs } from './pod-log-reader';
import type { CallOutcome, RetryPolicy } from './retry';

/** The clients a live diagnosis reads through. `logging` null: pod logs through the Kubernetes API. */
export interface LiveSources {
  kube: KubeApis;
  logging: { client: Logging; projectId: string } | null;
}

/** Where a live read's calls go. */
export type CallSource = 'kubernetes' | 'cloud-logging';

/** One attempt of a call to the Kubernetes API or Cloud Logging. */
export interface ApiCall {
  source: CallSource;
  outcome: CallOutcome;
  ms: number;
}

/** How a live read went: how long each source took, and how many calls (attempts) each needed. */
export interface ReadStats {
  phasesMs: { kubernetes: number; logs: number };
  calls: Record<CallSource, number>;
}

/** What a live diagnosis reads. */
export interface LiveOptions {
  namespace: string | null;
  /** The workload aimed at in `namespace`, if any: narrows the node agents read (node-agents.ts). */
  workload?: string | null;
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
  /** Told of every call attempt (latency metrics). */
  onCall?: (call: ApiCall) => void;
}

/** The node-agent pods a scope reads, by namespace. */
function agentsByNamespace(pods: Pod[], scope: NodeAgentScope): NodeAgentPods[] {
  const byNamespace = new Map<string, string[]>();
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    if (!scope.agents.has(`${namespace}/${name}`)) continue;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), name]);
  }
  return [...byNamespace].map(([namespace, names]) => ({ namespace, pods: names }));
}

/** A Cloud Logging entry's line as the scope judges it: a structured payload whole, else its text. */
function keepEntry(scope: NodeAgentScope): (entry: Record<string, unknown>) => boolean {
  return (entry) => {
    const labels = ((entry.resource as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<
      string,
      string | undefined
    >;
    const payload = entry.jsonPayload;
    const text = payload && typeof payload === 'object' ? JSON.stringify(payload) : String(entry.textPayload ?? '');
    return scope.keeps(labels.namespace_name ?? null, labels.pod_name ?? null, text);
  };
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
): Promise<{ evidence: Evidence; checks: Check[]; stats: ReadStats }> {
  const builder = options.builder ?? new EvidenceBuilder(new LogMatcher(catalog.signatures));
  const namespaces = options.namespace ? [...new Set([options.namespace, ...options.controlPlaneNamespaces])] : null;
  const calls: Record<CallSource, number> = { kubernetes: 0, 'cloud-logging': 0 };
  // Each source's retry policy (the caller's, else the reader's own), observed: every attempt is counted.
  const observed = (source: CallSource, policy: RetryPolicy): { retry: RetryPolicy } => ({
    retry: {
      ...(options.retry ?? policy),
      observe: (outcome, ms) => {
        calls[source]++;
        options.onCall?.({ source, outcome, ms });
      },
    },
  });
  const started = performance.now();
  const phasesMs = { kubernetes: 0, logs: 0 };
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
    ...observed('kubernetes', DEFAULT_CLUSTER_READ.retry),
  }).then((checks) => {
    phasesMs.kubernetes = performance.now() - started;
    return checks;
  });
  const logging = sources.logging;
  const sinceSeconds = Math.ceil(options.sinceMs / 1000);
  const times = { nowMs: options.nowMs, recentFromMs: options.nowMs - sinceSeconds * 1000 };
  // The query needs the pods for start windows (a start that can lie before the recent window and within the
  // horizon), and for the node agents of the nodes a target namespace's pods run on.
  const podsNeeded =
    startWindows.horizonMs > sinceSeconds * 1000 || options.namespace !== null
      ? Promise.race([podsRead, cluster])
      : undefined;
  const target = { namespace: options.namespace, workload: options.workload ?? null };
  const scopeNow = () => nodeAgentScope(builder.objectsOf('Pod') as Pod[], target);
  let logsFrom = started;
  const logs = logging
    ? Promise.resolve(podsNeeded).then(() => {
        logsFrom = performance.now();
        const scope = scopeNow();
        return readCloudLogs(logging.client, catalog.signatures, builder, {
          ...DEFAULT_CLOUD_LOG,
          ...(scope
            ? { agents: agentsByNamespace(builder.objectsOf('Pod') as Pod[], scope), keepEntry: keepEntry(scope) }
            : {}),
          ...(options.maxLogEntries ? { maxEntries: options.maxLogEntries } : {}),
          ...observed('cloud-logging', DEFAULT_CLOUD_LOG.retry),
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
        });
      })
    : cluster.then(() => {
        logsFrom = performance.now();
        return readPodLogs(sources.kube, builder.objectsOf('Pod') as Pod[], builder, {
          ...DEFAULT_POD_LOGS,
          ...observed('kubernetes', DEFAULT_POD_LOGS.retry),
          sinceSeconds,
          nowMs: options.nowMs,
          startWindows,
          scope: scopeNow(),
        });
      });
  const logsRead = logs.then((checks) => {
    phasesMs.logs = performance.now() - logsFrom;
    return checks;
  });
  const [clusterChecks, logChecks] = await Promise.all([cluster, logsRead]);
  return {
    evidence: builder.build(options.nowMs),
    checks: [...clusterChecks, ...logChecks],
    stats: { phasesMs, calls },
  };
}
