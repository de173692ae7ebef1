/** What replaces a secret. Never matched by any rule below, so redacting twice changes nothing. */
export const REDACTED = '[REDACTED]';

const NOT_DONE = String.raw`(?!\[REDACTED\])`;

/** Key names whose values are secrets: `api_key`, `x-api-key`, `client_secret`, `db_password`, ... */
const KEY = String.raw`[A-Za-z0-9_.-]{0,40}?(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|token|secret|password|passwd|passphrase|pwd)`;

const SENSITIVE_KEY = new RegExp(`^${KEY}$`, 'i');

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
    new RegExp(String.raw`(\bAuthorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token)\s+)${NOT_DONE}[^\s"',;]+`, 'gi'),
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
  // Passwords in URLs: scheme://user:password@host (the password may itself hold an `@`).
  [/(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]+:)[^\s/?#]+@/gi, `$1${REDACTED}@`],
  // Provider keys and tokens.
  [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35,}/g, REDACTED],
  [/(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/(?<![A-Za-z0-9+/])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9+/])/g, REDACTED],
  [/(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}/g, REDACTED],
  [/(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/g, REDACTED],
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

/**
 * Replaces secrets (bearer tokens, URL passwords, provider API keys, JWTs, PEM private keys and the
 * values of secret-named keys) with `[REDACTED]`, keeping the text around them. Idempotent.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Whether a JSON key names a secret (`password`, `client_secret`, `apiKey`, ...). */
export function isSecretKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function redactValue(value: unknown, secretKey: boolean): unknown {
  if (typeof value === 'string') return secretKey && value !== '' ? REDACTED : redactSecrets(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secretKey));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, isSecretKey(k));
    return out;
  }
  return value;
}

/**
 * Redacts every string inside a JSON value (objects and arrays are copied, never changed in place).
 * String values under a secret-named key are replaced whole.
 */
export function redactDeep<T>(value: T): T {
  // The copy has the same shape as the input: only string leaves change.
  return redactValue(value, false) as T;
}
