import { EXAMPLE, USAGE_LINES } from '../../src/commands/parse-mesh';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

function usageText(problem: string | null): string {
  return [
    ...(problem ? [`:warning: ${problem}.`] : []),
    '*Usage*',
    ...USAGE_LINES.map((l) => `• ${l}`),
    `Example: \`${EXAMPLE}\``,
  ].join('\n');
}

/** `/mesh help`, and any text that does not parse: the usage, with what was wrong first. */
export async function helpCommand(ask: MeshAsk, parsed: Parsed<'help' | 'usage'>): Promise<void> {
  await answer(ask, usageText(parsed.kind === 'usage' ? parsed.problem : null));
}
