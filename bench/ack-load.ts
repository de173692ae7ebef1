/**
 * Child process of bench:ack: sends signed slash commands from its own event loop, so that measuring
 * does not slow down the server being measured. IPC: receives {url, count, concurrency, label, secret},
 * answers with {latencies}.
 */
import { performance } from 'node:perf_hooks';
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody } from '../test/fakes/slack-api';

interface LoadRequest {
  url: string;
  count: number;
  concurrency: number;
  label: string;
  secret: string;
  /** Fixed text for every command; by default they spread over 20 namespaces and 10 workloads. */
  text?: string;
}

async function send(request: LoadRequest, i: number): Promise<number> {
  const body = slashCommandBody({
    text: request.text ?? `diagnose team-${i % 20}/svc-${i % 10}`,
    trigger_id: `${request.label}-${i}`,
    channel_id: 'C0BENCH',
    user_id: 'U0BENCH',
    response_url: 'http://127.0.0.1:9/unused',
  });
  const headers = { 'content-type': FORM_CONTENT_TYPE, ...signSlackRequest(request.secret, body) };
  const started = performance.now();
  const response = await fetch(`${request.url}/slack/events`, { method: 'POST', headers, body });
  await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return performance.now() - started;
}

process.on('message', (request: LoadRequest) => {
  const latencies: number[] = [];
  let next = 0;
  void Promise.all(
    Array.from({ length: request.concurrency }, async () => {
      while (next < request.count) latencies.push(await send(request, next++));
    }),
  ).then(
    () => process.send?.({ latencies }),
    (err: unknown) => process.send?.({ error: String(err) }),
  );
});
