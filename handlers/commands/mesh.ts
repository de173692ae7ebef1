import type { App, SlashCommand } from '@slack/bolt';
import { EXAMPLE, parseMesh, USAGE_LINES } from '../../src/commands/parse-mesh';
import type { MeshCommand } from '../../src/commands/parse-mesh';
import { searchRunbooks } from '../../src/runbooks/search';
import type { HandlerDeps } from '../deps';
import { answerAudit } from './audit';

const FAILED = ':x: mesh-doctor could not queue this request; try again in a minute.';
const BUSY = ':hourglass: mesh-doctor is handling a burst of requests; nothing was queued. Try again in a minute.';

type Respond = (message: { response_type: 'ephemeral' | 'in_channel'; text: string }) => Promise<unknown>;

function usage(problem: string | null): string {
  return [
    ...(problem ? [`:warning: ${problem}.`] : []),
    '*Usage*',
    ...USAGE_LINES.map((l) => `• ${l}`),
    `Example: \`${EXAMPLE}\``,
  ].join('\n');
}

function targetText(c: { namespace: string; workload?: string | null }): string {
  return c.workload ? `${c.namespace}/${c.workload}` : c.namespace;
}

async function runbook(deps: HandlerDeps, query: string, respond: Respond): Promise<void> {
  const hits = searchRunbooks(deps.catalog, query);
  const text = hits.length
    ? hits.map((h) => `*${h.title}* (\`${h.id}\`)\n${h.summary}`).join('\n\n')
    : `No runbook matches "${query}". Try \`/mesh runbook 503\` or \`/mesh runbook webhook\`.`;
  await respond({ response_type: 'ephemeral', text });
}

async function status(deps: HandlerDeps, respond: Respond): Promise<void> {
  const s = await deps.status();
  const failures = s.recentFailures.length
    ? `\nRecent failures:\n${s.recentFailures.map((f) => `• ${f}`).join('\n')}`
    : '';
  await respond({
    response_type: 'ephemeral',
    text: `Queue: ${s.waiting} waiting, ${s.active} running, ${s.delayed} delayed, ${s.failed} failed. Workers: ${s.workers}.${failures}`,
  });
}

async function diagnose(
  deps: HandlerDeps,
  command: SlashCommand,
  parsed: Extract<MeshCommand, { kind: 'diagnose' | 'injection' | 'webhooks' }>,
  client: App['client'],
): Promise<void> {
  if (!(await deps.claim(`slash:${command.trigger_id}`))) {
    deps.log.info({ trigger: command.trigger_id }, 'duplicate slash command ignored');
    return;
  }
  const target =
    parsed.kind === 'webhooks'
      ? { namespace: null, workload: null }
      : { namespace: parsed.namespace, workload: parsed.kind === 'diagnose' ? parsed.workload : null };
  const what =
    parsed.kind === 'webhooks'
      ? 'the mesh webhooks'
      : parsed.kind === 'injection'
        ? `sidecar injection in ${parsed.namespace}`
        : targetText(parsed);
  const root = await client.chat.postMessage({
    channel: command.channel_id,
    text: `Diagnosing ${what}, asked by <@${command.user_id}>`,
  });
  if (!root.ts) throw new Error('chat.postMessage returned no ts');
  await deps.enqueue({
    target,
    scope: parsed.kind === 'diagnose' ? 'all' : parsed.kind,
    requestedBy: command.user_id,
    channel: command.channel_id,
    threadTs: root.ts,
    requestKey: `slash:${command.trigger_id}`,
  });
}

/** `/mesh`: acknowledge at once, then answer usage and look-ups ephemerally, or queue a diagnosis. */
export function registerMeshCommand(app: App, deps: HandlerDeps): void {
  app.command('/mesh', async ({ command, ack, respond, client }) => {
    await ack();
    const parsed = parseMesh(command.text ?? '');
    const followUp = async () => {
      try {
        if (parsed.kind === 'help') await respond({ response_type: 'ephemeral', text: usage(null) });
        else if (parsed.kind === 'usage') await respond({ response_type: 'ephemeral', text: usage(parsed.problem) });
        else if (parsed.kind === 'runbook') await runbook(deps, parsed.query, respond);
        else if (parsed.kind === 'status') await status(deps, respond);
        else if (parsed.kind === 'audit') await answerAudit(deps, parsed.count, respond);
        else await diagnose(deps, command, parsed, client);
      } catch (err) {
        deps.log.error({ err: (err as Error).message, text: command.text }, 'mesh command failed');
        await respond({ response_type: 'ephemeral', text: FAILED }).catch(() => undefined);
      }
    };
    if (!deps.defer(followUp)) {
      deps.log.warn({ text: command.text }, 'mesh command refused: follow-up backlog full');
      await respond({ response_type: 'ephemeral', text: BUSY }).catch(() => undefined);
    }
  });
}
