import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `limit` bytes. Resolves null as soon as it is larger; the rest is then
 * read and dropped, so the connection can still carry the answer (413).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) resolve(null);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export type BoundedBody = { ok: true; body: Buffer } | { ok: false; why: 'too-large' | 'too-slow' | 'aborted' };

/**
 * Reads a body of at most `limit` bytes within `deadlineMs`. Stops collecting as soon as it is too large
 * or too slow (the stream is left paused: answer, then `drainBounded`), so at most `limit` bytes are
 * ever held.
 */
export function readBodyWithin(req: IncomingMessage, limit: number, deadlineMs: number): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BoundedBody) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (!result.ok) {
        chunks.length = 0;
        req.pause();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ ok: false, why: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    const onError = () => finish({ ok: false, why: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, why: 'too-slow' }), deadlineMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/**
 * After an early answer (401, 413, 408, 429): reads and drops what the client is still sending, so it
 * reads the answer rather than a reset and the connection stays usable, but at most `maxBytes` or for
 * `maxMs`; beyond that the connection is closed.
 */
export function drainBounded(req: IncomingMessage, maxBytes: number, maxMs: number): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  const stop = () => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(stop, maxMs);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > maxBytes) stop();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('error', () => clearTimeout(timer));
  req.resume();
}
