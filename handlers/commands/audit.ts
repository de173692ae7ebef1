import type { HandlerDeps } from '../deps';

type Respond = (message: { response_type: 'ephemeral'; text: string }) => Promise<unknown>;

/** `/mesh audit [n]`: the latest audit entries, newest first, to the asker only. */
export async function answerAudit(deps: HandlerDeps, count: number, respond: Respond): Promise<void> {
  if (!deps.approvals) {
    await respond({
      response_type: 'ephemeral',
      text: 'Approvals are not configured (MESH_APPROVERS), so there is no audit trail.',
    });
    return;
  }
  const entries = await deps.approvals.latest(count);
  const lines = entries.map(
    (e) =>
      `• \`${e.at}\` *${e.action}* ${e.target} by <@${e.actor}> (proposal \`${e.proposal.slice(0, 8)}\`): ${e.detail}`,
  );
  await respond({
    response_type: 'ephemeral',
    text:
      lines.length > 0
        ? `*Latest ${lines.length} audit entries*\n${lines.join('\n')}`.slice(0, 3_900)
        : 'The audit trail is empty.',
  });
}
