import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigFileError, loadConfig } from '../../src/config/load-config';
import { SETTING_KEYS } from '../../src/config/schema';

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const APP_TOKEN = 'xapp-1-A0123456789-1234567890-abcdef0123456789';
const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: valid settings per role', () => {
  it('runs the bot in HTTP mode with a bot token and a signing secret', () => {
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

    const config = loadConfig(env, 'bot');

    expect(config.role).toBe('bot');
    expect(config.slack).toEqual({
      botToken: BOT_TOKEN,
      apiUrl: 'https://slack.com/api/',
      connection: { mode: 'http', signingSecret: SIGNING_SECRET },
    });
  });

  it('runs the bot in Socket Mode when SLACK_APP_TOKEN is set, with or without a signing secret', () => {
    const socket = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }, 'bot');
    const both = loadConfig(
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET },
      'bot',
    );

    expect(socket.slack.connection).toEqual({ mode: 'socket', appToken: APP_TOKEN, signingSecret: undefined });
    expect(both.slack.connection).toEqual({ mode: 'socket', appToken: APP_TOKEN, signingSecret: SIGNING_SECRET });
  });

  it('treats an empty or blank value as unset, so an empty SLACK_APP_TOKEN keeps HTTP mode', () => {
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: '', PORT: '  ' };

    const config = loadConfig(env, 'bot');

    expect(config.slack.connection?.mode).toBe('http');
    expect(config.http.port).toBe(3000);
  });

  it('runs a worker with a bot token and a Redis URL', () => {
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, REDIS_URL: 'rediss://:pw@10.0.0.3:6378/0' };

    const config = loadConfig(env, 'worker');

    expect(config.role).toBe('worker');
    expect(config.slack.botToken).toBe(BOT_TOKEN);
    expect(config.redis.url).toBe('rediss://:pw@10.0.0.3:6378/0');
  });

  it('runs the CLI with no settings at all, with every default', () => {
    const config = loadConfig({}, 'cli');

    expect(config).toEqual({
      role: 'cli',
      slack: { botToken: undefined, apiUrl: 'https://slack.com/api/', connection: undefined },
      redis: { url: 'redis://127.0.0.1:6379', cluster: false, queuePrefix: '{mesh-doctor}' },
      google: { project: undefined, credentialsFile: undefined, loggingApiEndpoint: undefined },
      kube: { kubeconfig: undefined, controlPlaneNamespaces: ['istio-system'] },
      languages: { fallback: 'en', channels: {} },
      clusters: { name: undefined, contexts: [], channelDefaults: {}, approvers: {} },
      approvals: {
        users: [],
        userGroups: [],
        allowSelfApproval: false,
        clusters: {},
        enabled: false,
        proposalTtlMinutes: 30,
      },
      alerts: { webhookToken: undefined, channel: undefined, routes: [], acceptQueryToken: false },
      http: { port: 3000, workerPort: 3001 },
      worker: { concurrency: 4, lockSeconds: 30 },
      remediation: { lockSeconds: 20, denyNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'] },
      redaction: { clientIps: true },
      logLevel: 'info',
    });
  });

  it('parses every optional setting into its typed value', () => {
    const env = {
      SLACK_API_URL: 'https://slack-gov.com/api/',
      GOOGLE_CLOUD_PROJECT: 'my-project-123',
      KUBECONFIG: '/home/me/.kube/config:/home/me/.kube/other',
      MESH_APPROVERS: ' U012AB3CD, W0123ABCDE ,S0614TZR7,U012AB3CD,',
      MESH_ALLOW_SELF_APPROVAL: 'TRUE',
      ALERT_WEBHOOK_TOKEN: 'a'.repeat(24),
      ALERT_CHANNEL: 'C0123456789',
      PORT: '8080',
      MESH_QUEUE_PREFIX: 'prod-{mesh-doctor}',
      MESH_CONTROL_PLANE_NAMESPACE: 'asm-system',
      CLOUD_LOGGING_API_ENDPOINT: 'http://127.0.0.1:8085',
      MESH_WORKER_CONCURRENCY: '16',
      MESH_REMEDIATION_LOCK_SECONDS: '45',
      MESH_PATCH_DENY_NAMESPACES: 'kube-system, platform',
      MESH_REDACT_CLIENT_IPS: 'false',
      ALERT_ACCEPT_QUERY_TOKEN: 'true',
      LOG_LEVEL: 'DEBUG',
    };

    const config = loadConfig({ ...env, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }, 'bot');

    expect(config).toMatchObject({
      slack: { apiUrl: 'https://slack-gov.com/api/' },
      redis: { queuePrefix: 'prod-{mesh-doctor}' },
      google: { project: 'my-project-123', loggingApiEndpoint: 'http://127.0.0.1:8085' },
      kube: { kubeconfig: '/home/me/.kube/config:/home/me/.kube/other', controlPlaneNamespaces: ['asm-system'] },
      approvals: {
        users: ['U012AB3CD', 'W0123ABCDE'],
        userGroups: ['S0614TZR7'],
        allowSelfApproval: true,
        enabled: true,
      },
      alerts: { webhookToken: 'a'.repeat(24), channel: 'C0123456789', acceptQueryToken: true },
      http: { port: 8080 },
      worker: { concurrency: 16 },
      remediation: { lockSeconds: 45, denyNamespaces: ['kube-system', 'platform'] },
      redaction: { clientIps: false },
      logLevel: 'debug',
    });
  });

  it('reads several control-plane namespaces, comma-separated, trimmed and without duplicates', () => {
    const config = loadConfig({ MESH_CONTROL_PLANE_NAMESPACE: ' istio-system, istio-canary,,istio-system ' }, 'cli');

    expect(config.kube.controlPlaneNamespaces).toEqual(['istio-system', 'istio-canary']);
    expect(Object.isFrozen(config.kube.controlPlaneNamespaces)).toBe(true);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig(
      { MESH_APPROVERS: 'U012AB3CD', SLACK_BOT_TOKEN: BOT_TOKEN, REDIS_URL: 'redis://r:6379' },
      'worker',
    );

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.slack)).toBe(true);
    expect(Object.isFrozen(config.approvals.users)).toBe(true);
  });

  it('reads process.env when no environment is passed', () => {
    const keys = ['MESH_WORKER_CONCURRENCY', 'SLACK_BOT_TOKEN', 'REDIS_URL'] as const;
    const saved = keys.map((k) => process.env[k]);
    Object.assign(process.env, {
      MESH_WORKER_CONCURRENCY: '7',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      REDIS_URL: 'redis://r:6379',
    });
    try {
      expect(loadConfig(undefined, 'worker').worker.concurrency).toBe(7);
    } finally {
      keys.forEach((k, i) => {
        if (saved[i] === undefined) delete process.env[k];
        else process.env[k] = saved[i];
      });
    }
  });
});

describe('loadConfig: missing settings', () => {
  it('names both bot requirements at once, with the Socket Mode alternative', () => {
    const error = configError(() => loadConfig({}, 'bot'));

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => [p.key, p.kind])).toEqual([
      ['SLACK_BOT_TOKEN', 'missing'],
      ['SLACK_SIGNING_SECRET', 'missing'],
    ]);
    expect(error.message).toContain(
      "SLACK_SIGNING_SECRET is missing: the app's Signing Secret (Basic Information → App Credentials), needed in HTTP mode",
    );
    expect(error.message).toContain('or set SLACK_APP_TOKEN');
    expect(error.message.split('\n')[0]).toBe('mesh-doctor bot: 2 settings need fixing (see .env.example):');
  });

  it('requires a worker to name its Redis explicitly', () => {
    const error = configError(() => loadConfig({}, 'worker'));

    expect(error.problems.map((p) => p.key)).toEqual(['SLACK_BOT_TOKEN', 'REDIS_URL']);
    expect(error.message).toContain('REDIS_URL is missing: the Redis shared by the bot and the workers');
  });

  it('does not require any Slack setting for the CLI', () => {
    expect(() => loadConfig({ GOOGLE_CLOUD_PROJECT: 'my-project-123' }, 'cli')).not.toThrow();
  });
});

describe('loadConfig: invalid settings', () => {
  const invalid: Record<string, string> = {
    SLACK_BOT_TOKEN: 'xoxp-user-token-0123456789',
    SLACK_SIGNING_SECRET: 'verification-token-12345',
    SLACK_APP_TOKEN: 'xoxb-not-an-app-token',
    SLACK_API_URL: 'https://slack.com/api',
    REDIS_URL: 'http://127.0.0.1:6379',
    GOOGLE_CLOUD_PROJECT: 'My Project',
    MESH_APPROVERS: 'U012AB3CD,@alice,#ops',
    MESH_ALLOW_SELF_APPROVAL: 'yes',
    MESH_PROPOSAL_TTL_MINUTES: '0',
    ALERT_WEBHOOK_TOKEN: 'short-token',
    ALERT_CHANNEL: '#mesh-alerts',
    MESH_ALERT_ROUTES: 'namespace=shop:#shop',
    PORT: '70000',
    WORKER_PORT: '3001x',
    MESH_CLUSTER_NAME: 'prod eu',
    REDIS_CLUSTER: 'yes',
    MESH_CLUSTERS: 'a,b c',
    MESH_CHANNEL_CLUSTERS: '#ops:prod-eu',
    MESH_DEFAULT_LANGUAGE: 'fr',
    MESH_CHANNEL_LANGUAGES: 'C0123ABCD:pt-PT',
    MESH_CLUSTER_APPROVERS: 'prod-eu:@sre',
    MESH_QUEUE_PREFIX: 'mesh:doctor',
    MESH_CONTROL_PLANE_NAMESPACE: 'Istio_System',
    CLOUD_LOGGING_API_ENDPOINT: 'logging.googleapis.com',
    MESH_WORKER_CONCURRENCY: '0',
    MESH_JOB_LOCK_SECONDS: '0',
    MESH_REMEDIATION_LOCK_SECONDS: '1',
    MESH_PATCH_DENY_NAMESPACES: 'kube-system,Kube_Public',
    MESH_REDACT_CLIENT_IPS: 'no',
    ALERT_ACCEPT_QUERY_TOKEN: 'yes',
    LOG_LEVEL: 'verbose',
  };

  it('lists every invalid setting in one error, in .env.example order', () => {
    const error = configError(() => loadConfig(invalid, 'bot'));

    const expected = SETTING_KEYS.filter((key) => key in invalid);
    // Every setting but KUBECONFIG and GOOGLE_APPLICATION_CREDENTIALS, which take any path.
    expect(expected).toHaveLength(SETTING_KEYS.length - 2);
    expect(error.problems.map((p) => p.key)).toEqual(expected);
    expect(error.problems.every((p) => p.kind === 'invalid')).toBe(true);
    expect(error.message.split('\n')).toHaveLength(expected.length + 1);
  });

  it('says what each setting should look like', () => {
    const error = configError(() => loadConfig(invalid, 'worker'));

    const line = (key: string) => error.problems.find((p) => p.key === key)?.message;
    expect(line('SLACK_BOT_TOKEN')).toMatch(/^SLACK_BOT_TOKEN is set but does not look like a bot token \(xoxb-…/);
    expect(line('SLACK_API_URL')).toContain('ending with /');
    expect(line('MESH_APPROVERS')).toContain('entries 2 and 3 of 3 are not Slack ids');
    expect(line('PORT')).toContain('from 1 to 65535');
    expect(line('MESH_QUEUE_PREFIX')).toContain('{mesh-doctor}');
    expect(line('LOG_LEVEL')).toContain('debug, info, warn, error');
  });

  it('names a bad control-plane namespace by its position in the list', () => {
    const line = (value: string) =>
      configError(() => loadConfig({ MESH_CONTROL_PLANE_NAMESPACE: value }, 'cli')).problems[0]?.message;

    expect(line('istio-system,Istio_Canary')).toMatch(
      /^MESH_CONTROL_PLANE_NAMESPACE is set but entry 2 of 2 is not a namespace name: it must be Kubernetes namespace names, comma-separated/,
    );
    expect(line('a_b,istio-system,-x')).toContain('entries 1 and 3 of 3 are not namespace names');
    expect(line('Istio_System')).toContain('entry 1 of 1 is not a namespace name');
    expect(line(' , ')).toMatch(/^MESH_CONTROL_PLANE_NAMESPACE is set but must be Kubernetes namespace names/);
  });

  it('reports a setting as invalid, not missing, when it is set to a bad value', () => {
    const error = configError(() => loadConfig({ SLACK_BOT_TOKEN: 'nope', REDIS_URL: 'nope' }, 'worker'));

    expect(error.problems.map((p) => [p.key, p.kind])).toEqual([
      ['SLACK_BOT_TOKEN', 'invalid'],
      ['REDIS_URL', 'invalid'],
    ]);
  });

  it('never echoes a value, even a secret pasted into the wrong setting', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-SECRET-VALUE-ONE',
      SLACK_SIGNING_SECRET: 'SECRET-VALUE-TWO',
      SLACK_APP_TOKEN: 'SECRET-VALUE-THREE',
      ALERT_WEBHOOK_TOKEN: 'SECRET 4',
      REDIS_URL: 'redis://:SECRET-VALUE-FIVE@',
      ALERT_CHANNEL: BOT_TOKEN,
      PORT: SIGNING_SECRET,
      MESH_APPROVERS: `U012AB3CD,${APP_TOKEN}`,
    };

    const error = configError(() => loadConfig(secrets, 'bot'));

    expect(error.problems).toHaveLength(Object.keys(secrets).length);
    const shown = `${error.message}\n${JSON.stringify(error.problems)}`;
    for (const value of [...Object.values(secrets), BOT_TOKEN, SIGNING_SECRET, APP_TOKEN]) {
      expect(shown).not.toContain(value);
    }
  });
});

describe('the command line reads only its own settings', () => {
  it('parses MESH_CONTROL_PLANE_NAMESPACE, defaulting to istio-system', () => {
    expect(loadConfig({}, 'cli').kube.controlPlaneNamespaces).toEqual(['istio-system']);
    expect(
      loadConfig({ MESH_CONTROL_PLANE_NAMESPACE: 'istio-system, istio-1-20' }, 'cli').kube.controlPlaneNamespaces,
    ).toEqual(['istio-system', 'istio-1-20']);
  });

  it("ignores a bot's or worker's settings, even invalid ones, and reports only its own", () => {
    const env = { SLACK_BOT_TOKEN: 'nope', MESH_CONTROL_PLANE_NAMESPACE: 'istio-system,Istio_Canary' };
    expect(loadConfig({ SLACK_BOT_TOKEN: 'nope', REDIS_URL: 'http://x' }, 'cli').slack.botToken).toBeUndefined();
    const error = configError(() => loadConfig(env, 'cli'));
    expect(error.problems).toEqual([
      {
        key: 'MESH_CONTROL_PLANE_NAMESPACE',
        kind: 'invalid',
        message: expect.stringContaining('entry 2 of 2 is not a namespace name'),
      },
    ]);
    expect(error.message).not.toContain('Istio_Canary');
  });

  it('carries the kubeconfig and Google settings the live readers use', () => {
    const config = loadConfig(
      {
        KUBECONFIG: '/etc/kube/a:/etc/kube/b',
        GOOGLE_CLOUD_PROJECT: 'my-project-123',
        GOOGLE_APPLICATION_CREDENTIALS: '/var/secrets/key.json',
        CLOUD_LOGGING_API_ENDPOINT: 'http://127.0.0.1:8085',
      },
      'cli',
    );
    expect(config.kube.kubeconfig).toBe('/etc/kube/a:/etc/kube/b');
    expect(config.google).toEqual({
      project: 'my-project-123',
      credentialsFile: '/var/secrets/key.json',
      loggingApiEndpoint: 'http://127.0.0.1:8085',
    });
  });
});

describe('a .env file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-env-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('supplies settings the environment does not have; the environment wins, an empty variable as unset', () => {
    const envFile = file(
      'ok.env',
      `# comment\nSLACK_BOT_TOKEN=${BOT_TOKEN}\nSLACK_SIGNING_SECRET="${SIGNING_SECRET}"\nPORT=4000\nLOG_LEVEL=debug\n`,
    );
    const config = loadConfig({ PORT: '5000', LOG_LEVEL: '' }, 'bot', { envFile });
    expect(config.slack.botToken).toBe(BOT_TOKEN);
    expect(config.slack.connection).toEqual({ mode: 'http', signingSecret: SIGNING_SECRET });
    expect(config.http.port).toBe(5000);
    expect(config.logLevel).toBe('info');
  });

  it('is optional: a missing file reads the environment alone', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, REDIS_URL: 'redis://10.0.0.3:6379' }, 'worker', {
      envFile: join(dir, 'absent.env'),
    });
    expect(config.redis.url).toBe('redis://10.0.0.3:6379');
  });

  it('is named in the error when the settings are wrong, without any value', () => {
    const envFile = file('bad.env', 'SLACK_BOT_TOKEN=xoxp-user-token-secret\n');
    const error = configError(() => loadConfig({}, 'bot', { envFile }));
    expect(error.message.split('\n')[0]).toBe(
      `mesh-doctor bot: 2 settings need fixing (read from the environment and ${envFile}; see .env.example):`,
    );
    expect(error.envFile).toBe(envFile);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('xoxp-user-token-secret');
  });

  it('that cannot be read is an error naming the file', () => {
    const envFile = file('locked.env', 'PORT=3000\n');
    chmodSync(envFile, 0o000);
    try {
      // root reads any file; make it unreadable another way there.
      const unreadable = process.getuid?.() === 0 ? dir : envFile;
      expect(() => loadConfig({}, 'cli', { envFile: unreadable })).toThrow(ConfigFileError);
      expect(() => loadConfig({}, 'cli', { envFile: unreadable })).toThrow(
        new RegExp(`cannot read the settings file ${unreadable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
    } finally {
      chmodSync(envFile, 0o600);
    }
  });
});

describe('cluster settings', () => {
  const BOT = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef' };

  it('reads channel defaults and per-cluster approvers, cluster names with colons included', () => {
    const config = loadConfig(
      {
        ...BOT,
        MESH_CHANNEL_CLUSTERS: ' C0123ABCD:prod-eu , C0456EFGH:arn:aws:eks:eu-west-1:123456789012:cluster/staging',
        MESH_CLUSTER_APPROVERS:
          'prod-eu:S0PRODSRE1,U012AB3CD; arn:aws:eks:eu-west-1:123456789012:cluster/staging:U0STAGE001',
      },
      'bot',
    );

    expect(config.clusters.channelDefaults).toEqual({
      C0123ABCD: 'prod-eu',
      C0456EFGH: 'arn:aws:eks:eu-west-1:123456789012:cluster/staging',
    });
    expect(config.clusters.approvers).toEqual({
      'prod-eu': { users: ['U012AB3CD'], userGroups: ['S0PRODSRE1'] },
      'arn:aws:eks:eu-west-1:123456789012:cluster/staging': { users: ['U0STAGE001'], userGroups: [] },
    });
  });

  it('takes a worker’s one cluster name or its list of contexts, not both', () => {
    const worker = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', REDIS_URL: 'redis://10.0.0.3:6379' };

    expect(loadConfig({ ...worker, MESH_CLUSTERS: 'prod-eu, staging,prod-eu' }, 'worker').clusters.contexts).toEqual([
      'prod-eu',
      'staging',
    ]);
    expect(loadConfig({ ...worker, MESH_CLUSTER_NAME: 'prod-eu' }, 'worker').clusters.name).toBe('prod-eu');
    const both = configError(() => loadConfig({ ...worker, MESH_CLUSTER_NAME: 'a', MESH_CLUSTERS: 'b' }, 'worker'));
    expect(both.problems.map((p) => p.key)).toEqual(['MESH_CLUSTERS']);
    expect(both.problems[0]?.message).toContain('set one');
  });

  it('names a bad entry by position, never by value', () => {
    const error = configError(() =>
      loadConfig({ ...BOT, MESH_CHANNEL_CLUSTERS: 'C0123ABCD:prod-eu,#incidents:xoxb-secret-looking' }, 'bot'),
    );

    expect(error.problems[0]?.message).toMatch(
      /^MESH_CHANNEL_CLUSTERS is set but entry 2 of 2 is not a channel:cluster pair/,
    );
    expect(error.message).not.toContain('xoxb-secret-looking');
  });
});
