/** Merges label sets into one; on conflicts the earliest set wins. A `__proto__` key is dropped. */
export function mergeLabels(sets: readonly Record<string, string>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const set of sets) {
    for (const [key, value] of Object.entries(set)) {
      if (key !== '__proto__' && !Object.hasOwn(merged, key)) merged[key] = value;
    }
  }
  return merged;
}
