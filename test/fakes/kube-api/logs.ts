import type { LogLineInput } from './types';

/** A timestamp with nanosecond precision: whole seconds since the epoch and the nanoseconds after. */
export interface Instant {
  sec: number;
  ns: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
const LEADING_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** Parses an RFC 3339 time keeping all its fractional digits; null when it is not one. */
export function parseInstant(value: string): Instant | null {
  const m = RFC3339.exec(value.trim());
  if (!m) return null;
  const zone = m[4] === 'z' ? 'Z' : (m[4] ?? 'Z');
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return null;
  const digits = (m[3] ?? '').padEnd(9, '0').slice(0, 9);
  return { sec: Math.floor(ms / 1000), ns: Number(digits) };
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.sec - b.sec || a.ns - b.ns;
}

/** RFC 3339 with nine fractional digits in UTC, as the kubelet prints `--timestamps`. */
export function formatInstant(t: Instant): string {
  return `${new Date(t.sec * 1000).toISOString().slice(0, 19)}.${String(t.ns).padStart(9, '0')}Z`;
}

export function instantFromMs(ms: number): Instant {
  const sec = Math.floor(ms / 1000);
  return { sec, ns: Math.round((ms - sec * 1000) * 1e6) };
}

/** Splits a `kubectl logs --timestamps` line into its time and text. */
export function splitLogLine(line: string): LogLineInput {
  const m = LEADING_TIME.exec(line);
  if (!m || !m[1]) return { time: null, text: line };
  return { time: m[1], text: line.slice(m[0].length) };
}

interface StoredLine {
  time: Instant | null;
  text: string;
}

export interface LogQuery {
  /** The container instance: lines from `from` (its start) and before `before` (the next instance's start). */
  from?: Instant | null;
  before?: Instant | null;
  since: Instant | null;
  tailLines: number | null;
  limitBytes: number | null;
  timestamps: boolean;
}

const NEGATIVE_INFINITY: Instant = { sec: -Infinity, ns: 0 };

/** Container logs by namespace, pod and container. */
export class LogStore {
  private readonly pods = new Map<string, Map<string, StoredLine[]>>();
  private readonly unsorted = new Set<StoredLine[]>();
  private latestTime: Instant | null = null;

  /** Adds lines; a line without a time takes the time of the line before it (or after it, at the start). */
  add(namespace: string, pod: string, container: string, lines: Iterable<string | LogLineInput>): void {
    const key = `${namespace}/${pod}`;
    let containers = this.pods.get(key);
    if (!containers) {
      containers = new Map();
      this.pods.set(key, containers);
    }
    let list = containers.get(container);
    if (!list) {
      list = [];
      containers.set(container, list);
    }
    const batch: StoredLine[] = [];
    let previous: Instant | null = null;
    for (const raw of lines) {
      const line = typeof raw === 'string' ? splitLogLine(raw) : raw;
      const parsed = line.time === null ? null : parseInstant(line.time);
      const time = parsed ?? previous;
      if (parsed) previous = parsed;
      batch.push({ time, text: line.text });
      if (parsed && (!this.latestTime || compareInstants(parsed, this.latestTime) > 0)) this.latestTime = parsed;
    }
    const firstTime = batch.find((l) => l.time !== null)?.time ?? null;
    for (const line of batch) {
      if (line.time !== null) break;
      line.time = firstTime;
    }
    const last = list[list.length - 1]?.time ?? null;
    const first = batch[0]?.time ?? null;
    if (last && first && compareInstants(first, last) < 0) this.unsorted.add(list);
    for (let i = 1; i < batch.length; i++) {
      const a = batch[i - 1]?.time;
      const b = batch[i]?.time;
      if (a && b && compareInstants(b, a) < 0) {
        this.unsorted.add(list);
        break;
      }
    }
    for (const line of batch) list.push(line);
  }

  /** Containers with logs for a pod. */
  containers(namespace: string, pod: string): string[] {
    return [...(this.pods.get(`${namespace}/${pod}`)?.keys() ?? [])];
  }

  has(namespace: string, pod: string, container: string): boolean {
    return this.pods.get(`${namespace}/${pod}`)?.has(container) ?? false;
  }

  latest(): Instant | null {
    return this.latestTime;
  }

  /**
   * The log body the kubelet would send for one container instance (the lines between `from` and `before`),
   * honouring tailLines (first), since, limitBytes and timestamps.
   */
  read(namespace: string, pod: string, container: string, query: LogQuery): Buffer {
    const list = this.pods.get(`${namespace}/${pod}`)?.get(container) ?? [];
    if (this.unsorted.has(list)) {
      list.sort((a, b) => compareInstants(a.time ?? NEGATIVE_INFINITY, b.time ?? NEGATIVE_INFINITY));
      this.unsorted.delete(list);
    }
    const { from, before } = query;
    let lines = list.filter(
      (l) =>
        (!from || (l.time !== null && compareInstants(l.time, from) >= 0)) &&
        (!before || (l.time !== null && compareInstants(l.time, before) < 0)),
    );
    if (query.tailLines !== null) lines = query.tailLines <= 0 ? [] : lines.slice(-query.tailLines);
    const since = query.since;
    if (since) lines = lines.filter((l) => l.time !== null && compareInstants(l.time, since) >= 0);
    const text = lines
      .map((l) => (query.timestamps && l.time ? `${formatInstant(l.time)} ${l.text}\n` : `${l.text}\n`))
      .join('');
    const body = Buffer.from(text, 'utf8');
    return query.limitBytes !== null && body.length > query.limitBytes ? body.subarray(0, query.limitBytes) : body;
  }
}
