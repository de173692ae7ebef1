import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, readRaw } from './body';
import type { SlackFaults } from './faults';
import { createFaults } from './faults';
import { receiveUpload, UPLOAD_PATH } from './files';
import { METHODS } from './methods';
import type { FakeSocketMode } from './socket-mode';
import { attachSocketMode } from './socket-mode';
import type { SlackReply } from './reply';
import type { SlackState } from './state';
import { copyMessage, createState } from './state';
import type { FakeSlackApi, FakeSlackApiOptions, SlackBody, SlackCall, SlackFaultRule } from './types';

/** What one request handler needs besides the request. */
interface Context {
  state: SlackState;
  faults: SlackFaults;
  requests: SlackCall[];
  unexpected: string[];
  validTokens: Set<string> | null;
  socketMode: ReturnType<typeof attachSocketMode> | null;
}

/**
 * Starts a fake Slack Web API on 127.0.0.1 (a free port) that the real `@slack/web-api` client and Bolt talk to
 * unchanged when given `slackApiUrl: fake.apiUrl`. Channels and users exist whatever their ID; user groups exist
 * only when configured. Call `close()` when done.
 */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const context: Context = {
    state: createState(options),
    faults: createFaults(),
    requests: [],
    unexpected: [],
    validTokens: options.validTokens ? new Set(options.validTokens) : null,
    socketMode: null,
  };
  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res, context).catch((err: unknown) => sendJson(res, 500, { ok: false, error: `fake: ${String(err)}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const socketMode = attachSocketMode(server);
  context.socketMode = socketMode;
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const { state, requests, unexpected, faults } = context;
  state.baseUrl = url;
  let closing: Promise<void> | null = null;

  return {
    port,
    url,
    apiUrl: `${url}/api/`,
    identity: state.identity,
    requests,
    unexpected,
    faults: { add: (rule: SlackFaultRule) => faults.add(rule), clear: () => faults.clear() },
    calls: (method) => requests.filter((call) => call.method === method),
    messages: (channel) =>
      [...state.messages.values()].filter((m) => channel === undefined || m.channel === channel).map(copyMessage),
    threadOf: (ts) => [...state.messages.values()].filter((m) => m.ts === ts || m.thread_ts === ts).map(copyMessage),
    ephemerals: (channel) =>
      state.ephemerals.filter((e) => channel === undefined || e.channel === channel).map((e) => structuredClone(e)),
    uploads: () => [...state.uploads.values()].map((u) => ({ ...u })),
    setUsergroup: (id, members) => void state.usergroups.set(id, [...members]),
    socketMode: socketMode as FakeSocketMode,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        socketMode.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const upload = UPLOAD_PATH.exec(url.pathname);
  if (upload?.[1] !== undefined && (req.method === 'POST' || req.method === 'PUT')) {
    return receiveUpload(req, res, upload[1], context.state);
  }
  const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : null;
  if (method === null || method === '' || (req.method !== 'POST' && req.method !== 'GET')) {
    context.unexpected.push(`${req.method ?? '?'} ${url.pathname}`);
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const raw = await readRaw(req);
  if (raw === null) return sendJson(res, 413, { ok: false, error: 'request_too_large' });
  const body: SlackBody = {
    ...Object.fromEntries(url.searchParams),
    ...(await parseBody(raw, req.headers['content-type'])),
  };
  const token = bearerToken(req) ?? (typeof body.token === 'string' ? body.token : null);
  context.requests.push({ method, body, token, at: new Date() });
  answer(res, method, token, body, context);
}

function answer(res: ServerResponse, method: string, token: string | null, body: SlackBody, context: Context): void {
  const handler =
    method === 'apps.connections.open' && context.socketMode
      ? (b: SlackBody) =>
          (context.socketMode as NonNullable<Context['socketMode']>).open(b, token, context.state.baseUrl)
      : METHODS.get(method);
  if (!handler) {
    context.unexpected.push(method);
    return sendJson(res, 200, { ok: false, error: 'unknown_method', req_method: method });
  }
  const fault = context.faults.take(method);
  if (fault?.status === 429) {
    const retryAfter = String(fault.retryAfterSeconds ?? 1);
    return sendJson(res, 429, { ok: false, error: fault.error ?? 'ratelimited' }, { 'retry-after': retryAfter });
  }
  if (fault?.status === 500) return sendJson(res, 500, { ok: false, error: fault.error ?? 'internal_error' });
  if (fault?.error !== undefined) return sendJson(res, 200, { ok: false, error: fault.error });
  if (token === null) return sendJson(res, 200, { ok: false, error: 'not_authed' });
  if (context.validTokens && !context.validTokens.has(token)) {
    return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
  }
  sendJson(res, 200, handler(body, context.state));
}

function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: SlackReply | Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
