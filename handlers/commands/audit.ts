import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

/** `/mesh audit [n]`: the latest audit entries, newest first, to the asker only. */
export async function auditCommand(ask: MeshAsk, parsed: Parsed<'audit'>, deps: HandlerDeps): Promise<void> {
  if (!deps.approvals) {
    await answer(ask, 'Approvals are not configured (MESH_APPROVERS), so there is no audit trail.');
    return;
  }
  const entries = await deps.approvals.latest(parsed.count);
  const lines = entries.map(
    (e) =>
      `• \`${e.at}\` *${e.action}* ${e.target}${e.cluster ? ` in ${e.cluster}` : ''} by <@${e.actor}> (proposal \`${e.proposal.slice(0, 8)}\`): ${e.detail}`,
  );
  await answer(
    ask,
    lines.length > 0
      ? `*Latest ${lines.length} audit entries*\n${lines.join('\n')}`.slice(0, 3_900)
      : 'The audit trail is empty.',
  );
}
