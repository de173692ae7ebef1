import { FilterError } from './filter-parser';

/** POSIX classes that RE2 accepts inside brackets, as JavaScript class contents. */
const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ['alnum', '0-9A-Za-z'],
  ['alpha', 'A-Za-z'],
  ['ascii', '\\x00-\\x7F'],
  ['blank', '\\t '],
  ['cntrl', '\\x00-\\x1F\\x7F'],
  ['digit', '0-9'],
  ['graph', '!-~'],
  ['lower', 'a-z'],
  ['print', ' -~'],
  ['punct', '!-\\/:-@\\[-`{-~'],
  ['space', '\\t\\n\\v\\f\\r '],
  ['upper', 'A-Z'],
  ['word', '0-9A-Za-z_'],
  ['xdigit', '0-9A-Fa-f'],
]);

const FLAGS: ReadonlyMap<string, string> = new Map([
  ['i', 'i'],
  ['m', 'm'],
  ['s', 's'],
]);

/**
 * Compiles an RE2 pattern (the syntax of `=~` and `!~`) to a JavaScript RegExp that searches the same
 * way: unanchored, case-sensitive unless the pattern starts with `(?i)`. Constructs RE2 rejects
 * (look-around, back-references) are rejected here too; RE2 syntax JavaScript lacks is translated
 * (`(?P<name>`, `\A`, `\z`, `[[:digit:]]`) or rejected.
 */
export function compileRe2(pattern: string): RegExp {
  let flags = '';
  let body = pattern;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (leading) {
    for (const f of leading[1] ?? '') {
      const js = FLAGS.get(f);
      if (!js) throw unsupported(pattern, `flag (?${f})`);
      if (!flags.includes(js)) flags += js;
    }
    body = body.slice(leading[0].length);
  }
  const source = translate(body, pattern);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new FilterError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

function translate(body: string, pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined)
        throw new FilterError(`invalid regular expression ${JSON.stringify(pattern)}: trailing \\`);
      i++;
      out += escape(next, inClass, pattern);
      continue;
    }
    if (inClass) {
      if (c === '[' && body[i + 1] === ':') {
        const end = body.indexOf(':]', i + 2);
        const name = end === -1 ? '' : body.slice(i + 2, end);
        const negated = name.startsWith('^');
        const js = POSIX_CLASSES.get(negated ? name.slice(1) : name);
        if (!js || negated) throw unsupported(pattern, `character class [:${name}:]`);
        out += js;
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') out += `\\${body[++i]}`;
      continue;
    }
    if (c === '(' && body[i + 1] === '?') {
      const group = groupStart(body, i, pattern);
      out += group.text;
      i += group.length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

function escape(next: string, inClass: boolean, pattern: string): string {
  if (/[1-9]/.test(next)) throw unsupported(pattern, `back-reference \\${next}`);
  if (!inClass && next === 'A') return '(?<![\\s\\S])';
  if (!inClass && next === 'z') return '(?![\\s\\S])';
  if ('pPQECXGZ'.includes(next)) throw unsupported(pattern, `\\${next}`);
  return `\\${next}`;
}

function groupStart(body: string, i: number, pattern: string): { text: string; length: number } {
  const rest = body.slice(i, i + 4);
  if (rest.startsWith('(?:')) return { text: '(?:', length: 3 };
  if (rest.startsWith('(?P<')) return { text: '(?<', length: 4 };
  if (/^\(\?<[A-Za-z_]/.test(rest)) return { text: '(?<', length: 3 };
  if (/^\(\?(=|!|<=|<!)/.test(rest)) throw unsupported(pattern, 'look-around');
  throw unsupported(pattern, `group ${JSON.stringify(rest)} (inline flags are only supported at the start)`);
}

function unsupported(pattern: string, what: string): FilterError {
  return new FilterError(`unsupported construct in regular expression ${JSON.stringify(pattern)}: ${what}`);
}
