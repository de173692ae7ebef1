import { REDACTED, redactDeep, redactSecrets } from '../../src/report/redact';

// Fake secrets are assembled from parts so that secret scanners do not flag this file.
const GOOGLE_KEY = ['AIza', 'SyD-FAKEfake0123456789_fakeFAKEfake'].join('');
const SLACK_BOT = ['xox', 'b-123456789012-1234567890123-FAKEfakeFAKEfakeFAKEfake'].join('');
const SLACK_APP = ['xa', 'pp-1-A012345FAKE-1234567890123-abcdef0123456789abcdef'].join('');
const AWS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const GITHUB_TOKEN = ['gh', 'p_', 'FAKEfakeFAKEfakeFAKEfakeFAKEfake1234'].join('');
const JWT = [
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ',
  'eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoiZmFrZSJ9',
  'c2lnbmF0dXJlLWZha2UtZmFrZS1mYWtlLWZha2U',
].join('.');
const PEM_BODY =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7FAKEFAKEFAKE\nQm9ndXNGYWtlS2V5Qm9ndXNGYWtlS2V5Qm9ndXNGYWtlS2V5Qm9ndXNGYWtlS2V5';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`;

describe('redactSecrets', () => {
  it.each([
    ['an Authorization header', 'GET /api Authorization: Bearer abc.def-123 ok', 'Authorization: Bearer [REDACTED] ok'],
    ['a JSON authorization header', '{"authorization":"Bearer s3cr3t-t0ken"}', '{"authorization":"Bearer [REDACTED]"}'],
    ['a bare bearer token', 'sent bearer 9f8e7d6c5b4a3210fake to istiod', 'sent bearer [REDACTED] to istiod'],
    [
      'a URL password',
      'dial https://admin:hunter2@vault.example.com:8200/v1',
      'https://admin:[REDACTED]@vault.example.com',
    ],
    ['a URL password holding an @', 'redis://cache:p@ss@10.0.0.5:6379', 'redis://cache:[REDACTED]@10.0.0.5:6379'],
    ['a Google API key', `key ${GOOGLE_KEY} rejected`, 'key [REDACTED] rejected'],
    ['a Slack bot token', `token ${SLACK_BOT} revoked`, 'token [REDACTED] revoked'],
    ['a Slack app token', `app ${SLACK_APP}.`, 'app [REDACTED].'],
    ['an AWS access key id', `aws_access_key_id ${AWS_KEY} used`, 'aws_access_key_id [REDACTED] used'],
    ['a GitHub token', `clone with ${GITHUB_TOKEN}`, 'clone with [REDACTED]'],
    ['api_key in a query string', 'GET /v1/items?api_key=0123abcd&page=2 200', '?api_key=[REDACTED]&page=2 200'],
    ['token= in a query string', '"GET /cb?access_token=zzTOP123&x=1 HTTP/2"', '?access_token=[REDACTED]&x=1 HTTP/2"'],
    ['secret= as key=value', 'starting with client_secret=abc123 region=eu', 'client_secret=[REDACTED] region=eu'],
    ['password= as key=value', 'DB_PASSWORD = hunter2, retrying', 'DB_PASSWORD = [REDACTED], retrying'],
    ['a JSON password', '{"user": "app", "password": "hunter2"}', '{"user": "app", "password": "[REDACTED]"}'],
    [
      'an escaped JSON api key',
      String.raw`{\"apiKey\":\"k-123\",\"n\":1}`,
      String.raw`{\"apiKey\":\"[REDACTED]\",\"n\":1}`,
    ],
    ['key="value"', `token="abc def" level=info`, 'token="[REDACTED]" level=info'],
    ['a JWT', `projected token ${JWT} expired`, 'projected token [REDACTED] expired'],
  ])('redacts %s', (_kind, input, expected) => {
    const out = redactSecrets(input);

    expect(out).toContain(expected);
  });

  it('redacts a multi-line PEM private key and keeps its armour and the text around it', () => {
    const input = `loading key\n${PEM}\ndone`;

    const out = redactSecrets(input);

    expect(out).toBe(`loading key\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----\ndone`);
  });

  it('redacts a PEM private key inside a JSON string and one cut before its end', () => {
    const escaped = `"private_key":"-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replace('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n"`;
    const cut = `key: -----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}`;

    expect(redactSecrets(escaped)).not.toContain('MIIE');
    expect(redactSecrets(cut)).toBe(`key: -----BEGIN EC PRIVATE KEY-----${REDACTED}`);
    expect(redactSecrets(`"k":"-----BEGIN PRIVATE KEY-----\\nMIIEv\\nQm9n`)).toBe(
      `"k":"-----BEGIN PRIVATE KEY-----${REDACTED}`,
    );
  });

  it('finishes on long lines that many rules could start in (no catastrophic backtracking)', () => {
    const units = ['a.', 'a-', 'a_', 'eyJaaaaaaaaaaaa.'];

    const results = units.map((unit) => redactSecrets(unit.repeat(100_000)));

    expect(results.slice(0, 3).map((r, i) => r === units[i]?.repeat(100_000))).toEqual([true, true, true]);
    expect(results[3]).toContain('[REDACTED]');
  });

  it.each([
    ['IPs and ports', 'connect ECONNREFUSED 10.112.4.3:6379'],
    ['a URL with a port but no password', 'Put "https://vault.vault.svc:8200/v1/auth/kubernetes/login"'],
    ['a user without a password', 'ssh://git@github.com/org/repo'],
    ['hostnames', 'upstream portal.brightline.example.com:443 istiod.istio-system.svc'],
    ['request ids', '"327c960d-fb62-41b5-88f7-ab23b41ed153"'],
    ['a caBundle prefix', 'caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM... (1234 bytes)'],
    [
      'object names with secret words',
      'Secret istio-system/istio-ca-secret, Pod vault/token-refresher-6d9f7c8b5b-abcde',
    ],
    ['secret-named keys holding names', 'secretName: vault-tls, tokenPath=/var/run, tokens=5'],
    ['prose about tokens', 'failed to fetch token: rpc error: the bearer of the token'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----'],
    ['a lone eyJ', 'field eyJhbGciOi was cut'],
    ['AKIA inside base64', 'caBundle LS0txAKIAIOSFODNN7EXAMPLEQ0FURS0t'],
    ['an istio annotation', '"proxy.istio.io/config": "{\\"holdApplicationUntilProxyStarts\\":true}"'],
  ])('leaves %s alone', (_kind, input) => {
    const out = redactSecrets(input);

    expect(out).toBe(input);
  });

  it('is idempotent', () => {
    const inputs = [
      `Authorization: Bearer ${JWT} https://u:p@h/x ${GOOGLE_KEY} ${SLACK_BOT} ${SLACK_APP}`,
      `${AWS_KEY} ${GITHUB_TOKEN} ?token=a&secret=b {"password": "c"} password='d'`,
      `${PEM}\n-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`,
    ];

    for (const input of inputs) {
      const once = redactSecrets(input);

      expect(redactSecrets(once)).toBe(once);
      expect(once).toContain(REDACTED);
    }
  });
});

describe('redactDeep', () => {
  it('redacts strings inside objects and arrays and values under secret-named keys', () => {
    const value = {
      n: 1,
      ok: true,
      none: null,
      lines: [`Bearer ${JWT}`, 'plain'],
      nested: { password: 'hunter2', secretName: 'vault-tls', auth: { client_secret: 'x' } },
    };

    const out = redactDeep(value);

    expect(out).toEqual({
      n: 1,
      ok: true,
      none: null,
      lines: [`Bearer ${REDACTED}`, 'plain'],
      nested: { password: REDACTED, secretName: 'vault-tls', auth: { client_secret: REDACTED } },
    });
    expect(value.nested.password).toBe('hunter2');
  });
});
