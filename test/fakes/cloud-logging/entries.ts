import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseLogFileName, splitTimestamp } from '../../../src/collect/normalize';
import { readJsonLines } from '../../../src/collect/snapshot/json-lines';
import { readJsonPieces } from '../../../src/collect/snapshot/json-stream';
import type { LogEntry } from './log-entry';

type Json = Record<string, unknown>;

/** Where the entries made from a snapshot claim to come from. */
export interface SnapshotEntryOptions {
  /** Project in `logName` and `resource.labels.project_id`; default `fake-project`. */
  projectId?: string;
}

export const DEFAULT_PROJECT_ID = 'fake-project';
const CLUSTER_NAME = 'snapshot';
const LOCATION = 'us-central1';

/**
 * The Cloud Logging entries a snapshot directory (docs/snapshot-format.md) stands for, in file order:
 * - LogEntries in JSON arrays, `{entries: [...]}` documents and JSONL files, as they are;
 * - `NAMESPACE_POD_CONTAINER.log` lines (`RFC3339 text`) as `stdout` entries of a `k8s_container`;
 * - Kubernetes Events (core v1 or events.k8s.io/v1, alone or in a List) as entries of the `events` log,
 *   with the core v1 Event as `jsonPayload`.
 * Other Kubernetes objects are skipped.
 */
export async function entriesFromSnapshot(dir: string, options: SnapshotEntryOptions = {}): Promise<LogEntry[]> {
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const out: LogEntry[] = [];
  for (const file of await snapshotFiles(dir)) {
    const ext = extname(file).toLowerCase();
    if (ext === '.json') await readJsonFile(file, projectId, out);
    else if (ext === '.log') await readLogFile(file, projectId, out);
    else await readJsonLinesFile(file, projectId, out);
  }
  return out;
}

async function snapshotFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await snapshotFiles(path)));
    else if (['.json', '.jsonl', '.ndjson', '.log'].includes(extname(entry.name).toLowerCase())) files.push(path);
  }
  return files.sort();
}

function asObject(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

async function readJsonFile(file: string, projectId: string, out: LogEntry[]): Promise<void> {
  const kindless: Json[] = [];
  for await (const piece of readJsonPieces(file)) {
    const value = asObject(piece.value);
    if (!value) continue;
    if (piece.type === 'element') {
      if (typeof value.kind === 'string' || isLogEntry(value)) addValue(value, projectId, out);
      else kindless.push(value);
      continue;
    }
    if (piece.streamedKey === 'items') {
      const listKind = typeof value.kind === 'string' ? value.kind : '';
      if (listKind.endsWith('List') && listKind !== 'List') {
        const apiVersion = value.apiVersion;
        for (const item of kindless) addValue({ apiVersion, ...item, kind: listKind.slice(0, -4) }, projectId, out);
      }
    } else if (piece.streamedKey === null) {
      addValue(value, projectId, out);
    }
  }
}

async function readJsonLinesFile(file: string, projectId: string, out: LogEntry[]): Promise<void> {
  for await (const { value } of readJsonLines(file)) {
    const entry = asObject(value);
    if (entry) addValue(entry, projectId, out);
  }
}

/** A LogEntry is kept as it is, an Event becomes one, anything else is skipped. */
function addValue(value: Json, projectId: string, out: LogEntry[]): void {
  if (value.kind === 'Event') {
    const entry = eventEntry(value, projectId);
    if (entry) out.push(entry);
  } else if (typeof value.kind !== 'string' && isLogEntry(value)) {
    out.push(value as LogEntry);
  }
}

function isLogEntry(value: Json): boolean {
  return ['logName', 'textPayload', 'jsonPayload', 'protoPayload', 'httpRequest'].some((key) => key in value);
}

/** `kubectl logs --timestamps` output; lines without a time take the previous line's, blank lines are skipped. */
async function readLogFile(file: string, projectId: string, out: LogEntry[]): Promise<void> {
  const name = basename(file);
  const source = parseLogFileName(name);
  if (!source.namespace || !source.pod || !source.container) return;
  const resource = {
    type: 'k8s_container',
    labels: {
      project_id: projectId,
      location: LOCATION,
      cluster_name: CLUSTER_NAME,
      namespace_name: source.namespace,
      pod_name: source.pod,
      container_name: source.container,
    },
  };
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let lastTime: string | null = null;
  for await (const line of lines) {
    lineNo++;
    const { time, text } = splitTimestamp(line);
    lastTime = time ?? lastTime;
    if (lastTime === null || text.trim() === '') continue;
    out.push({
      insertId: `${name}:${lineNo}`,
      logName: `projects/${projectId}/logs/stdout`,
      resource: { type: resource.type, labels: { ...resource.labels } },
      timestamp: lastTime,
      severity: 'DEFAULT',
      textPayload: text,
    });
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** An Event as GKE exports it to the `events` log; null when it has no time at all. */
function eventEntry(raw: Json, projectId: string): LogEntry | null {
  const event = coreEvent(raw);
  const meta = asObject(event.metadata) ?? {};
  const series = asObject(event.series);
  const timestamp =
    str(series?.lastObservedTime) ??
    str(event.lastTimestamp) ??
    str(event.eventTime) ??
    str(event.firstTimestamp) ??
    str(meta.creationTimestamp);
  if (!timestamp) return null;
  const involved = asObject(event.involvedObject) ?? {};
  const namespace = str(involved.namespace) ?? str(meta.namespace);
  const cluster = { project_id: projectId, location: LOCATION, cluster_name: CLUSTER_NAME };
  const resource =
    involved.kind === 'Pod' && namespace && str(involved.name)
      ? { type: 'k8s_pod', labels: { ...cluster, namespace_name: namespace, pod_name: String(involved.name) } }
      : { type: 'k8s_cluster', labels: cluster };
  return {
    insertId: str(meta.uid) ?? `${str(meta.namespace) ?? ''}/${str(meta.name) ?? ''}@${timestamp}`,
    logName: `projects/${projectId}/logs/events`,
    resource,
    timestamp,
    severity: event.type === 'Warning' ? 'WARNING' : 'INFO',
    jsonPayload: event,
  };
}

/** An events.k8s.io/v1 Event in the core v1 shape (what the `events` log holds); a v1 Event as it is. */
function coreEvent(raw: Json): Json {
  if (!String(raw.apiVersion ?? '').startsWith('events.k8s.io/')) return raw;
  const {
    regarding,
    note,
    deprecatedSource,
    deprecatedFirstTimestamp,
    deprecatedLastTimestamp,
    deprecatedCount,
    reportingController,
    series,
    ...rest
  } = raw;
  const seriesObj = asObject(series);
  const fields: Json = {
    ...rest,
    apiVersion: 'v1',
    kind: 'Event',
    involvedObject: regarding,
    message: note,
    source: deprecatedSource ?? (reportingController ? { component: reportingController } : undefined),
    firstTimestamp: deprecatedFirstTimestamp,
    lastTimestamp: deprecatedLastTimestamp,
    count: deprecatedCount ?? seriesObj?.count,
    series: seriesObj ? { count: seriesObj.count, lastObservedTime: seriesObj.lastObservedTime } : undefined,
    reportingComponent: reportingController,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
