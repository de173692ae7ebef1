import type { ResourceType } from './resources';
import { badRequest } from './status';
import type { Json, KubeObject } from './types';

/** A compiled selector: true when an object matches. */
export type Matcher = (object: KubeObject) => boolean;

// ---------------------------------------------------------------------------------------------
// Label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<2`.
// ---------------------------------------------------------------------------------------------

type Token =
  | { t: 'word'; v: string }
  | { t: 'op'; v: '=' | '==' | '!=' | '!' | '>' | '<' }
  | { t: 'open' }
  | { t: 'close' }
  | { t: 'comma' };

const WORD = /[A-Za-z0-9._/-]/;
const KEY =
  /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(') {
      tokens.push({ t: 'open' });
      i++;
    } else if (c === ')') {
      tokens.push({ t: 'close' });
      i++;
    } else if (c === ',') {
      tokens.push({ t: 'comma' });
      i++;
    } else if (c === '!' && input.charAt(i + 1) === '=') {
      tokens.push({ t: 'op', v: '!=' });
      i += 2;
    } else if (c === '=' && input.charAt(i + 1) === '=') {
      tokens.push({ t: 'op', v: '==' });
      i += 2;
    } else if (c === '!' || c === '=' || c === '>' || c === '<') {
      tokens.push({ t: 'op', v: c });
      i++;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < input.length && WORD.test(input.charAt(j))) j++;
      tokens.push({ t: 'word', v: input.slice(i, j) });
      i = j;
    } else {
      throw badRequest(`unable to parse requirement: found '${c}', expected: identifier`);
    }
  }
  return tokens;
}

type Requirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> }
  | { op: 'gt' | 'lt'; key: string; value: number };

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 316) {
    throw badRequest(`unable to parse requirement: Invalid value: "${key}": a valid label key is required`);
  }
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value)) {
    throw badRequest(
      `unable to parse requirement: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return value;
}

function parseLabelRequirements(input: string): Requirement[] {
  const tokens = lex(input);
  const out: Requirement[] = [];
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (what: string): never => {
    throw badRequest(`unable to parse requirement: ${what}`);
  };
  while (i < tokens.length) {
    let negated = false;
    const first = peek();
    if (first?.t === 'op' && first.v === '!') {
      negated = true;
      i++;
    }
    const keyToken = tokens[i++];
    if (keyToken?.t !== 'word') return fail(`expected a label key at position ${i}`);
    const key = checkKey(keyToken.v);
    const next = peek();
    if (negated) {
      if (next && next.t !== 'comma') fail(`'!${key}' takes no operator`);
      out.push({ op: 'notexists', key });
    } else if (!next || next.t === 'comma') {
      out.push({ op: 'exists', key });
    } else if (next.t === 'op') {
      i++;
      const valueToken = peek();
      let value = '';
      if (valueToken?.t === 'word') {
        value = valueToken.v;
        i++;
      }
      if (next.v === '>' || next.v === '<') {
        const n = Number(value);
        if (value === '' || !Number.isInteger(n))
          fail(`for 'gt', 'lt' operators, exactly one integer value is required`);
        out.push({ op: next.v === '>' ? 'gt' : 'lt', key, value: n });
      } else if (next.v === '!') {
        fail(`unexpected '!' after ${key}`);
      } else {
        out.push({ op: next.v === '!=' ? 'notin' : 'in', key, values: new Set([checkValue(value)]) });
      }
    } else if (next.t === 'word' && (next.v === 'in' || next.v === 'notin')) {
      i++;
      if (peek()?.t !== 'open') fail(`expected '(' after ${next.v}`);
      i++;
      const values = new Set<string>();
      let expectValue = true;
      for (;;) {
        const tok = tokens[i++];
        if (!tok) return fail('unclosed value set');
        if (tok.t === 'close') break;
        if (tok.t === 'comma') {
          if (expectValue) values.add('');
          expectValue = true;
          continue;
        }
        if (tok.t !== 'word' || !expectValue) return fail('invalid value set');
        values.add(checkValue(tok.v));
        expectValue = false;
      }
      if (values.size === 0) fail(`for 'in', 'notin' operators, values set can't be empty`);
      out.push({ op: next.v, key, values });
    } else {
      fail(`found '${next.t === 'word' ? next.v : next.t}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const sep = tokens[i];
    if (sep) {
      if (sep.t !== 'comma') fail('expected a comma between requirements');
      i++;
      if (i >= tokens.length) fail('trailing comma');
    }
  }
  return out;
}

function matchRequirement(req: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'in':
      return has && req.values.has(String(value));
    case 'notin':
      return !has || !req.values.has(String(value));
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(value);
      if (!Number.isFinite(n)) return false;
      return req.op === 'gt' ? n > req.value : n < req.value;
    }
  }
}

/** Compiles a `labelSelector` query parameter; an empty one matches everything. */
export function compileLabelSelector(input: string | undefined): Matcher | null {
  if (input === undefined || input.trim() === '') return null;
  const reqs = parseLabelRequirements(input);
  return (object) => {
    const labels = object.metadata?.labels;
    for (const req of reqs) if (!matchRequirement(req, labels)) return false;
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// Field selectors: `field=value`, `field==value`, `field!=value`, comma = AND, `\` escapes.
// ---------------------------------------------------------------------------------------------

type Getter = (object: KubeObject) => string;

function at(object: Json, path: string[]): unknown {
  let cur: unknown = object;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[part];
  }
  return cur;
}

function pathGetter(dotted: string): Getter {
  const path = dotted.split('.');
  return (object) => {
    const v = at(object, path);
    if (v === undefined || v === null) return '';
    return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
}

const EVENT_REFERENCE = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** Field labels each resource supports, mapped to the path read in the stored object. */
const FIELD_LABELS: Record<string, Record<string, string>> = {
  '/pods': {
    'spec.nodeName': 'spec.nodeName',
    'spec.restartPolicy': 'spec.restartPolicy',
    'spec.schedulerName': 'spec.schedulerName',
    'spec.serviceAccountName': 'spec.serviceAccountName',
    'spec.hostNetwork': 'spec.hostNetwork',
    'status.phase': 'status.phase',
    'status.podIP': 'status.podIP',
    'status.nominatedNodeName': 'status.nominatedNodeName',
  },
  '/events': {
    ...Object.fromEntries(EVENT_REFERENCE.map((f) => [`involvedObject.${f}`, `involvedObject.${f}`])),
    reason: 'reason',
    type: 'type',
    source: 'source.component',
    reportingComponent: 'reportingComponent',
  },
  '/namespaces': { 'status.phase': 'status.phase' },
  '/nodes': { 'spec.unschedulable': 'spec.unschedulable' },
  '/secrets': { type: 'type' },
  '/services': { 'spec.clusterIP': 'spec.clusterIP', 'spec.type': 'spec.type' },
  '/replicationcontrollers': { 'status.replicas': 'status.replicas' },
  'apps/replicasets': { 'status.replicas': 'status.replicas' },
  'batch/jobs': { 'status.successful': 'status.successful' },
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': 'spec.signerName' },
};

/** events.k8s.io field labels, translated to the core form the events are stored in. */
const EVENTS_API_LABELS: Record<string, string> = {
  ...Object.fromEntries(EVENT_REFERENCE.map((f) => [`regarding.${f}`, `involvedObject.${f}`])),
  reportingController: 'reportingComponent',
  deprecatedSource: 'source',
};

function fieldGetter(type: ResourceType, field: string): Getter | null {
  if (field === 'metadata.name') return (o) => o.metadata?.name ?? '';
  if (field === 'metadata.namespace') return (o) => o.metadata?.namespace ?? '';
  const labels = FIELD_LABELS[type.storage] ?? {};
  let label = field;
  if (type.group === 'events.k8s.io') label = EVENTS_API_LABELS[field] ?? field;
  const path = labels[label];
  return path ? pathGetter(path) : null;
}

/** Splits on unescaped `sep`, keeping escapes for the next stage. */
function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input.charAt(i);
    if (c === '\\' && i + 1 < input.length) {
      current += c + input.charAt(i + 1);
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '\\') {
      const next = value.charAt(i + 1);
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${next}`);
      }
      out += next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** Finds the first unescaped operator in a field selector term. */
function splitTerm(term: string): { field: string; op: '=' | '!='; value: string } {
  for (let i = 0; i < term.length; i++) {
    const c = term.charAt(i);
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '!' && term.charAt(i + 1) === '=') {
      return { field: term.slice(0, i), op: '!=', value: term.slice(i + 2) };
    }
    if (c === '=') {
      const double = term.charAt(i + 1) === '=';
      return { field: term.slice(0, i), op: '=', value: term.slice(i + (double ? 2 : 1)) };
    }
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

/** Compiles a `fieldSelector` for a resource type; unsupported field labels are a 400, like the real server. */
export function compileFieldSelector(input: string | undefined, type: ResourceType): Matcher | null {
  if (input === undefined || input.trim() === '') return null;
  const tests: { get: Getter; op: '=' | '!='; value: string }[] = [];
  for (const raw of splitUnescaped(input, ',')) {
    const term = raw.trim();
    if (term === '') continue;
    const { field, op, value } = splitTerm(term);
    const name = field.trim();
    const get = fieldGetter(type, name);
    if (!get) throw badRequest(`field label not supported: ${name}`);
    tests.push({ get, op, value: unescape(value.trim()) });
  }
  if (tests.length === 0) return null;
  return (object) => {
    for (const t of tests) {
      const equal = t.get(object) === t.value;
      if (equal !== (t.op === '=')) return false;
    }
    return true;
  };
}
