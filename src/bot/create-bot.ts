import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { HandlerDeps } from '../../handlers';
import { registerHandlers } from '../../handlers';
import type { Metrics } from '../metrics/registry';

/** How the bot reaches Slack. An app token selects Socket Mode; else HTTP with the signing secret. */
export interface BotSettings {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  slackApiUrl: string;
  port: number;
  host?: string;
}

/** Extra HTTP endpoints (alert webhooks later) served beside /slack/events. */
export interface ExtraRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export interface Bot {
  app: App;
  /** Starts listening; resolves with the bound port (HTTP mode; the settings' port in Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

function routes(
  metrics: Metrics,
  health: () => Promise<{ ok: boolean; detail: string }>,
  extra: ExtraRoute[],
): ExtraRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req, res) => {
        const h = await health().catch((err: unknown) => ({ ok: false, detail: (err as Error).message }));
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', detail: h.detail }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(await metrics.render());
      },
    },
    ...extra,
  ];
}

/** A route whose failure is a 500 and a log line, never an unhandled rejection. */
function guarded(route: ExtraRoute, log: HandlerDeps['log']): ExtraRoute {
  return {
    ...route,
    handler: (req, res) =>
      Promise.resolve()
        .then(() => route.handler(req, res))
        .catch((err: unknown) => {
          log.error({ path: route.path, err: (err as Error).message }, 'HTTP route failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal error' }));
        }),
  };
}

/** Serves the routes on their own HTTP server (Socket Mode has no HTTP receiver); unknown paths get 404. */
async function serveRoutes(routeList: ExtraRoute[], port: number, host: string): Promise<Server> {
  const server = new Server((req, res) => {
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

/** Builds the Bolt app with its receiver, handlers and HTTP endpoints. Nothing is read from the environment. */
export function createBot(
  settings: BotSettings,
  deps: HandlerDeps,
  metrics: Metrics,
  health: () => Promise<{ ok: boolean; detail: string }>,
  extra: ExtraRoute[] = [],
): Bot {
  const customRoutes = routes(metrics, health, extra).map((route) => guarded(route, deps.log));
  const clientOptions = { slackApiUrl: settings.slackApiUrl };
  const receiver = settings.appToken
    ? new SocketModeReceiver({
        appToken: settings.appToken,
        logLevel: LogLevel.WARN,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: settings.signingSecret ?? '',
        customRoutes,
        processBeforeResponse: false,
        unhandledRequestTimeoutMillis: 3001,
      });
  const app = new App({ token: settings.botToken, receiver, clientOptions, logLevel: LogLevel.WARN });
  registerHandlers(app, deps);
  app.error(async (err) => {
    deps.log.error({ err: err.message }, 'slack handler error');
  });
  let server: Server | null = null;
  return {
    app,
    start: async () => {
      const started: unknown = await app.start({ port: settings.port, host: settings.host ?? '0.0.0.0' } as never);
      if (started instanceof Server) {
        server = started;
        return (started.address() as AddressInfo).port;
      }
      // Socket Mode: our own HTTP server carries the routes (health, metrics, webhooks).
      server = await serveRoutes(customRoutes, settings.port, settings.host ?? '0.0.0.0');
      return (server.address() as AddressInfo).port;
    },
    stop: async () => {
      const s = server;
      s?.closeAllConnections();
      await app.stop();
      if (s?.listening) await new Promise((resolve) => s.close(resolve));
    },
  };
}
