/** The `/mesh` sub-commands, as fuzz pieces. */
export const MESH_VERBS = ['diagnose', 'injection', 'webhooks', 'runbook', 'status', 'audit', 'help'] as const;

/** A small seeded generator (LCG), so fuzz runs are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** `/mesh` texts made of up to `maxWords` pieces, joined with spaces or glued together. */
export function fuzzTexts(count: number, pieces: readonly string[], seed: number, maxWords = 8): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(random() * maxWords) }, () => pieces[Math.floor(random() * pieces.length)]).join(
      random() < 0.5 ? ' ' : '',
    ),
  );
}
