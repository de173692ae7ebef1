import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { readJsonLines } from '../../../src/collect/snapshot/json-lines';
import { readJsonPieces } from '../../../src/collect/snapshot/json-stream';
import type { ObjectStore } from './store';
import type { Json, KubeObject, LogLineInput } from './types';

/**
 * Reads a snapshot directory (docs/snapshot-format.md) into the fake's store: Kubernetes objects from
 * Lists and single objects, Events (also those exported to Cloud Logging's `events` log), and container
 * logs from `NAMESPACE_POD_CONTAINER.log` files and `k8s_container` LogEntries. Shapes it does not know are skipped;
 * a file that is not valid JSON rejects with the file's path in the message.
 */
export async function loadSnapshotDir(dir: string, store: ObjectStore): Promise<void> {
  const files = await listFiles(dir);
  const loader = new SnapshotLoader(store);
  for (const file of files) {
    try {
      await loader.readFile(file);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  loader.flushLogs();
}

const EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.log']);

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
    }
  };
  await walk(dir);
  return out.sort();
}

function asJson(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isKubeObject(value: Json): boolean {
  return typeof value.kind === 'string' && asJson(value.metadata) !== null;
}

function isLogEntry(value: Json): boolean {
  return (
    typeof value.kind !== 'string' &&
    ('textPayload' in value ||
      'jsonPayload' in value ||
      'protoPayload' in value ||
      (typeof value.logName === 'string' && ('timestamp' in value || 'resource' in value)))
  );
}

/** `PodList` → `Pod`; `List` and non-lists → null. */
function listItemKind(doc: Json): string | null {
  const kind = str(doc.kind) ?? '';
  return kind.endsWith('List') && kind !== 'List' ? kind.slice(0, -'List'.length) : null;
}

class SnapshotLoader {
  private readonly pendingLogs = new Map<
    string,
    { namespace: string; pod: string; container: string; lines: LogLineInput[] }
  >();

  constructor(private readonly store: ObjectStore) {}

  async readFile(file: string): Promise<void> {
    const ext = extname(file).toLowerCase();
    if (ext === '.json') return this.readJson(file);
    if (ext === '.log') return this.readLog(file);
    return this.readJsonLinesFile(file);
  }

  /** Adds the LogEntry lines gathered so far (the log store orders them by time). */
  flushLogs(): void {
    for (const { namespace, pod, container, lines } of this.pendingLogs.values()) {
      this.store.logs.add(namespace, pod, container, lines);
    }
    this.pendingLogs.clear();
  }

  private async readJson(file: string): Promise<void> {
    const kindless: Json[] = [];
    for await (const piece of readJsonPieces(file)) {
      const value = asJson(piece.value);
      if (!value) continue;
      if (piece.type === 'element') {
        if (isKubeObject(value) || isLogEntry(value)) this.addValue(value);
        else kindless.push(value);
        continue;
      }
      if (piece.streamedKey === 'items') {
        const kind = listItemKind(value);
        const apiVersion = str(value.apiVersion);
        if (kind) {
          for (const item of kindless) {
            const object: Json = { ...item, kind };
            if (!str(object.apiVersion) && apiVersion) object.apiVersion = apiVersion;
            if (isKubeObject(object)) this.addValue(object);
          }
        }
        return;
      }
      if (piece.streamedKey === 'entries') return;
      this.addValue(value);
    }
  }

  private async readJsonLinesFile(file: string): Promise<void> {
    for await (const { value } of readJsonLines(file)) {
      const object = asJson(value);
      if (object) this.addValue(object);
    }
  }

  private async readLog(file: string): Promise<void> {
    const parts = basename(file, extname(file)).split('_');
    const [namespace, pod, container] = parts;
    if (parts.length !== 3 || !namespace || !pod || !container) return;
    const lines: string[] = [];
    const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of input) lines.push(line);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.store.logs.add(namespace, pod, container, lines);
  }

  private addValue(value: Json): void {
    if (isKubeObject(value)) {
      this.addObject(value as KubeObject);
      return;
    }
    if (!isLogEntry(value)) return;
    const event = this.entryEvent(value);
    if (event) {
      this.addObject(event);
      return;
    }
    this.entryLine(value);
  }

  private addObject(object: KubeObject): void {
    if (object.kind === 'List') {
      const items = Array.isArray(object.items) ? object.items : [];
      for (const item of items) {
        const json = asJson(item);
        if (json && isKubeObject(json)) this.addObject(json as KubeObject);
      }
      return;
    }
    const name = object.metadata?.name;
    if (typeof name !== 'string' || name === '') return;
    this.store.load(object);
  }

  /** A Kubernetes event exported to the `events` log, as an Event object. */
  private entryEvent(entry: Json): KubeObject | null {
    const payload = asJson(entry.jsonPayload);
    const logName = str(entry.logName) ?? '';
    if (!payload || !(logName.endsWith('/logs/events') || logName.endsWith('%2Fevents'))) return null;
    if (!asJson(payload.involvedObject) && !asJson(payload.regarding)) return null;
    const event: Json = { ...payload, kind: 'Event' };
    if (!str(event.apiVersion)) event.apiVersion = 'v1';
    const metadata: Json = { ...(asJson(payload.metadata) ?? {}) };
    const involved = asJson(payload.involvedObject) ?? asJson(payload.regarding) ?? {};
    const labels = asJson(asJson(entry.resource)?.labels) ?? {};
    metadata.namespace = str(metadata.namespace) ?? str(involved.namespace) ?? str(labels.namespace_name) ?? 'default';
    metadata.name = str(metadata.name) ?? `${str(involved.name) ?? 'event'}.${str(entry.insertId) ?? 'x'}`;
    event.metadata = metadata;
    const timestamp = str(entry.timestamp);
    const times = ['lastTimestamp', 'eventTime', 'firstTimestamp', 'deprecatedLastTimestamp'];
    if (timestamp && !times.some((k) => str(event[k]))) {
      if (event.apiVersion === 'v1') {
        event.firstTimestamp = timestamp;
        event.lastTimestamp = timestamp;
      } else {
        event.deprecatedFirstTimestamp = timestamp;
        event.deprecatedLastTimestamp = timestamp;
      }
    }
    return event as KubeObject;
  }

  /** A `k8s_container` LogEntry as a container log line. */
  private entryLine(entry: Json): void {
    const resource = asJson(entry.resource);
    if (str(resource?.type) !== 'k8s_container') return;
    const labels = asJson(resource?.labels) ?? {};
    const namespace = str(labels.namespace_name);
    const pod = str(labels.pod_name);
    const container = str(labels.container_name);
    if (!namespace || !pod || !container) return;
    const payload = asJson(entry.jsonPayload);
    let text: string;
    if (typeof entry.textPayload === 'string') text = entry.textPayload;
    else if (payload && typeof payload.message === 'string') text = payload.message;
    else if (payload && typeof payload.log === 'string') text = payload.log;
    else if (payload) text = JSON.stringify(payload);
    else return;
    const key = `${namespace}/${pod}/${container}`;
    let pending = this.pendingLogs.get(key);
    if (!pending) {
      pending = { namespace, pod, container, lines: [] };
      this.pendingLogs.set(key, pending);
    }
    for (const part of text.replace(/\n+$/, '').split('\n')) {
      pending.lines.push({ time: str(entry.timestamp) ?? str(entry.receiveTimestamp), text: part });
    }
  }
}
