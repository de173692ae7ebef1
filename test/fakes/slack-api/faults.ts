import type { SlackFaultRule } from './types';

/** Injected failures, tried in the order added; the first that matches a call applies to it. */
export interface SlackFaults {
  add(rule: SlackFaultRule): void;
  clear(): void;
  /** The rule that answers a call of `method`, counting one use of it. */
  take(method: string): SlackFaultRule | null;
}

export function createFaults(): SlackFaults {
  let rules: { rule: SlackFaultRule; left: number }[] = [];
  return {
    add(rule) {
      const left = rule.times ?? 1;
      if (!(left > 0)) throw new Error(`fault times must be positive, got ${String(rule.times)}`);
      if (rule.status === undefined && rule.error === undefined) throw new Error('a fault needs a status or an error');
      rules.push({ rule: { ...rule }, left });
    },
    clear() {
      rules = [];
    },
    take(method) {
      const entry = rules.find(({ rule }) => rule.method === undefined || rule.method === method);
      if (!entry) return null;
      entry.left--;
      if (entry.left <= 0) rules = rules.filter((r) => r !== entry);
      return entry.rule;
    },
  };
}
