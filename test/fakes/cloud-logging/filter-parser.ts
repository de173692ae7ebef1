/**
 * Parser for the subset of the Cloud Logging query language that the fake understands. Anything outside
 * the subset is a {@link FilterError}, which the server answers with 400 INVALID_ARGUMENT, so that a
 * query the fake cannot judge is never silently answered.
 */

export type CompareOp = '=' | '!=' | ':' | '=~' | '!~' | '>' | '>=' | '<' | '<=';

/** A literal on the right of a comparison. `number` is set for an unquoted numeric literal. */
export interface FilterValue {
  text: string;
  number: number | null;
}

export type FilterNode =
  | { type: 'all' }
  | { type: 'and'; items: FilterNode[] }
  | { type: 'or'; items: FilterNode[] }
  | { type: 'not'; item: FilterNode }
  | { type: 'compare'; field: string[]; op: CompareOp; value: FilterValue }
  | { type: 'exists'; field: string[] }
  | { type: 'logId'; logId: string };

/** A filter the fake rejects; `message` names the offending construct and its position. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

/** The real service's limit on the filter length. */
export const MAX_FILTER_LENGTH = 20_000;

/** Top-level `LogEntry` fields; a comparison on any other field is rejected. */
const LOG_ENTRY_FIELDS = new Set([
  'logName',
  'resource',
  'timestamp',
  'receiveTimestamp',
  'severity',
  'insertId',
  'httpRequest',
  'labels',
  'operation',
  'trace',
  'spanId',
  'traceSampled',
  'sourceLocation',
  'split',
  'textPayload',
  'jsonPayload',
  'protoPayload',
  'errorGroups',
  'apphub',
  'apphubDestination',
]);

/** Two-character operators first, so that `>=` is not read as `>`. */
const OPERATORS: readonly CompareOp[] = ['!=', '=~', '!~', '>=', '<=', '=', ':', '>', '<'];

const IDENTIFIER = /[A-Za-z0-9_@$-]/;
const BARE_VALUE = /[A-Za-z0-9_.+\-@/]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a filter into its syntax tree. An empty filter matches every entry. */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterError(`filter is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  }
  return new Parser(text).parse();
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): FilterNode {
    this.skipSpace();
    if (this.atEnd()) return { type: 'all' };
    const node = this.conjunction(() => this.restriction());
    this.skipSpace();
    if (!this.atEnd()) throw this.error(`unexpected ${this.describeHere()}`);
    return node;
  }

  /** `a AND b`, or `a b` (juxtaposition and newlines are an implicit AND). AND binds loosest. */
  private conjunction(primary: () => FilterNode): FilterNode {
    const items = [this.disjunction(primary)];
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || this.peek() === ')') break;
      if (this.keyword('AND')) this.pos += 3;
      items.push(this.disjunction(primary));
    }
    return items.length === 1 ? (items[0] as FilterNode) : { type: 'and', items };
  }

  /** `a OR b`: in this language OR binds tighter than AND. */
  private disjunction(primary: () => FilterNode): FilterNode {
    const items = [this.negation(primary)];
    for (;;) {
      this.skipSpace();
      if (!this.keyword('OR')) break;
      this.pos += 2;
      items.push(this.negation(primary));
    }
    return items.length === 1 ? (items[0] as FilterNode) : { type: 'or', items };
  }

  /** `NOT a` or `-a`; binds tightest. */
  private negation(primary: () => FilterNode): FilterNode {
    this.skipSpace();
    if (this.keyword('NOT')) {
      this.pos += 3;
      return { type: 'not', item: this.negation(primary) };
    }
    if (this.peek() === '-') {
      if (this.text[this.pos + 1] === '-') throw this.error('unsupported construct: comment ("--")');
      this.pos++;
      return { type: 'not', item: this.negation(primary) };
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.conjunction(primary);
      this.expect(')');
      return inner;
    }
    return primary();
  }

  /** A comparison `FIELD OP VALUE`, `FIELD:*` or `log_id("ID")`. */
  private restriction(): FilterNode {
    if (this.atEnd()) throw this.error('expected a comparison at the end of the filter');
    for (const word of ['AND', 'OR']) {
      if (this.keyword(word)) throw this.error(`${word} without a left operand`);
    }
    if (this.peek() === ')') throw this.error('unexpected ")"');
    const start = this.pos;
    const field = this.fieldPath();
    if (this.peek() === '(') return this.functionCall(field, start);
    this.skipSpace();
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
    if (!op) {
      const what = this.text.slice(start, this.pos).trim();
      if (field.length === 1 && !LOG_ENTRY_FIELDS.has(field[0] ?? '')) {
        throw this.error(
          `unsupported construct: global restriction ${JSON.stringify(what)} (a value without a field)`,
          start,
        );
      }
      throw this.error(`expected a comparison operator after the field ${JSON.stringify(what)}`);
    }
    const top = field[0] ?? '';
    if (!LOG_ENTRY_FIELDS.has(top)) throw this.error(`unknown field ${JSON.stringify(top)}`, start);
    this.pos += op.length;
    this.skipSpace();
    if (op === ':' && this.peek() === '*') {
      this.pos++;
      this.expectDelimiter();
      return { type: 'exists', field };
    }
    if (this.peek() === '(') {
      this.pos++;
      const group = this.conjunction(() => ({ type: 'compare', field, op, value: this.value() }));
      this.expect(')');
      return group;
    }
    return { type: 'compare', field, op, value: this.value() };
  }

  private functionCall(name: string[], start: number): FilterNode {
    const fn = name.join('.');
    if (fn !== 'log_id') throw this.error(`unsupported function ${fn}()`, start);
    this.pos++;
    this.skipSpace();
    if (this.peek() !== '"') throw this.error('log_id() takes one quoted log ID');
    const logId = this.quoted();
    this.skipSpace();
    this.expect(')');
    return { type: 'logId', logId };
  }

  /** `a.b."c/d".e`: dotted segments, each an identifier or a quoted string. */
  private fieldPath(): string[] {
    const segments: string[] = [];
    for (;;) {
      if (this.peek() === '"') segments.push(this.quoted());
      else {
        const start = this.pos;
        while (!this.atEnd() && IDENTIFIER.test(this.peek())) this.pos++;
        if (this.pos === start) throw this.error(`unexpected ${this.describeHere()}`);
        segments.push(this.text.slice(start, this.pos));
      }
      const next = this.text[this.pos + 1] ?? '';
      if (this.peek() !== '.' || !(next === '"' || IDENTIFIER.test(next))) return segments;
      this.pos++;
    }
  }

  private value(): FilterValue {
    this.skipSpace();
    if (this.atEnd()) throw this.error('missing value at the end of the filter');
    if (this.peek() === '"') {
      const text = this.quoted();
      this.expectDelimiter();
      return { text, number: null };
    }
    const start = this.pos;
    while (!this.atEnd() && BARE_VALUE.test(this.peek())) this.pos++;
    const text = this.text.slice(start, this.pos);
    if (text === '') throw this.error(`expected a value, found ${this.describeHere()}`);
    this.expectDelimiter();
    if (text === 'NULL_VALUE') throw this.error('unsupported construct: NULL_VALUE', start);
    if (text === 'AND' || text === 'OR' || text === 'NOT') throw this.error(`expected a value, found ${text}`, start);
    return { text, number: NUMBER.test(text) ? Number(text) : null };
  }

  /** A double-quoted string. `\"` and `\\` are unescaped; other escapes are kept for regular expressions. */
  private quoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (!this.atEnd()) {
      const c = this.peek();
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const next = this.text[this.pos];
      if (next === undefined) break;
      this.pos++;
      out += next === '"' || next === '\\' ? next : `\\${next}`;
    }
    throw this.error('unterminated string', start);
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) throw this.error(`expected "${c}", found ${this.describeHere()}`);
    this.pos++;
  }

  /** After a value: the end, a space or a parenthesis. `a=abc:def` is illegal unquoted. */
  private expectDelimiter(): void {
    const c = this.peek();
    if (this.atEnd() || c === ')' || c === '(' || /\s/.test(c)) return;
    throw this.error(`unexpected ${this.describeHere()} after a value (quote values with special characters)`);
  }

  /** True when `word` (AND, OR, NOT: upper case only) starts here as a whole word. */
  private keyword(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    const after = this.text[this.pos + word.length];
    return after === undefined || after === '(' || after === '"' || /\s/.test(after);
  }

  private skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private describeHere(): string {
    return this.atEnd() ? 'end of filter' : JSON.stringify(this.text.slice(this.pos, this.pos + 20));
  }

  private error(message: string, at = this.pos): FilterError {
    return new FilterError(`invalid filter at character ${at + 1}: ${message}`);
  }
}
