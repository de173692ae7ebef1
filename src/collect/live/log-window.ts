import type { ContainerStatus, Pod } from '../../diagnosis/kube-types';
import { formatDuration, toMs } from '../../util/time';
import { splitTimestamp } from '../normalize';

/**
 * Which log times a live diagnosis reads: the recent window (the last `--since`) and, for container
 * instances that started before it but within a horizon, the first minutes after each start, where
 * start-up races show.
 */
export interface StartWindowOptions {
  /** Starts longer ago than this are not read (0: no start windows). */
  horizonMs: number;
  /** How long after a start is read. */
  windowMs: number;
  /** Pod logs: at most this many bytes from a start. */
  limitBytes: number;
  /** Cloud Logging: at most this many pod start windows in the filter. */
  maxWindows: number;
}

export const DEFAULT_START_WINDOWS: StartWindowOptions = {
  horizonMs: 24 * 3_600_000,
  windowMs: 10 * 60_000,
  limitBytes: 256 * 1024,
  maxWindows: 200,
};

/** The times of one diagnosis: now, and the start of the recent window. */
export interface LogTimes {
  nowMs: number;
  recentFromMs: number;
}

/** A span of log time, from inclusive to exclusive. */
export interface TimeSpan {
  fromMs: number;
  toMs: number;
}

/** One run of a container: the current one, or the one before its last restart. */
export interface ContainerInstance {
  container: string;
  previous: boolean;
  startMs: number | null;
}

function startOf(state: ContainerStatus['state']): number | null {
  return toMs(state?.running?.startedAt ?? state?.terminated?.startedAt);
}

/**
 * The container instances of a pod, init containers first: each container's current instance and, when
 * it restarted, the previous one (`lastState.terminated`).
 */
export function containerInstances(pod: Pod): ContainerInstance[] {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
    .map((c) => c.name)
    .filter((n): n is string => !!n);
  return names.flatMap((container) => {
    const status = statuses.find((s) => s.name === container);
    const current = { container, previous: false, startMs: startOf(status?.state) };
    if ((status?.restartCount ?? 0) <= 0) return [current];
    return [current, { container, previous: true, startMs: toMs(status?.lastState?.terminated?.startedAt) }];
  });
}

/**
 * The first minutes of a start to read besides the recent window: only for a start before the recent
 * window and within the horizon, and ending where the recent window begins, so no line is read twice.
 */
export function startWindow(startMs: number | null, times: LogTimes, options: StartWindowOptions): TimeSpan | null {
  if (startMs === null || options.horizonMs <= 0) return null;
  if (startMs >= times.recentFromMs || startMs < times.nowMs - options.horizonMs) return null;
  return { fromMs: startMs, toMs: Math.min(startMs + options.windowMs, times.recentFromMs) };
}

/** A pod's start windows, overlapping ones merged. */
export interface PodStartWindow extends TimeSpan {
  namespace: string;
  pod: string;
}

/** The start windows of pods' container instances, merged per pod, in pod order then time. */
export function podStartWindows(pods: Pod[], times: LogTimes, options: StartWindowOptions): PodStartWindow[] {
  return pods.flatMap((pod) => {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const spans = containerInstances(pod)
      .map((i) => startWindow(i.startMs, times, options))
      .filter((s): s is TimeSpan => s !== null);
    return mergeSpans(spans).map((s) => ({ namespace, pod: name, ...s }));
  });
}

function mergeSpans(spans: TimeSpan[]): TimeSpan[] {
  const merged: TimeSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.fromMs - b.fromMs)) {
    const last = merged[merged.length - 1];
    if (last && span.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, span.toMs);
    else merged.push({ ...span });
  }
  return merged;
}

/** Pods of one namespace that started close together, read in one time range. */
export interface StartWindowGroup extends TimeSpan {
  namespace: string;
  pods: string[];
}

/**
 * Groups pod start windows (a rollout starts many pods within minutes) so that one filter clause reads
 * several pods: a window joins a group of its namespace that began at most `windowMs` before it, so a
 * group spans at most two windows. Groups come most recent first.
 */
export function groupStartWindows(windows: PodStartWindow[], windowMs: number): StartWindowGroup[] {
  const groups: StartWindowGroup[] = [];
  const open = new Map<string, StartWindowGroup>();
  for (const w of [...windows].sort((a, b) => a.fromMs - b.fromMs || a.pod.localeCompare(b.pod))) {
    const group = open.get(w.namespace);
    if (group && w.fromMs <= group.fromMs + windowMs) {
      group.toMs = Math.max(group.toMs, w.toMs);
      if (!group.pods.includes(w.pod)) group.pods.push(w.pod);
      continue;
    }
    const fresh = { namespace: w.namespace, pods: [w.pod], fromMs: w.fromMs, toMs: w.toMs };
    groups.push(fresh);
    open.set(w.namespace, fresh);
  }
  return groups.sort((a, b) => b.fromMs - a.fromMs);
}

/**
 * The lines of a `kubectl logs --timestamps` block that fall in a span (a line without a time takes the
 * time of the line before it). When the block was cut at a byte limit, its last, partial line is dropped.
 */
export function clipBlock(block: string, span: TimeSpan, cutAtLimit: boolean): string {
  const lines = block.split('\n');
  if (cutAtLimit || lines[lines.length - 1] === '') lines.pop();
  const kept: string[] = [];
  let ms: number | null = null;
  for (const line of lines) {
    const time = toMs(splitTimestamp(line).time);
    if (time !== null) ms = time;
    if (ms === null || ms < span.fromMs) continue;
    if (ms >= span.toMs) break;
    kept.push(line);
  }
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

/** A span of time as people write it: 1h, 30m, 2d, else as formatDuration. */
export function spanText(ms: number): string {
  if (ms >= 2 * 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return formatDuration(ms);
}
