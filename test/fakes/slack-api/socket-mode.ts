import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { SlackReply } from './reply';
import { fail } from './reply';
import type { SlackBody } from './types';

export const SOCKET_PATH = '/socket-mode';

/** What a Socket Mode client answered to one envelope: `{ envelope_id, payload }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** The Socket Mode side of the fake: `apps.connections.open` hands out a WebSocket URL on the same server. */
export interface FakeSocketMode {
  /** Clients that completed the handshake (got `hello`) and are still connected. */
  connections(): number;
  /**
   * Sends an envelope (`slash_commands`, `interactive`, `events_api`) to the newest connection and
   * resolves with the client's acknowledgement (rejects after `timeoutMs` without one).
   */
  send(type: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  /** Sends a `disconnect` message (Slack does this before recycling a connection). */
  disconnectAll(reason?: string): void;
  /** Envelope ids sent and acknowledged, in order. */
  readonly acked: string[];
}

export function attachSocketMode(server: Server): FakeSocketMode & {
  open(body: SlackBody, token: string | null, baseUrl: string): SlackReply;
  close(): void;
} {
  const wss = new WebSocketServer({ noServer: true });
  const sockets: WebSocket[] = [];
  const waiting = new Map<string, (ack: SocketAck) => void>();
  const acked: string[] = [];
  let envelopes = 0;
  let tickets = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_PATH || !url.searchParams.get('ticket')) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('close', () => sockets.splice(sockets.indexOf(ws), 1));
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        let message: SocketAck;
        try {
          message = JSON.parse(String(data)) as SocketAck;
        } catch {
          return;
        }
        const resolve = waiting.get(message.envelope_id);
        if (!resolve) return;
        waiting.delete(message.envelope_id);
        acked.push(message.envelope_id);
        resolve(message);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.length,
          debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18_060 },
          connection_info: { app_id: 'A0FAKEAPP1' },
        }),
      );
    });
  });

  return {
    acked,
    connections: () => sockets.filter((s) => s.readyState === s.OPEN).length,
    open(_body, token, baseUrl) {
      // Slack accepts only app-level tokens here.
      if (token === null || !token.startsWith('xapp-')) return fail('not_allowed_token_type');
      tickets += 1;
      return { ok: true, url: `${baseUrl.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=t${tickets}` };
    },
    send(type, payload, timeoutMs = 5_000) {
      const ws = sockets.at(-1);
      if (!ws) return Promise.reject(new Error('no Socket Mode client is connected'));
      envelopes += 1;
      const envelopeId = `env-${envelopes}`;
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(envelopeId);
          reject(new Error(`envelope ${envelopeId} was not acknowledged within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== 'events_api',
          }),
        );
      });
    },
    disconnectAll(reason = 'refresh_requested') {
      for (const ws of sockets) ws.send(JSON.stringify({ type: 'disconnect', reason }));
    },
    close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
