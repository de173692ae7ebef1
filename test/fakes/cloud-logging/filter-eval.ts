import type { CompareOp, FilterNode, FilterValue } from './filter-parser';
import { FilterError, parseFilter } from './filter-parser';
import type { LogEntry } from './log-entry';
import { canonicalTime, severityLevel } from './log-entry';
import { compileRe2 } from './re2';

/** An entry as the store holds it: `time` is its timestamp in {@link canonicalTime} form ('' if none). */
export interface IndexedEntry {
  entry: LogEntry;
  time: string;
}

export type EntryPredicate = (row: IndexedEntry) => boolean;

type ValueTest = (value: unknown) => boolean;

const TIME_FIELDS = new Set(['timestamp', 'receiveTimestamp']);

/*
 * Globals read once: under jest each read of a global such as `Array` or `String` costs about as much as the
 * rest of a comparison, and predicates run once per entry.
 */
const isArray = Array.isArray;
const toText = String;
const toNumber = Number;
const notANumber = Number.isNaN;

/** Parses and compiles a filter once; the predicate is then applied to every entry. */
export function compileFilter(filter: string): EntryPredicate {
  return compile(parseFilter(filter));
}

function compile(node: FilterNode): EntryPredicate {
  switch (node.type) {
    case 'all':
      return () => true;
    case 'and': {
      const items = node.items.map(compile);
      return (row) => {
        for (let i = 0; i < items.length; i++) if (!(items[i] as EntryPredicate)(row)) return false;
        return true;
      };
    }
    case 'or': {
      const items = node.items.map(compile);
      return (row) => {
        for (let i = 0; i < items.length; i++) if ((items[i] as EntryPredicate)(row)) return true;
        return false;
      };
    }
    case 'not': {
      const item = compile(node.item);
      return (row) => !item(row);
    }
    case 'logId': {
      const suffix = `/logs/${decodeSlashes(node.logId)}`;
      return (row) => typeof row.entry.logName === 'string' && decodeSlashes(row.entry.logName).endsWith(suffix);
    }
    case 'exists':
      return (row) => resolve(row.entry, node.field) !== undefined;
    case 'compare':
      return compileComparison(node.field, node.op, node.value);
  }
}

function decodeSlashes(name: string): string {
  return name.replace(/%2F/gi, '/');
}

function compileComparison(field: string[], op: CompareOp, value: FilterValue): EntryPredicate {
  const single = field.length === 1 ? field[0] : undefined;
  const textual = op === ':' || op === '=~' || op === '!~';
  if (single === 'severity' && !textual) {
    const test = severityTest(op, value);
    return (row) => test(row.entry.severity);
  }
  if (single === 'timestamp' && !textual) {
    const test = timeTest(op, value);
    return (row) => (row.time === '' ? op === '!=' : test(row.time));
  }
  const test = valueTest(op, value, single !== undefined && TIME_FIELDS.has(single) && !textual);
  const negated = op === '!=' || op === '!~';
  return (row) => {
    const found = resolve(row.entry, field);
    if (found === undefined) return negated;
    if (isArray(found)) return negated ? found.every(test) : found.some(test);
    return test(found);
  };
}

/** The value at a dotted path; null counts as missing. */
function resolve(entry: LogEntry, field: string[]): unknown {
  let current: unknown = entry;
  for (let i = 0; i < field.length; i++) {
    if (current === null || typeof current !== 'object' || isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[field[i] as string];
  }
  return current === null ? undefined : current;
}

/** A test of one field value; for `!=` and `!~` it says whether the value does NOT match. */
function valueTest(op: CompareOp, value: FilterValue, isTime: boolean): ValueTest {
  if (isTime) {
    const test = timeTest(op, value);
    return (v) => {
      const time = canonicalTime(v);
      return time !== null && test(time);
    };
  }
  switch (op) {
    case '=':
      return (v) => equals(v, value);
    case '!=':
      return (v) => !equals(v, value);
    case ':': {
      const needle = value.text.toLowerCase();
      return (v) => isScalar(v) && toText(v).toLowerCase().includes(needle);
    }
    case '=~': {
      const re = compileRe2(value.text);
      return (v) => isScalar(v) && re.test(toText(v));
    }
    case '!~': {
      const re = compileRe2(value.text);
      return (v) => !(isScalar(v) && re.test(toText(v)));
    }
    default:
      return orderingTest(op, value);
  }
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function equals(v: unknown, value: FilterValue): boolean {
  if (typeof v === 'number' && value.number !== null) return v === value.number;
  return isScalar(v) && toText(v) === value.text;
}

function severityTest(op: CompareOp, value: FilterValue): ValueTest {
  const level = severityLevel(value.number ?? value.text);
  if (level === null) throw new FilterError(`invalid filter: unknown severity ${JSON.stringify(value.text)}`);
  const test = compareWith(op);
  return (v) => {
    const actual = severityLevel(v);
    return actual === null ? op === '!=' : test(actual - level);
  };
}

function timeTest(op: CompareOp, value: FilterValue): (time: string) => boolean {
  const bound = canonicalTime(value.text);
  if (bound === null)
    throw new FilterError(`invalid filter: ${JSON.stringify(value.text)} is not an RFC 3339 timestamp`);
  const test = compareWith(op);
  return (time) => test(time < bound ? -1 : time > bound ? 1 : 0);
}

/** `>`, `>=`, `<`, `<=`: numbers as numbers, timestamps as times, anything else as strings. */
function orderingTest(op: CompareOp, value: FilterValue): ValueTest {
  const test = compareWith(op);
  const bound = value.number;
  const boundTime = canonicalTime(value.text);
  return (v) => {
    if (!isScalar(v)) return false;
    if (bound !== null) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? toNumber(v) : null;
      if (n !== null && !notANumber(n)) return test(n - bound);
    }
    if (boundTime !== null) {
      const time = canonicalTime(v);
      if (time !== null) return test(time < boundTime ? -1 : time > boundTime ? 1 : 0);
    }
    const s = toText(v);
    return test(s < value.text ? -1 : s > value.text ? 1 : 0);
  };
}

/** `=`, `!=` and the orderings, applied to the sign of a difference. */
function compareWith(op: CompareOp): (difference: number) => boolean {
  switch (op) {
    case '>':
      return (d) => d > 0;
    case '>=':
      return (d) => d >= 0;
    case '<':
      return (d) => d < 0;
    case '<=':
      return (d) => d <= 0;
    case '!=':
      return (d) => d !== 0;
    default:
      return (d) => d === 0;
  }
}
