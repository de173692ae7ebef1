import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { CommandArgs, Parsed } from './args';
import { answer } from './args';

function what(parsed: Parsed<'diagnose' | 'injection' | 'webhooks' | 'config'>): string {
  if (parsed.kind === 'webhooks') return 'the mesh webhooks';
  if (parsed.kind === 'injection') return `sidecar injection in ${parsed.namespace}`;
  if (parsed.kind === 'config') return `the mesh configuration of ${parsed.namespace}`;
  return parsed.workload ? `${parsed.namespace}/${parsed.workload}` : parsed.namespace;
}

/**
 * `/mesh diagnose`, `/mesh injection`, `/mesh config` and `/mesh webhooks`: a visible root message, and the diagnosis
 * queued for its thread. A redelivered command (same trigger id) is dropped before anything is posted.
 */
export async function diagnoseCommand(
  args: CommandArgs,
  parsed: Parsed<'diagnose' | 'injection' | 'webhooks' | 'config'>,
  deps: HandlerDeps,
): Promise<void> {
  const { command } = args;
  const requestKey = `slash:${command.trigger_id}`;
  const target =
    parsed.kind === 'webhooks'
      ? { namespace: null, workload: null }
      : { namespace: parsed.namespace, workload: parsed.kind === 'diagnose' ? parsed.workload : null };
  const missing = await deps.missingTarget(target);
  if (missing) {
    await answer(args, `:grey_question: ${missing}`);
    return;
  }
  const outcome = await deps.requestDiagnosis({
    target,
    scope: parsed.kind === 'diagnose' ? 'all' : parsed.kind,
    requestedBy: command.user_id,
    team: command.team_id,
    channel: command.channel_id,
    requestKey,
    rootText: `Diagnosing ${what(parsed)}, asked by <@${command.user_id}>`,
  });
  if (outcome === 'duplicate') deps.log.info({ trigger: command.trigger_id }, 'duplicate slash command ignored');
}
