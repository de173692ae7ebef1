import type { Evidence, LogLine, MeshEvent } from '../diagnosis/evidence';
import type { KubeObject } from '../diagnosis/kube-types';
import { evidenceKind } from '../diagnosis/kube-types';
import { toIso, toMs } from '../util/time';
import type { LogMatcher } from './log-matcher';
import type { EntryLine } from './normalize';
import { entryEvent, entryLine, isEvent, normalizeEvent, reduceObject, splitTimestamp } from './normalize';

/**
 * Receives what a builder is given, as it is given (objects already reduced: no Secret value), so that a
 * read can also be written out as a snapshot (`mesh-doctor capture`).
 */
export interface EvidenceRecorder {
  /** A kind was listed (even when the list was empty), at this API version. */
  captured(kind: string, apiVersion: string | undefined): void;
  object(object: KubeObject): void;
  logEntry(entry: Record<string, unknown>): void;
  textBlock(block: string, source: { namespace: string | null; pod: string | null; container: string | null }): void;
}

/** How many matched lines are kept per (signatures, namespace, pod, container): the earliest and the latest. */
export interface RetentionOptions {
  earliest: number;
  latest: number;
}

const DEFAULT_RETENTION: RetentionOptions = { earliest: 100, latest: 50 };

/**
 * Accumulates evidence from any source (snapshot files, live API reads) into the one evidence model.
 * Log lines are kept only when they match a catalog signature, and only a bounded number per source,
 * so memory does not grow with the size of the logs read.
 */
export class EvidenceBuilder {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly events = new Map<string, MeshEvent>();
  private readonly logGroups = new Map<string, LogLine[]>();
  private readonly counts = new Map<string, number>();
  private readonly captured = new Set<string>();
  private linesRead = 0;
  private latestMs: number | null = null;

  constructor(
    private readonly matcher: LogMatcher,
    private readonly retention: RetentionOptions = DEFAULT_RETENTION,
    private readonly recorder: EvidenceRecorder | null = null,
  ) {}

  /**
   * Records that a kind was listed, so that an empty list still counts as "looked, found none". With its
   * API version, a Gateway API kind is told apart from an Istio one of the same name.
   */
  markCaptured(kind: string, apiVersion?: string): void {
    this.captured.add(evidenceKind(apiVersion, kind));
    this.recorder?.captured(kind, apiVersion);
  }

  /** Adds an object; Secrets, CRDs and Nodes are reduced first (see `reduceObject`). */
  addObject(input: KubeObject): void {
    const object = reduceObject(input);
    this.recorder?.object(object);
    if (isEvent(object)) {
      this.addEvent(normalizeEvent(object as Record<string, unknown>));
      return;
    }
    const kind = evidenceKind(object.apiVersion, object.kind);
    this.captured.add(kind);
    const meta = object.metadata ?? {};
    this.observe(meta.creationTimestamp);
    const key = `${meta.namespace ?? ''}/${meta.name ?? meta.uid ?? String(this.objects.get(kind)?.size ?? 0)}`;
    let byKey = this.objects.get(kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(kind, byKey);
    }
    byKey.set(key, object);
  }

  /**
   * Adds an event. The same event read twice (from the API and from Cloud Logging, or as successive
   * updates of one exported event) is kept once, with its highest count and latest time.
   */
  addEvent(event: MeshEvent): void {
    this.captured.add('Event');
    this.observe(event.time);
    const o = event.object;
    const key = `${o.kind}/${o.namespace}/${o.name}/${o.fieldPath}\u0000${event.reason}\u0000${event.message}\u0000${event.firstTime}`;
    const seen = this.events.get(key);
    if (!seen) {
      this.events.set(key, event);
      return;
    }
    const latest = (event.ms ?? 0) >= (seen.ms ?? 0) ? event : seen;
    this.events.set(key, { ...latest, count: Math.max(seen.count, event.count) });
  }

  /** Adds a Cloud Logging LogEntry: an exported Kubernetes event, or a log line. */
  addLogEntry(entry: Record<string, unknown>): void {
    this.recorder?.logEntry(entry);
    const event = entryEvent(entry);
    if (event) this.addEvent(event);
    else this.addEntryLine(entryLine(entry));
  }

  /** Objects of a kind added so far (for readers that need, say, the pods before reading their logs). */
  objectsOf(kind: string): KubeObject[] {
    return [...(this.objects.get(kind)?.values() ?? [])];
  }

  /** Adds one log line from a structured source; returns true when it was kept. */
  addEntryLine(entry: EntryLine): boolean {
    this.linesRead++;
    this.observe(entry.time);
    const signatures = this.matcher.match(entry.text);
    if (signatures.length === 0) return false;
    this.keep({ ...entry, ms: toMs(entry.time), signatures });
    return true;
  }

  /**
   * Adds a block of `kubectl logs --timestamps` lines from one container. Only matching lines are split
   * out; the block's last timestamp still counts for "now".
   */
  addTextBlock(
    block: string,
    source: { namespace: string | null; pod: string | null; container: string | null },
  ): void {
    this.recorder?.textBlock(block, source);
    this.linesRead += countLines(block);
    this.observe(splitTimestamp(lastLine(block)).time);
    this.matcher.scan(block, (line, signatures) => {
      const { time, text } = splitTimestamp(detach(line));
      this.observe(time);
      this.keep({ ...source, time, ms: toMs(time), severity: null, text, fields: jsonFields(text), signatures });
    });
  }

  /**
   * The evidence read so far. `nowMs` sets "now" (a live read: the time of collection); by default it is
   * the latest timestamp seen (a snapshot).
   */
  build(nowMs?: number): Evidence {
    const objects = new Map<string, KubeObject[]>();
    for (const [kind, byKey] of this.objects) objects.set(kind, [...byKey.values()]);
    const logs = [...this.logGroups.values()].flat().sort(byTimeThenSource);
    const events = [...this.events.values()].sort(byTimeThenObject);
    return {
      objects,
      events,
      logs,
      signatureCounts: new Map(this.counts),
      capturedKinds: new Set(this.captured),
      logLinesRead: this.linesRead,
      now: nowMs !== undefined ? toIso(nowMs) : this.latestMs === null ? null : toIso(this.latestMs),
    };
  }

  private observe(time: string | null | undefined): void {
    const ms = toMs(time);
    if (ms !== null && (this.latestMs === null || ms > this.latestMs)) this.latestMs = ms;
  }

  private keep(line: LogLine): void {
    for (const id of line.signatures) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    const key = `${line.signatures.join(',')}\u0000${line.namespace}\u0000${line.pod}\u0000${line.container}`;
    let group = this.logGroups.get(key);
    if (!group) {
      group = [];
      this.logGroups.set(key, group);
    }
    group.push(line);
    const { earliest, latest } = this.retention;
    if (group.length >= 2 * (earliest + latest)) {
      group.sort(byTime);
      group.splice(earliest, group.length - earliest - latest);
    }
  }
}

/**
 * A copy of a string that does not share storage with the block it was cut from. V8 keeps a slice's
 * whole parent alive, so a kept line would otherwise pin its entire read block in memory.
 */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function byTime(a: { ms: number | null }, b: { ms: number | null }): number {
  return (a.ms ?? Number.NEGATIVE_INFINITY) - (b.ms ?? Number.NEGATIVE_INFINITY);
}

const text = (v: string | null) => v ?? '';

/** Time order, ties broken by where and what, so the order never depends on how the sources were read. */
function byTimeThenSource(a: LogLine, b: LogLine): number {
  return (
    byTime(a, b) ||
    text(a.namespace).localeCompare(text(b.namespace)) ||
    text(a.pod).localeCompare(text(b.pod)) ||
    text(a.container).localeCompare(text(b.container)) ||
    a.text.localeCompare(b.text)
  );
}

function byTimeThenObject(a: MeshEvent, b: MeshEvent): number {
  const key = (e: MeshEvent) =>
    `${e.object.kind}/${text(e.object.namespace)}/${e.object.name}/${e.reason}/${e.message}`;
  return byTime(a, b) || key(a).localeCompare(key(b));
}

function countLines(block: string): number {
  let n = 0;
  for (let i = block.indexOf('\n'); i !== -1; i = block.indexOf('\n', i + 1)) n++;
  return block.length > 0 && !block.endsWith('\n') ? n + 1 : n;
}

function lastLine(block: string): string {
  const trimmed = block.endsWith('\n') ? block.slice(0, -1) : block;
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1);
}

/** Parses a JSON access-log line (Envoy JSON encoding) so detectors can read its fields. */
function jsonFields(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
