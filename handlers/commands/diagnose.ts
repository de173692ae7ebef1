import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

function what(parsed: Parsed<'diagnose' | 'injection' | 'webhooks' | 'config'>): string {
  if (parsed.kind === 'webhooks') return 'the mesh webhooks';
  if (parsed.kind === 'injection') return `sidecar injection in ${parsed.namespace}`;
  if (parsed.kind === 'config') return `the mesh configuration of ${parsed.namespace}`;
  return parsed.workload ? `${parsed.namespace}/${parsed.workload}` : parsed.namespace;
}

/**
 * `diagnose`, `injection`, `config` and `webhooks`: a visible root message and the diagnosis queued for its
 * thread, or, asked inside a conversation (a mention, a direct message), the diagnosis queued for that
 * thread. A redelivered ask (same trigger id or message) is dropped before anything is posted.
 */
export async function diagnoseCommand(
  ask: MeshAsk,
  parsed: Parsed<'diagnose' | 'injection' | 'webhooks' | 'config'>,
  deps: HandlerDeps,
): Promise<void> {
  const target =
    parsed.kind === 'webhooks'
      ? { namespace: null, workload: null }
      : { namespace: parsed.namespace, workload: parsed.kind === 'diagnose' ? parsed.workload : null };
  const missing = await deps.missingTarget(target);
  if (missing) {
    await answer(ask, `:grey_question: ${missing}`);
    return;
  }
  const outcome = await deps.requestDiagnosis({
    target,
    scope: parsed.kind === 'diagnose' ? 'all' : parsed.kind,
    requestedBy: ask.user,
    ...(ask.team ? { team: ask.team } : {}),
    channel: ask.channel,
    requestKey: ask.requestKey,
    ...(ask.thread !== undefined
      ? { inThread: ask.thread }
      : { rootText: `Diagnosing ${what(parsed)}, asked by <@${ask.user}>` }),
  });
  if (outcome === 'duplicate') deps.log.info({ request: ask.requestKey }, 'duplicate request ignored');
}
