import type { HandlerDeps } from '../../src/bot/handler-deps';
import { buildRunbookBlocks } from '../../src/report/blocks-runbook';
import { searchRunbooks } from '../../src/runbooks/search';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

/** `runbook <id | words>`: the whole runbook when one matches, else the best-matching runbooks. */
export async function runbookCommand(ask: MeshAsk, parsed: Parsed<'runbook'>, deps: HandlerDeps): Promise<void> {
  const hits = searchRunbooks(deps.catalog, parsed.query);
  const [only] = hits;
  const entry = hits.length === 1 && only ? deps.catalog.entries.get(only.id) : undefined;
  // One runbook: the whole of it, as Markdown; several: the best matches to choose from.
  if (entry) return ask.reply(buildRunbookBlocks(entry));
  await answer(
    ask,
    hits.length
      ? hits.map((h) => `*${h.title}* (\`${h.id}\`)\n${h.summary}`).join('\n\n')
      : `No runbook matches "${parsed.query}". Try \`/mesh runbook 503\` or \`/mesh runbook webhook\`.`,
  );
}
