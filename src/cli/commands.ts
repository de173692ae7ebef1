/** The mesh-doctor commands (CONTRACT §1). */
export const COMMANDS = ['diagnose', 'bot', 'worker'] as const;

export type CommandName = (typeof COMMANDS)[number];
