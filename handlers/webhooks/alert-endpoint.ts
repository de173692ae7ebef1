import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParseResult } from '../../src/alerts/types';
import type { AlertEndpointDeps } from '../../src/bot/handler-deps';
import type { HttpRoute } from '../../src/util/http-route';
import { readBody } from '../../src/util/read-body';

/** Bodies above this are refused with 413 before they are read. */
export const MAX_ALERT_BODY = 1024 * 1024;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The token as Alertmanager (`Authorization: Bearer`), Cloud Monitoring (basic auth password, or the
 * `auth_token` query parameter of a token-authenticated webhook URL) send it.
 */
function presentedToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return url.searchParams.get('auth_token');
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
 * `POST path`: token first (401), size (413), JSON and schema (400 with the reason), then 202 at once;
 * the intake runs afterwards. Nothing heavy happens before the response.
 */
export function alertEndpoint(path: string, parse: (body: unknown) => ParseResult, deps: AlertEndpointDeps): HttpRoute {
  return {
    path,
    method: ['POST'],
    handler: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!tokenMatches(presentedToken(req, url), deps.token)) {
        req.resume();
        deps.log.warn({ path }, 'alert webhook refused: missing or wrong token');
        return reply(
          res,
          401,
          { error: 'missing or wrong token: send Authorization: Bearer <ALERT_WEBHOOK_TOKEN>' },
          {
            'www-authenticate': 'Bearer',
          },
        );
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      const raw = declared > MAX_ALERT_BODY ? null : await readBody(req, MAX_ALERT_BODY);
      if (raw === null) {
        req.resume();
        return reply(res, 413, { error: `body larger than ${MAX_ALERT_BODY} bytes` }, { connection: 'close' });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'the body is not JSON' });
      }
      const parsed = parse(body);
      if (!parsed.ok) {
        deps.log.warn({ path, reason: parsed.reason }, 'alert webhook refused: bad payload');
        return reply(res, 400, { error: parsed.reason });
      }
      if (!deps.accept(parsed.notification)) {
        return reply(res, 503, { error: 'busy; retry later' }, { 'retry-after': '5' });
      }
      reply(res, 202, { status: 'accepted', incident: parsed.notification.incidentKey });
    },
  };
}
