/**
 * Child process of bench:alerts: sends prepared webhook requests from its own event loop at a fixed
 * rate, `concurrency` at most in flight. IPC: receives {url, requests, concurrency, perSecond}, answers
 * with {latencies, statuses}.
 */
import { performance } from 'node:perf_hooks';

interface LoadRequest {
  url: string;
  requests: Array<{ path: string; body: string; headers: Record<string, string> }>;
  concurrency: number;
  perSecond: number;
}

process.on('message', (load: LoadRequest) => {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < load.requests.length) {
      const i = next++;
      const due = started + (i * 1000) / load.perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const request = load.requests[i] as LoadRequest['requests'][number];
      const t0 = performance.now();
      const response = await fetch(`${load.url}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      await response.text();
      latencies.push(performance.now() - t0);
      statuses.push(response.status);
    }
  };
  void Promise.all(Array.from({ length: load.concurrency }, worker)).then(
    () => process.send?.({ latencies, statuses }),
    (err: unknown) => process.send?.({ error: String(err) }),
  );
});
