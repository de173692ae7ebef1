/** A signature as the matcher needs it. */
export interface MatchSignature {
  id: string;
  pattern: string;
}

/**
 * Matches log text against every catalog signature at once. One combined expression finds candidate
 * lines; only those are tested signature by signature, so unmatched lines cost a single regex pass.
 */
export class LogMatcher {
  private readonly any: RegExp;
  private readonly anyGlobal: RegExp;
  private readonly each: { id: string; re: RegExp }[];

  constructor(signatures: readonly MatchSignature[]) {
    this.each = signatures.map((s) => ({ id: s.id, re: new RegExp(s.pattern) }));
    const combined = signatures.length > 0 ? signatures.map((s) => `(?:${s.pattern})`).join('|') : '(?!)';
    this.any = new RegExp(combined);
    this.anyGlobal = new RegExp(combined, 'g');
  }

  /** Ids of the signatures the text matches, in catalog order; empty when none. */
  match(text: string): string[] {
    if (!this.any.test(text)) return [];
    return this.labels(text);
  }

  /**
   * Scans a block of complete lines (separated by `\n`) and calls `onMatch` for each line that matches
   * at least one signature. Lines that match nothing are never split out of the block.
   */
  scan(block: string, onMatch: (line: string, ids: string[]) => void): void {
    const re = this.anyGlobal;
    re.lastIndex = 0;
    while (re.lastIndex < block.length) {
      const m = re.exec(block);
      if (m === null) return;
      const start = block.lastIndexOf('\n', m.index - 1) + 1;
      let end = block.indexOf('\n', m.index);
      if (end === -1) end = block.length;
      const line = block.endsWith('\r', end) ? block.slice(start, end - 1) : block.slice(start, end);
      const ids = this.labels(line);
      if (ids.length > 0) onMatch(line, ids);
      re.lastIndex = end + 1;
    }
  }

  /** Counts the lines of a block that match at least one signature (used by benchmarks). */
  countMatches(block: string): number {
    let count = 0;
    this.scan(block, () => {
      count++;
    });
    return count;
  }

  private labels(text: string): string[] {
    const ids: string[] = [];
    for (const { id, re } of this.each) if (re.test(text)) ids.push(id);
    return ids;
  }
}
