/** The mesh-doctor commands; `src/cli/usage.ts` describes them. */
export const COMMANDS = ['diagnose', 'capture', 'bot', 'worker', 'help', 'version'] as const;

export type CommandName = (typeof COMMANDS)[number];
