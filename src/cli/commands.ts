/** The mesh-doctor commands; `src/cli/usage.ts` describes them. */
export const COMMANDS = ['diagnose', 'capture', 'bot', 'worker'] as const;

export type CommandName = (typeof COMMANDS)[number];
