import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../../src/util/read-body';
import type { ErrorStatus } from './api-error';
import { ApiError, errorBody, FAULT_MESSAGES } from './api-error';
import { DEFAULT_PROJECT_ID, entriesFromSnapshot } from './entries';
import type { Page } from './entry-store';
import { EntryStore } from './entry-store';
import type { FaultRule } from './faults';
import { FaultQueue } from './faults';
import { FilterError } from './filter-parser';
import type { RecordedRequest } from './list-request';
import { parseListRequest, recordRequest } from './list-request';
import type { LogEntry } from './log-entry';
import { severityLevel } from './log-entry';

/** What the fake serves. */
export interface FakeLoggingOptions {
  /** Entries to serve. */
  entries?: LogEntry[];
  /** A snapshot directory whose logs and events are served too (see `entriesFromSnapshot`). */
  snapshotDir?: string;
  /** The one project the server holds; default `fake-project`. */
  projectId?: string;
  /** Answer this many empty pages with a `nextPageToken` before the results, as the real service does while searching. */
  emptyPagesBeforeData?: number;
}

/** A running fake Cloud Logging server (REST, `POST /v2/entries:list`) on 127.0.0.1. */
export interface FakeLogging {
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly projectId: string;
  /** Every `entries.list` request, as sent, including those answered with an error. */
  readonly requests: RecordedRequest[];
  /** Requests for anything other than `POST /v2/entries:list` (answered 404): `METHOD PATH`. */
  readonly unexpectedRequests: string[];
  /** Injected failures, used before the request is looked at. */
  readonly faults: { add(rule: FaultRule): void; clear(): void };
  /** The entries served, in the order given. */
  entries(): LogEntry[];
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/** Starts the fake on 127.0.0.1 on a free port. */
export async function startFakeLogging(options: FakeLoggingOptions = {}): Promise<FakeLogging> {
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const fromSnapshot = options.snapshotDir ? await entriesFromSnapshot(options.snapshotDir, { projectId }) : [];
  const entries = [...(options.entries ?? []), ...fromSnapshot];
  entries.forEach(checkEntry);
  const store = new EntryStore(entries, options.emptyPagesBeforeData ?? 0);
  const requests: RecordedRequest[] = [];
  const unexpectedRequests: string[] = [];
  const faults = new FaultQueue();
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, errorBody(500, `fake server error: ${String(err)}`)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST' || url.pathname !== '/v2/entries:list') {
      unexpectedRequests.push(`${req.method ?? '?'} ${url.pathname}`);
      req.resume();
      return send(res, 404, errorBody(404, `This server answers POST /v2/entries:list only, not ${url.pathname}.`));
    }
    const body = await readJson(req);
    if (!body) return send(res, 400, errorBody(400, 'Invalid JSON payload received.'));
    requests.push(recordRequest(body));
    if (!req.headers.authorization) {
      return send(res, 401, errorBody(401, 'Request is missing required authentication credential.'));
    }
    const fault = faults.take();
    if (fault) {
      if (fault.delayMs) await delay(fault.delayMs);
      return send(res, fault.status, errorBody(fault.status, FAULT_MESSAGES[fault.status]));
    }
    let page: Page;
    try {
      page = store.list(parseListRequest(body, projectId));
    } catch (err) {
      if (err instanceof ApiError) return send(res, err.httpStatus, errorBody(err.httpStatus, err.message));
      if (err instanceof FilterError) return send(res, 400, errorBody(400, err.message));
      throw err;
    }
    send(res, 200, pageJson(page, (url.searchParams.get('$alt') ?? '').includes('enum-encoding=int')));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    projectId,
    requests,
    unexpectedRequests,
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    entries: () => store.entries(),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The client decodes `protoPayload` (a `google.protobuf.Any`) by its `@type`, and throws without one. */
function checkEntry(entry: LogEntry, index: number): void {
  const payload = entry.protoPayload;
  if (payload !== undefined && (payload === null || typeof payload['@type'] !== 'string')) {
    throw new Error(`entry ${entry.insertId ?? `#${index}`}: protoPayload without "@type"`);
  }
}

/** Proto3 JSON of a page: empty `entries` left out; severities as numbers when the client asks for int enums. */
function pageJson(page: Page, intEnums: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (page.entries.length > 0) {
    out.entries = intEnums ? page.entries.map(withNumericSeverity) : page.entries;
  }
  if (page.nextPageToken) out.nextPageToken = page.nextPageToken;
  return out;
}

function withNumericSeverity(entry: LogEntry): LogEntry {
  if (typeof entry.severity !== 'string') return entry;
  const level = severityLevel(entry.severity);
  return level === null ? entry : { ...entry, severity: level };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const raw = await readBody(req, MAX_BODY);
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: 200 | ErrorStatus, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
