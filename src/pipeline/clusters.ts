/** Workers announce the clusters they serve this often; a cluster is served while one was seen within LIVE_MS. */
export const HEARTBEAT_MS = 10_000;
export const LIVE_MS = 3 * HEARTBEAT_MS;

/** One cluster as the workers announced it. */
export interface ClusterPresence {
  cluster: string;
  /** Workers that announced it, newest first, with when each was last seen (and whether it stopped then). */
  workers: { id: string; lastSeenMs: number; stopped?: boolean }[];
  lastSeenMs: number;
}

/** Where workers announce what they serve, and the bot reads it. */
export interface ClusterRegistry {
  announce(workerId: string, clusters: readonly string[], atMs: number): Promise<void>;
  /** A stopping worker's clusters: no longer served at once (others fade after LIVE_MS); the time is kept. */
  withdraw(workerId: string, clusters: readonly string[]): Promise<void>;
  /** Every cluster announced within the retention, newest first. */
  list(): Promise<ClusterPresence[]>;
}

/** Whether a worker counts as serving: seen within LIVE_MS and not stopped. */
export function isLiveWorker(worker: ClusterPresence['workers'][number], nowMs: number): boolean {
  return !worker.stopped && nowMs - worker.lastSeenMs <= LIVE_MS;
}

export function isLive(presence: ClusterPresence, nowMs: number): boolean {
  return presence.workers.some((w) => isLiveWorker(w, nowMs));
}

/** The cluster a request is for, or what to answer instead. */
export type ClusterChoice =
  | { kind: 'cluster'; cluster: string }
  /** More than one cluster is served and nothing says which: ask, listing them. */
  | { kind: 'ask'; clusters: string[] }
  /** The named (or defaulted) cluster has no live worker: answered at once, with when it was last seen. */
  | { kind: 'unserved'; cluster: string; lastSeenMs: number | null; served: string[] }
  /** No worker has announced any cluster yet (or only workers of older versions run). */
  | { kind: 'none' };

/**
 * Picks the cluster of a request: the one it names; else the only cluster served; else the channel's
 * default; else asks. A cluster without a live worker is refused at once rather than left waiting.
 */
/**
 * The name to route to among a cluster's names (the one asked first, then its aliases): the first that a
 * live worker serves, else the first.
 */
export function servedName(names: readonly string[], presences: readonly ClusterPresence[], nowMs: number): string {
  const live = new Set(presences.filter((p) => isLive(p, nowMs)).map((p) => p.cluster));
  return names.find((n) => live.has(n)) ?? (names[0] as string);
}

export function chooseCluster(
  asked: string | null,
  channelDefault: string | undefined,
  presences: readonly ClusterPresence[],
  nowMs: number,
): ClusterChoice {
  const live = presences
    .filter((p) => isLive(p, nowMs))
    .map((p) => p.cluster)
    .sort();
  const pick = (cluster: string): ClusterChoice => {
    if (live.includes(cluster)) return { kind: 'cluster', cluster };
    const seen = presences.find((p) => p.cluster === cluster);
    return { kind: 'unserved', cluster, lastSeenMs: seen?.lastSeenMs ?? null, served: live };
  };
  if (asked !== null) return pick(asked);
  if (live.length === 1 && live[0] !== undefined) return { kind: 'cluster', cluster: live[0] };
  if (channelDefault !== undefined) return pick(channelDefault);
  if (live.length === 0) return { kind: 'none' };
  return { kind: 'ask', clusters: live };
}
