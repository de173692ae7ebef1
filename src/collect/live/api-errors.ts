import type { FailureVerdict } from './retry';
import { errorMessage } from '../../util/errors';

const RETRYABLE_NETWORK =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|other side closed|fetch failed|network/i;

/** HTTP status of a Kubernetes or Google API error, if it has one. */
export function statusOf(err: unknown): number | null {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.code, e.status, e.response?.status]) if (typeof v === 'number' && v >= 100 && v < 600) return v;
  return null;
}

function header(err: unknown, name: string): string | undefined {
  const headers = (err as { headers?: Record<string, string> | Headers }).headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const h = headers as Record<string, string>;
  return h[name] ?? h[name.toLowerCase()];
}

/** Kubernetes API: retry 429 (after Retry-After), 5xx and dropped connections; not 4xx. */
export function judgeKubeError(err: unknown): FailureVerdict {
  const status = statusOf(err);
  if (status === 429) {
    const seconds = Number(header(err, 'retry-after'));
    return { retry: true, ...(Number.isFinite(seconds) && seconds > 0 ? { afterMs: seconds * 1000 } : {}) };
  }
  if (status !== null) return { retry: status >= 500 };
  return {
    retry: RETRYABLE_NETWORK.test(
      `${errorMessage(err)} ${String((err as { code?: unknown }).code ?? '')} ${String((err as { cause?: Error }).cause?.message ?? '')}`,
    ),
  };
}

/** A short reason for a check's detail. */
export function reasonOf(err: unknown): string {
  const status = statusOf(err);
  const body = (err as { body?: unknown }).body;
  let message = errorMessage(err);
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      // keep the error's own message
    }
  } else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    message = (body as { message: string }).message;
  }
  const first = message.split('\n')[0] ?? message;
  return status ? `HTTP ${status}: ${first.slice(0, 300)}` : first.slice(0, 300);
}
