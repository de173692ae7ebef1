import type { Catalog } from './catalog';
import { runbookText } from './catalog';

/** A runbook found by id or by words. */
export interface RunbookHit {
  id: string;
  title: string;
  summary: string;
  score: number;
}

/** Finds runbooks: an exact id first, else those whose id, title, summary or symptoms contain the words. */
export function searchRunbooks(catalog: Catalog, query: string, limit = 3): RunbookHit[] {
  const q = query.trim().toLowerCase();
  const exact = catalog.entries.get(q);
  const hit = (id: string, score: number): RunbookHit => {
    const entry = catalog.entries.get(id);
    const text = entry ? runbookText(entry) : null;
    return { id, title: text?.title ?? id, summary: text?.summary ?? '', score };
  };
  if (exact) return [hit(exact.id, 100)];
  const words = q.split(/[^a-z0-9.]+/).filter((w) => w.length > 1);
  if (words.length === 0) return [];
  const scored = [...catalog.entries.values()].map((entry) => {
    const text = runbookText(entry);
    const haystack = [entry.id, text.title, text.summary, ...text.symptoms, ...entry.signatures.flatMap((s) => s.examples)].join(' ').toLowerCase();
    const score = words.reduce((n, w) => n + (entry.id.includes(w) ? 3 : 0) + (haystack.includes(w) ? 1 : 0), 0);
    return { id: entry.id, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((s) => hit(s.id, s.score));
}
