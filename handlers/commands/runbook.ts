import type { HandlerDeps } from '../../src/bot/handler-deps';
import { searchRunbooks } from '../../src/runbooks/search';
import type { CommandArgs, Parsed } from './args';
import { answer } from './args';

/** `/mesh runbook <id | words>`: the best-matching runbooks, to the asker only. */
export async function runbookCommand(args: CommandArgs, parsed: Parsed<'runbook'>, deps: HandlerDeps): Promise<void> {
  const hits = searchRunbooks(deps.catalog, parsed.query);
  await answer(
    args,
    hits.length
      ? hits.map((h) => `*${h.title}* (\`${h.id}\`)\n${h.summary}`).join('\n\n')
      : `No runbook matches "${parsed.query}". Try \`/mesh runbook 503\` or \`/mesh runbook webhook\`.`,
  );
}
