import type { AlertNotification } from '../../src/alerts/types';
import type { Check, Finding, Report } from '../../src/diagnosis/evidence';
import { buildAlertRootBlocks } from '../../src/report/blocks-alert';
import { buildReportBlocks } from '../../src/report/blocks';
import { renderJson } from '../../src/report/json';
import { CLIENT_IP, REDACTED, redactDeep, redactSecrets, redactText, USER_AGENT } from '../../src/report/redact';
import { renderText } from '../../src/report/text';
import { createLogger } from '../../src/util/logger';

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

// More fake secrets, assembled from parts as above.
const SLACK_REFRESH = ['xox', 'e-1-My0xLTE3Mzc0MzQ1NjUtMTIzNDU2Nzg5MDEyMw'].join('');
const SLACK_ROTATING = ['xox', 'e.xox', 'p-1-My0xLTE3Mzc0MzQ1NjUtFAKE'].join('');
const SLACK_USER = ['xox', 'p-1234567890-FAKEfakeFAKEfake42'].join('');
const SLACK_APP_LEVEL = ['xox', 'a-2-1234567890-FAKEfakeFAKE'].join('');
const SLACK_REFRESH_OLD = ['xox', 'r-1234567890-FAKEfakeFAKE'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI/K7MDENG', '/bPxRfiCYFAKEKEY'].join('');
const KEY_DATA = ['LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt', 'LS0tLQpNSUlFb3dJQkFBS0NBUUVB'].join('');
const CERT_DATA = ['LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t', 'Ck1JSUMvakNDQWVhZ0F3SUJBZ0lCQURB'].join('');

/** One form a secret reaches people in: the text carrying it, and the parts that must never be shown. */
interface SecretForm {
  name: string;
  text: string;
  secrets: string[];
}

const FORMS: SecretForm[] = [
  {
    name: 'a Redis URL with an empty user name',
    text: 'dial redis://:Pa55-redis-x@cache.shop.svc:6379: refused',
    secrets: ['Pa55-redis-x'],
  },
  {
    name: 'a URL with user and password',
    text: 'GET https://admin:hunter2-pw@vault.example.com/v1 403',
    secrets: ['hunter2-pw'],
  },
  { name: 'kubeconfig client-key-data', text: `client-key-data: ${KEY_DATA}`, secrets: [KEY_DATA] },
  { name: 'kubeconfig client-certificate-data', text: `client-certificate-data: ${CERT_DATA}`, secrets: [CERT_DATA] },
  {
    name: 'a kubeconfig token, flattened into one line',
    text: 'kind: Config users: - name: admin user: token: kubeTok3n-0123456789abcdef',
    secrets: ['kubeTok3n-0123456789abcdef'],
  },
  { name: 'a YAML token', text: 'data:\n  token: qwertyuiopasdf\n  mode: fast', secrets: ['qwertyuiopasdf'] },
  { name: 'a YAML password', text: 'auth:\n  password: correcthorse\n', secrets: ['correcthorse'] },
  { name: 'a YAML secret', text: 'oauth:\n  secret: battery-staple', secrets: ['battery-staple'] },
  { name: 'aws_secret_access_key', text: `[default]\naws_secret_access_key: ${AWS_SECRET}`, secrets: [AWS_SECRET] },
  {
    name: 'an X-Api-Key header',
    text: 'upstream rejected X-Api-Key: 5f4dcc3b5aa765d61d83 (401)',
    secrets: ['5f4dcc3b5aa765d61d83'],
  },
  { name: 'a Slack refresh token (xoxe-)', text: `rotating ${SLACK_REFRESH} failed`, secrets: [SLACK_REFRESH] },
  {
    name: 'a rotating Slack token (xoxe.xoxp-)',
    text: `token ${SLACK_ROTATING} expired`,
    secrets: ['My0xLTE3Mzc0MzQ1NjUtFAKE'],
  },
  { name: 'a Slack bot token (xoxb-)', text: `SLACK_BOT_TOKEN ${SLACK_BOT}`, secrets: [SLACK_BOT] },
  { name: 'a Slack user token (xoxp-)', text: `user token ${SLACK_USER}`, secrets: [SLACK_USER] },
  { name: 'a Slack xoxa- token', text: `app token ${SLACK_APP_LEVEL}`, secrets: [SLACK_APP_LEVEL] },
  { name: 'a Slack xoxr- token', text: `refresh ${SLACK_REFRESH_OLD}`, secrets: [SLACK_REFRESH_OLD] },
  { name: 'a Slack app token (xapp-)', text: `socket mode with ${SLACK_APP}`, secrets: [SLACK_APP] },
  {
    name: 'an S3 presigned URL',
    text: 'GET https://b.s3.amazonaws.com/o?X-Amz-Credential=AKIDFAKE%2F20240101&X-Amz-Signature=deadbeef0123 403',
    secrets: ['AKIDFAKE', 'deadbeef0123'],
  },
  {
    name: 'a GCS signed URL',
    text: 'https://storage.googleapis.com/b/o?X-Goog-Credential=sa%40p.iam&X-Goog-Signature=0a1b2c3d4e',
    secrets: ['sa%40p.iam', '0a1b2c3d4e'],
  },
  {
    name: 'an OAuth callback (code and state)',
    text: '"GET /oauth2/callback?code=4/0AfJohXnFAKE&state=af0ifjsldkj HTTP/1.1" 302',
    secrets: ['4/0AfJohXnFAKE', 'af0ifjsldkj'],
  },
  { name: 'access_token=', text: 'GET /cb#access_token=ya29.a0AfFAKE&expires_in=3599', secrets: ['ya29.a0AfFAKE'] },
  {
    name: 'refresh_token=',
    text: 'POST grant_type=refresh_token&refresh_token=1//0gFAKEfake',
    secrets: ['1//0gFAKEfake'],
  },
  {
    name: 'client_secret=',
    text: 'POST /token client_id=abc&client_secret=GOCSPX-FAKEfake',
    secrets: ['GOCSPX-FAKEfake'],
  },
  {
    name: 'an Azure SAS sig=',
    text: 'GET /blob?sv=2021-08-06&sig=abcDEF%2B123%3D&se=2024',
    secrets: ['abcDEF%2B123%3D'],
  },
  {
    name: 'a Cookie header',
    text: 'Cookie: session=abc123fake; csrftoken=xyz789fake',
    secrets: ['abc123fake', 'xyz789fake'],
  },
  {
    name: 'a Set-Cookie header',
    text: 'Set-Cookie: sid=s%3AfakeSession.sig; Path=/; HttpOnly',
    secrets: ['s%3AfakeSession'],
  },
  { name: 'Authorization: Bearer', text: 'Authorization: Bearer opaque-t0ken-FAKE', secrets: ['opaque-t0ken-FAKE'] },
  { name: 'Authorization: Basic', text: 'Authorization: Basic dXNlcjpmYWtlcGFzcw==', secrets: ['dXNlcjpmYWtlcGFzcw'] },
  {
    name: 'Authorization: AWS4-HMAC-SHA256',
    text: 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDFAKE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027',
    secrets: ['AKIDFAKE', 'fe5f80f77d5fa3beca038a248ff027'],
  },
  { name: 'a JWT', text: `projected token ${JWT} expired`, secrets: [JWT.split('.')[1] ?? JWT] },
  {
    name: 'a PEM private key',
    text: `loading key\n${PEM}\ndone`,
    secrets: ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw', 'Qm9ndXNGYWtlS2V5'],
  },
  {
    name: 'a GCP service-account key file',
    text: `{"type": "service_account", "private_key_id": "0123456789abcdef0123", "private_key": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replace('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n", "client_email": "sa@p.iam.gserviceaccount.com"}`,
    secrets: ['0123456789abcdef0123', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw'],
  },
  { name: 'api_key=', text: 'GET /v1/items?api_key=0123abcdFAKE&page=2 200', secrets: ['0123abcdFAKE'] },
  { name: 'apikey:', text: 'apikey: AbCdEf123456FAKE', secrets: ['AbCdEf123456FAKE'] },
  { name: 'a Google API key', text: `key ${GOOGLE_KEY} rejected`, secrets: [GOOGLE_KEY] },
  {
    name: 'a Slack webhook URL',
    text: 'POST https://hooks.slack.com/services/T0FAKE/B0FAKE/FAKEfakeFAKE 404',
    secrets: ['FAKEfakeFAKE'],
  },
];

function findingWith(text: string, n = 0): Finding {
  return {
    runbook: 'upstream-reset-503',
    title: `Problem ${n}`,
    severity: 'warning',
    confidence: 0.8,
    resources: [{ kind: 'Deployment', namespace: 'shop', name: 'cart' }],
    evidence: [{ source: 'log', timestamp: '2024-05-14T09:00:00Z', text }],
    remediation: { steps: ['Look at the evidence.'], patches: [] },
  };
}

function reportWith(text: string, findings = 1): Report {
  const checks: Check[] = [{ id: 'read:pod-logs', status: 'error', detail: text }];
  return {
    target: { namespace: 'shop', workload: 'cart' },
    findings: Array.from({ length: findings }, (_, i) => findingWith(text, i)),
    checks,
  };
}

function alertWith(text: string): AlertNotification {
  return {
    source: 'alertmanager',
    incidentKey: 'am:1',
    status: 'firing',
    title: `Istio5xx ${text}`,
    severity: 'critical',
    summary: text,
    labels: {},
    alertLabels: [],
    startsAt: null,
    endsAt: null,
    url: 'http://alertmanager.monitoring.svc:9093',
    alertCount: 1,
  };
}

function logged(text: string): string {
  let out = '';
  const log = createLogger('debug', (line) => (out += line));
  log.warn({ detail: text, nested: { lines: [text] }, password: 'plain-value' }, text);
  return out;
}

/** Every way a text leaves the process toward people, by name. */
function outputs(text: string): Record<string, string> {
  const blocks = buildReportBlocks(reportWith(text), { requestedBy: 'U123', approvalsEnabled: true });
  const overflowed = buildReportBlocks(reportWith(text, 40), { approvalsEnabled: true });
  const alert = buildAlertRootBlocks(alertWith(text), {
    cluster: null,
    namespace: 'shop',
    workload: 'cart',
    lacking: [],
    from: ['namespace'],
  });
  return {
    'Slack blocks': JSON.stringify(blocks),
    'Slack overflow file': overflowed.overflow ?? '(no overflow)',
    'text report': renderText(reportWith(text)),
    'JSON report': renderJson(reportWith(text)),
    'alert root message': JSON.stringify(alert),
    'log line': logged(text),
  };
}

describe('redaction of everything that reaches people', () => {
  it('covers at least 30 forms', () => {
    expect(FORMS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(FORMS.map((f) => [f.name, f] as const))('redacts %s in every output', (_name, form) => {
    const shown = outputs(form.text);

    for (const [where, out] of Object.entries(shown)) {
      for (const secret of form.secrets)
        expect({ where, leaks: out.includes(secret) }).toEqual({ where, leaks: false });
      expect({ where, redacted: out.includes(REDACTED) }).toEqual({ where, redacted: true });
    }
  });

  it('redacts every form idempotently', () => {
    for (const form of FORMS) {
      const once = redactText(form.text);

      expect({ form: form.name, twice: redactText(once) }).toEqual({ form: form.name, twice: once });
    }
  });

  it.each([
    [
      'an istio-proxy log line',
      'warning envoy config StreamAggregatedResources gRPC config stream closed: 14, no healthy upstream',
    ],
    [
      'an upstream reset',
      'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
    ],
    ['pod names', 'Pod shop/cart-7d9f8b6c5d-x2x4q, Pod vault/token-refresher-6d9f7c8b5b-abcde'],
    ['a resourceVersion', 'Deployment shop/cart resourceVersion: "48213377" generation: 12'],
    ['image tags', 'image docker.io/istio/proxyv2:1.20.3 and gcr.io/shop/cart@sha256:9f86d081884c7d65'],
    ['a status code and a state', 'response code=503 state=Running phase: Pending'],
    [
      'an event about a token',
      'MountVolume.SetUp failed for volume "istio-token" : failed to fetch token: the API server said no',
    ],
    [
      'an RBAC error about secrets',
      'reflector.go:229: failed to list *v1.Secret: secrets is forbidden: User "system:serviceaccount:istio-system:istiod" cannot list resource "secrets"',
    ],
    ['a TLS secret name', 'Gateway istio-system/main credentialName: shop-tls secret: not found'],
  ])('keeps %s intact in every output', (_name, line) => {
    const shown = outputs(line);

    expect(redactText(line)).toBe(line);
    expect(shown['text report']).toContain(line);
    expect(JSON.parse(shown['JSON report'] ?? '{}').findings[0].evidence[0].text).toBe(line);
    expect(shown['Slack blocks']).toContain(JSON.stringify(line).slice(1, -1));
    expect(JSON.parse(shown['log line'] ?? '{}').message).toBe(line);
  });
});

describe('client addresses and user agents in access-log evidence', () => {
  const ACCESS =
    '[2024-04-18T13:13:53.967Z] "GET /internal/session/refresh HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 1 - "203.0.113.9, 10.0.0.1" "Mozilla/5.0 (X11; Linux x86_64)" "f8a942ab-93ee-4118-8b8c-35775e56fb56" "web-ui.portal.svc.cluster.local:3000" "10.52.0.17:3000" outbound|3000||web-ui.portal.svc.cluster.local 10.52.2.12:55115 10.56.14.30:3000 198.51.100.23:43659 - default';
  const OLD_FORMAT =
    '[2024-04-18T13:07:24.984Z] "GET /internal/session/refresh HTTP/1.1" 200 - "-" 0 5362 23 22 "-" "axios/1.6.8" "7d7cada6-a895-4941-8342-9cb03cbf7e39" "web-ui.portal.svc.cluster.local:3000" "10.52.3.13:3000" outbound|3000||web-ui.portal.svc.cluster.local 10.52.2.12:55115 10.56.14.30:3000 10.52.2.12:48004 -';
  const JSON_LOG =
    '{"response_code":503,"x_forwarded_for":"203.0.113.9","user_agent":"curl/8.4.0","downstream_remote_address":"198.51.100.23:5555","upstream_host":"10.52.0.17:3000"}';

  it('masks the forwarded-for and downstream remote addresses, drops the user agent, keeps the rest', () => {
    const out = redactText(ACCESS);

    expect(out).toBe(
      ACCESS.replace('"203.0.113.9, 10.0.0.1"', `"${CLIENT_IP}"`)
        .replace('"Mozilla/5.0 (X11; Linux x86_64)"', `"${USER_AGENT}"`)
        .replace('198.51.100.23:43659', CLIENT_IP),
    );
    expect(out).toContain('"10.52.0.17:3000" outbound|3000||web-ui.portal.svc.cluster.local 10.52.2.12:55115');
    expect(redactText(out)).toBe(out);
  });

  it('handles the older format, JSON access logs, headers, and lines cut short', () => {
    const cut = `${ACCESS.slice(0, ACCESS.indexOf('Linux'))}…`;

    expect(redactText(OLD_FORMAT)).toBe(
      OLD_FORMAT.replace('"axios/1.6.8"', `"${USER_AGENT}"`).replace('10.52.2.12:48004', CLIENT_IP),
    );
    expect(redactText(JSON_LOG)).toBe(
      `{"response_code":503,"x_forwarded_for":"${CLIENT_IP}","user_agent":"${USER_AGENT}","downstream_remote_address":"${CLIENT_IP}","upstream_host":"10.52.0.17:3000"}`,
    );
    expect(redactText('proxy saw X-Forwarded-For: 203.0.113.9, 10.0.0.1 on /')).toBe(
      `proxy saw X-Forwarded-For: ${CLIENT_IP} on /`,
    );
    const curly = OLD_FORMAT.replace(/"/g, (_q, at: number) =>
      OLD_FORMAT.indexOf('"', at + 1) === -1 ? '\u201d' : '\u201c',
    );
    expect(redactText(curly)).not.toContain('axios');
    expect(redactText(curly)).not.toContain('10.52.2.12:48004');
    expect(redactText(curly)).toContain('10.52.3.13:3000');
    expect(redactText(cut)).not.toContain('203.0.113.9');
    expect(redactText(cut)).not.toContain('Mozilla');
  });

  it('masks structured fields by key, and keeps everything with clientIps: false', () => {
    const fields = { remoteIp: '203.0.113.9', userAgent: 'curl/8', upstream_host: '10.52.0.17:3000' };

    expect(redactDeep(fields)).toEqual({
      remoteIp: CLIENT_IP,
      userAgent: USER_AGENT,
      upstream_host: '10.52.0.17:3000',
    });
    expect(redactDeep(fields, { clientIps: false })).toEqual(fields);
    expect(redactText(ACCESS, { clientIps: false })).toBe(ACCESS);
  });

  it('masks by default in every report, and keeps the addresses when the setting turns it off', () => {
    const report = reportWith(ACCESS);

    const masked = [
      JSON.stringify(buildReportBlocks(report, { approvalsEnabled: true })),
      renderText(report),
      renderJson(report),
    ];
    const kept = [
      JSON.stringify(buildReportBlocks(report, { approvalsEnabled: true, clientIps: false })),
      renderText(report, { clientIps: false }),
      renderJson(report, { clientIps: false }),
    ];

    for (const out of masked) {
      expect(out).not.toContain('203.0.113.9');
      expect(out).not.toContain('198.51.100.23');
      expect(out).not.toContain('Mozilla');
      expect(out).toContain('10.52.0.17:3000');
    }
    for (const out of kept) expect(out).toContain('198.51.100.23:43659');
  });

  it('finishes on long lines full of access-log starts', () => {
    const line = '"GET / HTTP/1.1" 200 1 2 3 4 '.repeat(20_000);

    expect(redactText(line).length).toBeGreaterThan(0);
  });
});

describe('the text and JSON reports', () => {
  it('print secrets as read only when asked not to redact', () => {
    const report = reportWith(`Authorization: Bearer opaque-t0ken-FAKE from 198.51.100.23`);

    expect(renderText(report, { redact: false })).toContain('opaque-t0ken-FAKE');
    expect(renderJson(report, { redact: false })).toContain('opaque-t0ken-FAKE');
    expect(renderJson(report)).not.toContain('opaque-t0ken-FAKE');
    expect(Object.keys(JSON.parse(renderJson(report)))).toEqual(['target', 'language', 'findings', 'checks']);
  });
});

describe('the alert root message', () => {
  it.each([
    ['user and password', 'https://admin:hunter2@alertmanager.example.com/#/alerts?receiver=x', ['admin', 'hunter2']],
    ['a user only', 'https://deploybot@alertmanager.example.com/', ['deploybot']],
    ['a signed query', 'https://console.example.com/i?X-Goog-Signature=0a1b2c3d4e', ['0a1b2c3d4e']],
  ])('links the source without %s', (_what, url, hidden) => {
    const alert = { ...alertWith('High 5xx rate'), url };

    const text = JSON.stringify(
      buildAlertRootBlocks(alert, { cluster: null, namespace: null, workload: null, lacking: [], from: [] }),
    );

    expect(text).toContain('|source>');
    for (const h of hidden) expect(text).not.toContain(h);
  });
});
