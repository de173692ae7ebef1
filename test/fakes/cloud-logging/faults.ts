/** A failure the fake answers with instead of results. */
export interface FaultRule {
  /** 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE or 400 INVALID_ARGUMENT, with Google's error JSON. */
  status: 429 | 500 | 503 | 400;
  /** How many requests in a row fail this way; default 1. `Infinity` until `clear()`. */
  times?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** Fault rules, used in the order they were added. */
export class FaultQueue {
  private readonly rules: { rule: FaultRule; left: number }[] = [];

  add(rule: FaultRule): void {
    const left = rule.times ?? 1;
    if (!(left > 0)) throw new Error(`fault rule needs times > 0, got ${String(rule.times)}`);
    this.rules.push({ rule, left });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The rule that answers the next request, if any. */
  take(): FaultRule | null {
    const first = this.rules[0];
    if (!first) return null;
    first.left--;
    if (first.left <= 0) this.rules.shift();
    return first.rule;
  }
}
