import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

/** `/mesh status`: queue depth, workers and the latest failures, to the asker only. */
export async function statusCommand(ask: MeshAsk, _parsed: Parsed<'status'>, deps: HandlerDeps): Promise<void> {
  const s = await deps.status();
  const failures = s.recentFailures.length
    ? `\nRecent failures:\n${s.recentFailures.map((f) => `• ${f}`).join('\n')}`
    : '';
  await answer(
    ask,
    `Queue: ${s.waiting} waiting, ${s.active} running, ${s.delayed} delayed, ${s.failed} failed. Workers: ${s.workers}.${failures}`,
  );
}
