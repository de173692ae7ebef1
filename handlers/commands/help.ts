import { EXAMPLE, USAGE_LINES } from '../../src/commands/parse-mesh';
import type { CommandArgs, Parsed } from './args';
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
export async function helpCommand(args: CommandArgs, parsed: Parsed<'help' | 'usage'>): Promise<void> {
  await answer(args, usageText(parsed.kind === 'usage' ? parsed.problem : null));
}
