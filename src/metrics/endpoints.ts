import { Server } from 'node:http';
import type { HttpRoute } from '../util/http-route';
import { errorFields, errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { Metrics } from './registry';

/**
 * Every request (headers and body) must arrive within this, else Node answers 408 and closes the
 * connection; checked every half second. Keeps slow or held-open bodies from holding memory.
 */
export const SERVER_OPTIONS = { requestTimeout: 5_000, headersTimeout: 5_000, connectionsCheckingInterval: 500 };

/** What readiness found: whether the process can do its work, and why not. */
export interface Readiness {
  ok: boolean;
  detail: string;
}

/**
 * The operations endpoints of a process (bot or worker):
 * - `/healthz`, liveness: answered by the event loop, so it only fails when the process is stuck. Never
 *   Redis or the cluster: an outage of either must not restart-loop the process.
 * - `/readyz`, readiness: what the process needs to do its work answers (Redis; for a worker, its cluster);
 *   a pod that is not ready gets no traffic (the bot) or says so to the operator (a worker).
 * - `/metrics`, Prometheus' text format, within a second whatever Redis does.
 */
export function operationRoutes(metrics: Metrics, ready: () => Promise<Readiness>): HttpRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', detail: 'serving' }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const r = await ready().catch((err: unknown) => ({ ok: false, detail: errorMessage(err) }));
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: r.ok ? 'ok' : 'unavailable', detail: r.detail }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        const body = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(body);
      },
    },
  ];
}

/** A route whose failure is a 500 and a log line, never an unhandled rejection. */
export function guarded(
  route: HttpRoute,
  log: Pick<Logger, 'error'>,
  onFailure: (err: unknown) => void = () => undefined,
): HttpRoute {
  return {
    ...route,
    handler: (req, res) =>
      Promise.resolve()
        .then(() => route.handler(req, res))
        .catch((err: unknown) => {
          onFailure(err);
          log.error({ path: route.path, ...errorFields(err) }, 'HTTP route failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal error' }));
        }),
  };
}

/** Serves the routes on an HTTP server of their own; unknown paths get 404, other methods 405. */
export async function serveRoutes(routeList: HttpRoute[], port: number, host: string): Promise<Server> {
  const server = new Server(SERVER_OPTIONS, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routeList.find((r) => r.path === path);
    if (!route) return void res.writeHead(404).end();
    if (!route.method.includes(req.method ?? ''))
      return void res.writeHead(405, { allow: route.method.join(', ') }).end();
    Promise.resolve(route.handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Closes a server: open connections first (keep-alive ones would hold it open), then the listener. */
export async function closeServer(server: Server | null): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  if (server.listening) await new Promise((resolve) => server.close(resolve));
}
