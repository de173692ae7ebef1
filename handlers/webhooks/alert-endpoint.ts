import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParseResult } from '../../src/alerts/types';
import type { AlertEndpointDeps } from '../../src/bot/handler-deps';
import { keepUsedFields } from '../../src/pipeline/alert-intake';
import type { HttpRoute } from '../../src/util/http-route';
import { drainBounded, readBodyWithin } from '../../src/util/read-body';
import type { ByteBudget } from '../../src/util/work-limiter';
import { createByteBudget } from '../../src/util/work-limiter';

/**
 * Bodies above this are refused with 413 (by Content-Length before reading, else while reading). An
 * Alertmanager group with thousands of alerts stays under it; Cloud Monitoring sends a few KB.
 */
export const MAX_ALERT_BODY = 1024 * 1024;
/**
 * Bytes of alert bodies read and parsed at once, all endpoints together; a request that would exceed it
 * is answered 429 with Retry-After (both senders retry). Parsing a large group costs many times its size:
 * with 150 notifications of 0.8 MB sent at once the bot peaked at 185 MiB with this budget, 228 MiB with
 * twice it and 344 MiB with four times (the Deployment's limit is 256 MiB). Everyday notifications are a
 * few KB, so hundreds still fit at once.
 */
export const ALERT_BYTES_IN_FLIGHT = 2 * MAX_ALERT_BODY;
/** A body not complete after this is dropped (408). */
export const ALERT_BODY_DEADLINE_MS = 5_000;
/** What is read and dropped after an early answer, so the sender reads the answer instead of a reset. */
const DRAIN_BYTES = 8 * MAX_ALERT_BODY;
const DRAIN_MS = 2_000;
const RETRY_AFTER_SECONDS = '5';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The token as Alertmanager (`Authorization: Bearer`) and Cloud Monitoring (basic auth password) send it;
 * the `auth_token` query parameter only when allowed (ALERT_ACCEPT_QUERY_TOKEN), since URLs get logged.
 */
function presentedToken(req: IncomingMessage, acceptQueryToken: boolean): string | null {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  if (!acceptQueryToken) return null;
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('auth_token');
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function tokenMatches(presented: string | null, expected: string): boolean {
  return presented !== null && timingSafeEqual(digest(presented), digest(expected));
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * An answer before the whole body was read. A body small enough is read and dropped (bounded in bytes
 * and time) so the connection stays usable; a larger one gets `connection: close`.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
  drain = true,
): void {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const close = !req.readableEnded && (!drain || declared > DRAIN_BYTES);
  reply(res, status, body, close ? { ...headers, connection: 'close' } : headers);
  if (!close) drainBounded(req, DRAIN_BYTES, DRAIN_MS);
}

/**
 * `POST path`: token first (401), size (413), the in-flight byte budget (429), the body within a deadline
 * (408), JSON and schema (400 with the reason); then the notification, cut to the fields the intake uses,
 * is stored in Redis, and only then answered 202 (503 with Retry-After when Redis did not store it).
 */
export function alertEndpoint(
  path: string,
  parse: (body: unknown) => ParseResult,
  deps: AlertEndpointDeps,
  budget: ByteBudget = createByteBudget(ALERT_BYTES_IN_FLIGHT),
): HttpRoute {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const read = await readBodyWithin(req, MAX_ALERT_BODY, ALERT_BODY_DEADLINE_MS);
    if (!read.ok) {
      if (read.why === 'aborted') return;
      if (read.why === 'too-slow')
        return refuse(req, res, 408, { error: `body not received within ${ALERT_BODY_DEADLINE_MS} ms` });
      return refuse(req, res, 413, { error: `body larger than ${MAX_ALERT_BODY} bytes` });
    }
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'the body is not JSON' });
    }
    const parsed = parse(body);
    if (!parsed.ok) {
      deps.log.warn({ path, reason: parsed.reason }, 'alert webhook refused: bad payload');
      return reply(res, 400, { error: parsed.reason });
    }
    const notification = keepUsedFields(parsed.notification);
    if ((await deps.accept(notification)) !== 'stored') {
      return reply(res, 503, { error: 'Redis is unavailable; retry later' }, { 'retry-after': RETRY_AFTER_SECONDS });
    }
    reply(res, 202, { status: 'accepted', incident: notification.incidentKey });
  };
  return {
    path,
    method: ['POST'],
    handler: async (req, res) => {
      if (!tokenMatches(presentedToken(req, deps.acceptQueryToken), deps.token)) {
        deps.log.warn({ path }, 'alert webhook refused: missing or wrong token');
        return refuse(
          req,
          res,
          401,
          { error: 'missing or wrong token: send Authorization: Bearer <ALERT_WEBHOOK_TOKEN>' },
          { 'www-authenticate': 'Bearer' },
        );
      }
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      if (declared > MAX_ALERT_BODY)
        return refuse(req, res, 413, { error: `body larger than ${MAX_ALERT_BODY} bytes` });
      const charge = declared >= 0 ? declared : MAX_ALERT_BODY;
      if (!budget.take(charge)) {
        deps.log.warn({ path }, 'alert webhook deferred: bytes in flight at the budget');
        // Not drained: reading what does not fit the budget is what the budget prevents.
        return refuse(req, res, 429, { error: 'busy; retry later' }, { 'retry-after': RETRY_AFTER_SECONDS }, false);
      }
      try {
        await handle(req, res);
      } finally {
        budget.give(charge);
      }
    },
  };
}
