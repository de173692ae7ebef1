import { ACCESS_LOG_QUOTES } from '../diagnosis/access-log';
import { useLogRedaction } from '../util/logger';

/** What replaces a secret. Never matched by any rule below, so redacting twice changes nothing. */
export const REDACTED = '[REDACTED]';
/** What replaces a client address (`x-forwarded-for`, the downstream remote address). */
export const CLIENT_IP = '[CLIENT-IP]';
/** What replaces a user agent. */
export const USER_AGENT = '[USER-AGENT]';

/** How far redaction goes beyond secrets. */
export interface RedactOptions {
  /** Mask client IPs and drop user agents in access-log evidence (default true; `MESH_REDACT_CLIENT_IPS`). */
  clientIps?: boolean;
}

const NOT_DONE = String.raw`(?!\[REDACTED\])`;

/**
 * Key names whose values are secrets: `api_key`, `x-api-key`, `client_secret`, `db_password`,
 * `aws_secret_access_key`, kubeconfig `client-key-data` and `client-certificate-data`, ...
 */
const KEY = String.raw`[A-Za-z0-9_.-]{0,40}?(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key(?:[_-]?id)?|key[_-]?data|certificate[_-]?data|token|secret|password|passwd|passphrase|pwd)`;

const SENSITIVE_KEY = new RegExp(`^${KEY}$`, 'i');

/** Bare `token` and `secret` (or a kind such as `v1.Secret`) also start prose ("failed to fetch token: rpc error"). */
const PROSE_KEY = /(?:^|\.)(?:token|secret)$/i;
/** A value that looks like a credential rather than a word: 6+ characters with a digit or symbol, or 20+. */
const CREDENTIAL_LIKE = /^(?:(?=.*[0-9+/=_.~-]).{6,}|.{20,})$/;

type Rule = readonly [pattern: RegExp, replacement: string];

/** Applied in order; each keeps the text around the secret (the key, the scheme, the PEM armour). */
const RULES: readonly Rule[] = [
  // PEM private keys, complete (also with escaped `\n` inside a JSON string).
  [/(-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----)[\s\S]*?(-----END \2PRIVATE KEY-----)/g, `$1${REDACTED}$3`],
  // PEM private keys cut before their END line: the base64 body up to the first thing that is not.
  [
    new RegExp(
      String.raw`(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)${NOT_DONE}(?:[A-Za-z0-9+/=]|\r?\n[ \t]*|(?:\\r)?\\n[ \t]*)+`,
      'g',
    ),
    `$1${REDACTED}`,
  ],
  // JWTs: three base64url segments, the first a JSON header.
  [/(?<![A-Za-z0-9_+/-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Authorization headers: whatever the credential looks like.
  [
    new RegExp(
      String.raw`(\bAuthorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token|Digest|Negotiate)\s+)${NOT_DONE}[^\s"',;]+`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // AWS Signature Version 4: the credential, signed headers and signature, up to the end of the value.
  [
    new RegExp(String.raw`(\bAuthorization["']?\s*[:=]\s*["']?AWS4-HMAC-SHA256\s+)${NOT_DONE}[^"'\n]+`, 'gi'),
    `$1${REDACTED}`,
  ],
  // `bearer xxx` elsewhere: only token-like values (8+ characters with a digit or symbol, or 20+).
  [
    new RegExp(
      String.raw`(\bBearer\s+)${NOT_DONE}(?:(?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{8,}|[A-Za-z]{20,})=*`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // Cookies: every `name=value` pair of a Cookie or Set-Cookie header.
  [
    new RegExp(
      String.raw`(\b(?:Set-)?Cookie["']?\s*:\s*["']?)${NOT_DONE}[^\s;=,"']+=[^\s;"']*(?:;\s*[^\s;=,"']+(?:=[^\s;"']*)?)*`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // Passwords in URLs: scheme://user:password@host, also with no user name (the password may hold an `@`).
  [/(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]*:)[^\s/?#]+@/gi, `$1${REDACTED}@`],
  // Slack incoming-webhook URLs: the path is the credential.
  [/(\bhooks\.slack\.com\/(?:services|workflows|triggers)\/)(?!\[)[A-Za-z0-9/_-]+/g, `$1${REDACTED}`],
  // Provider keys and tokens.
  [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35,}/g, REDACTED],
  [/(?<![A-Za-z0-9])xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/(?<![A-Za-z0-9+/])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9+/])/g, REDACTED],
  [/(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}/g, REDACTED],
  [/(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/g, REDACTED],
  // Signed URLs (S3, GCS) wherever they appear; OAuth `code` and `state` and SAS `sig` only as query parameters.
  [
    new RegExp(
      String.raw`((?:(?<![A-Za-z0-9_-])X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)|[?&;](?:code|state|sig|signature))=)${NOT_DONE}[^\s&#"'<>]+`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  // "key": "value", key="value", key: 'value' (also inside JSON held in a string: \"key\": \"value\").
  [
    new RegExp(
      String.raw`(?<![A-Za-z0-9])(\\?["']?)(${KEY})\1(\s*[:=]\s*)(\\?["'])${NOT_DONE}(?:(?!\4)[^\n])+?\4`,
      'gi',
    ),
    `$1$2$1$3$4${REDACTED}$4`,
  ],
  // key=value in query strings, flags and logs.
  [
    new RegExp(String.raw`(?<![A-Za-z0-9])(${KEY}[ \t]*=[ \t]*)${NOT_DONE}(?!["'\\])[^\s&"'<>,;)}\]]+`, 'gi'),
    `$1${REDACTED}`,
  ],
];

/** `key: value` unquoted: YAML, kubeconfig, HTTP headers such as `X-Api-Key`. */
const UNQUOTED_VALUE = new RegExp(
  String.raw`({[ \t]*|(?<![A-Za-z0-9_.-]))(${KEY})([ \t]*:[ \t]+)${NOT_DONE}(?!["'\\])([^\s"',;}\]]+)`,
  'gi',
);

/**
 * Redacts unquoted `key: value` values. A bare `token:` or `secret:` in the middle of a line (the text
 * of an event, say) redacts only a credential-like value, so that prose keeps its words.
 */
function redactUnquotedValues(text: string): string {
  return text.replace(UNQUOTED_VALUE, (match, before: string, key: string, sep: string, value: string, at: number) => {
    const lineHead = text.slice(text.lastIndexOf('\n', at) + 1, at + before.length);
    const startsEntry = before !== '' || /^[ \t]*(?:- )?$/.test(lineHead);
    if (PROSE_KEY.test(key) && !startsEntry && !CREDENTIAL_LIKE.test(value)) return match;
    return `${before}${key}${sep}${REDACTED}`;
  });
}

/** Keys (JSON or text) whose values identify a client: its address or its user agent. */
const CLIENT_KEY_NAMES = String.raw`x[-_]?forwarded[-_]?for|downstream[-_]?remote[-_]?address|remote[-_]?ip|user[-_]?agent`;
const CLIENT_KEY = new RegExp(`^(?:${CLIENT_KEY_NAMES})$`, 'i');
const CLIENT_JSON_FIELD = new RegExp(
  String.raw`(\\?")(${CLIENT_KEY_NAMES})\1(\s*:\s*)(\\?")((?:(?!\4)[^\n])*?)\4`,
  'gi',
);
const FORWARDED_HEADER = /(\bX-Forwarded-For\s*:\s*)(?!\[)[0-9A-Fa-f.:]+(?:,\s*[0-9A-Fa-f.:]+)*/gi;

/** Quotes as access logs show them: straight, or curly once a console has copied them. */
const Q = ACCESS_LOG_QUOTES;
/** The start of an Envoy access-log line: `"METHOD PATH PROTOCOL" CODE `, or `"- - -" 0 ` for TCP. */
const ACCESS_HEAD = new RegExp(`[${Q}](?:[A-Z]+|-) [^${Q}\\n]*[${Q}] \\d{1,3} `, 'g');
/** Tokens of the rest of an access-log line: quoted fields (maybe cut short) and bare ones. */
const ACCESS_TOKEN = new RegExp(`[${Q}][^${Q}\\n]*[${Q}]?|[^\\s${Q}]+`, 'g');
const QUOTED = new RegExp(`^[${Q}]`);
const COUNTER = /^\d+$/;
const COUNTER_OR_DASH = /^(?:\d+|-)$/;

function isUserAgentKey(key: string): boolean {
  return /agent/i.test(key);
}

function clientValue(key: string, value: string): string {
  if (value === '' || value === '-') return value;
  return isUserAgentKey(key) ? USER_AGENT : CLIENT_IP;
}

interface Token {
  text: string;
  start: number;
}

/**
 * In the default Istio TEXT format (and the older ones), after the bytes and durations come
 * `"X-FORWARDED-FOR" "USER-AGENT" "REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST" CLUSTER UPSTREAM_LOCAL
 * DOWNSTREAM_LOCAL DOWNSTREAM_REMOTE`: the client fields are the first, second and last of these. The
 * upstream host and the local addresses are the mesh's own and stay.
 */
function clientTokens(tokens: readonly Token[]): [Token, string][] {
  for (let i = 0; i + 4 < tokens.length; i += 1) {
    const [rx, tx, duration, upstreamTime, xff] = tokens.slice(i, i + 5).map((t) => t.text);
    const counters =
      COUNTER.test(rx ?? '') &&
      COUNTER.test(tx ?? '') &&
      COUNTER_OR_DASH.test(duration ?? '') &&
      COUNTER_OR_DASH.test(upstreamTime ?? '');
    if (!counters || !QUOTED.test(xff ?? '')) continue;
    const [forwarded, agent] = [tokens[i + 4], tokens[i + 5]];
    const remote = tokens[i + 12];
    const edits: [Token, string][] = [];
    if (forwarded) edits.push([forwarded, requoted(forwarded.text, (v) => clientValue('ip', v))]);
    if (agent && QUOTED.test(agent.text)) edits.push([agent, requoted(agent.text, (v) => clientValue('agent', v))]);
    if (remote && !QUOTED.test(remote.text)) edits.push([remote, clientValue('ip', remote.text)]);
    return edits;
  }
  return [];
}

/** A quoted field with a new value, in its own quotes. */
function requoted(quoted: string, value: (inner: string) => string): string {
  const m = new RegExp(`^([${Q}])([^${Q}]*)([${Q}]?)$`).exec(quoted);
  if (!m) return quoted;
  const [, open = '"', inner = '', close = ''] = m;
  return `${open}${value(inner)}${close || open}`;
}

/** Tokens to look at after an access-log head: the flags and details before the counters, and 13 after. */
const MAX_ACCESS_TOKENS = 30;

/** The first tokens after `from`, up to the end of its line (each search bounded, for long lines). */
function tokensAfter(text: string, from: number): Token[] {
  const token = new RegExp(ACCESS_TOKEN.source, 'y');
  const tokens: Token[] = [];
  let at = from;
  while (tokens.length < MAX_ACCESS_TOKENS) {
    while (text[at] === ' ' || text[at] === '\t') at += 1;
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) break;
    tokens.push({ text: m[0], start: at });
    at += m[0].length;
  }
  return tokens;
}

function maskAccessLogLines(text: string): string {
  // By start: two heads on one flattened line may reach the same fields.
  const edits = new Map<number, [end: number, replacement: string]>();
  for (const head of text.matchAll(ACCESS_HEAD)) {
    const tokens = tokensAfter(text, head.index + head[0].length);
    for (const [t, replacement] of clientTokens(tokens)) edits.set(t.start, [t.start + t.text.length, replacement]);
  }
  const parts: string[] = [];
  let at = 0;
  for (const [start, [end, replacement]] of [...edits].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    parts.push(text.slice(at, start), replacement);
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Masks client addresses and drops user agents: in access-log lines, JSON access logs and headers. */
function maskClients(text: string): string {
  return maskAccessLogLines(text)
    .replace(CLIENT_JSON_FIELD, (_m, q: string, key: string, sep: string, vq: string, value: string) => {
      return `${q}${key}${q}${sep}${vq}${clientValue(key, value)}${vq}`;
    })
    .replace(FORWARDED_HEADER, `$1${CLIENT_IP}`);
}

/**
 * Replaces secrets (bearer tokens, cookies, URL passwords, signed-URL signatures, OAuth codes, provider
 * API keys, JWTs, PEM private keys and the values of secret-named keys) with `[REDACTED]`, keeping the
 * text around them. Idempotent.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return redactUnquotedValues(out);
}

/** Secrets, and (unless `clientIps` is false) client addresses and user agents. Idempotent. */
export function redactText(text: string, options: RedactOptions = {}): string {
  const out = redactSecrets(text);
  return options.clientIps === false ? out : maskClients(out);
}

/** Whether a JSON key names a secret (`password`, `client_secret`, `apiKey`, ...). */
export function isSecretKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function redactValue(value: unknown, key: string, options: RedactOptions): unknown {
  // A Date (or anything with toJSON) is redacted as it would be written.
  if (value !== null && typeof value === 'object' && hasToJson(value)) return redactValue(value.toJSON(), key, options);
  if (typeof value === 'string') {
    if (value !== '' && isSecretKey(key)) return REDACTED;
    if (options.clientIps !== false && CLIENT_KEY.test(key)) return clientValue(key, value);
    return redactText(value, options);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key, options));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k, options);
    return out;
  }
  return value;
}

/**
 * Redacts every string inside a JSON value (objects and arrays are copied, never changed in place).
 * String values under a secret-named key are replaced whole; unless `clientIps` is false, client
 * addresses and user agents are masked too.
 */
export function redactDeep<T>(value: T, options: RedactOptions = {}): T {
  // The copy has the same shape as the input: only string leaves change.
  return redactValue(value, '', options) as T;
}

/** How the text and JSON reports are printed. */
export interface RenderOptions extends RedactOptions {
  /** False prints the evidence as read, secrets included (the CLI's `--no-redact`); default true. */
  redact?: boolean;
}

/** The value to print: redacted as the options say (by default secrets, client IPs and user agents). */
export function forPrinting<T>(value: T, options: RenderOptions = {}): T {
  return options.redact === false ? value : redactDeep(value, { clientIps: options.clientIps ?? true });
}

// Log lines leave the process too: every logger redacts secrets once this module is loaded (by the
// report layer, which every process that logs uses). Client addresses stay in operators' logs.
useLogRedaction((record) => redactDeep(record, { clientIps: false }));
