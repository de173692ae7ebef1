import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KIND_SPECS } from '../../src/collect/live/cluster-reader';
import { SETTING_KEYS } from '../../src/config/schema';

// No container engine or cluster runs here: these checks read the deployment files as data.

const ROOT = join(__dirname, '..', '..');

/** The commands the mesh-doctor CLI defines, used when src/cli/commands.ts is absent. */
const CLI_COMMANDS = ['bot', 'worker', 'diagnose'];

/** Settings whose values are secrets: they come from .env or a Secret, never from a tracked file. */
const SECRET_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'ALERT_WEBHOOK_TOKEN'];

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function readYaml<T>(path: string): T {
  return parse(read(path)) as T;
}

interface ComposeVolume {
  type?: string;
  source?: string;
  target?: string;
  read_only?: boolean;
}

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: (string | ComposeVolume)[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
}

interface Container {
  args?: string[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: object; limits?: object };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}

interface Deployment {
  spec: {
    template: {
      spec: {
        serviceAccountName?: string;
        automountServiceAccountToken?: boolean;
        securityContext?: { runAsNonRoot?: boolean };
        containers: Container[];
      };
    };
  };
}

const compose = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml');
const deployments = {
  bot: readYaml<Deployment>('deploy/bot-deployment.yaml'),
  worker: readYaml<Deployment>('deploy/worker-deployment.yaml'),
};

/** Finds a list of command names among a module's exports: strings, `{ name }` objects or Map keys. */
function namesIn(value: unknown): string[] | undefined {
  const items = value instanceof Map ? [...value.keys()] : value instanceof Set ? [...value] : value;
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const names = items.map((item: unknown) =>
    typeof item === 'object' && item !== null && 'name' in item ? item.name : item,
  );
  return names.every((name) => typeof name === 'string') ? names : undefined;
}

async function cliCommands(): Promise<string[]> {
  const file = join(ROOT, 'src', 'cli', 'commands.ts');
  if (!existsSync(file)) return CLI_COMMANDS;
  const exports = (await import(file)) as Record<string, unknown>;
  const named = Object.entries(exports).sort(([a], [b]) => Number(/command/i.test(b)) - Number(/command/i.test(a)));
  for (const [, value] of named) {
    const names = namesIn(value);
    if (names) return names;
  }
  throw new Error('src/cli/commands.ts exports no list of command names (strings, { name } objects or a Map)');
}

function meshDoctorServices(): [string, ComposeService][] {
  return Object.entries(compose.services).filter(
    ([, s]) => s.build !== undefined || s.image?.startsWith('mesh-doctor'),
  );
}

function volume(spec: string | ComposeVolume): { source: string; target: string; readOnly: boolean } {
  if (typeof spec !== 'string') {
    return { source: spec.source ?? '', target: spec.target ?? '', readOnly: spec.read_only === true };
  }
  const [source = '', target = '', mode = ''] = spec.split(':');
  return { source, target, readOnly: mode.split(',').includes('ro') };
}

/** The instructions of the Dockerfile's last stage, continuation lines joined. */
function runtimeStage(): { instruction: string; args: string }[] {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  const last = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  return lines.slice(last).map((line) => {
    const [instruction = '', ...rest] = line.split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
  });
}

function copySources(): string[] {
  return runtimeStage()
    .filter((i) => i.instruction === 'COPY' || i.instruction === 'ADD')
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1),
    );
}

function dockerignore(): string[] {
  return read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

describe('every process is started with a real mesh-doctor command', () => {
  it('gives each compose service on the mesh-doctor image a command the CLI defines', async () => {
    const commands = await cliCommands();

    const used = meshDoctorServices().map(([name, s]) => ({ service: name, command: s.command?.[0] ?? '' }));

    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((u) => !commands.includes(u.command))).toEqual([]);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'bot', 'worker', 'diagnose']));
  });

  it('runs bot and worker in Kubernetes, and bot by default in the image', async () => {
    const commands = await cliCommands();

    const cmd = runtimeStage().find((i) => i.instruction === 'CMD');

    expect(deployments.bot.spec.template.spec.containers[0]?.args).toEqual(['bot']);
    expect(deployments.worker.spec.template.spec.containers[0]?.args).toEqual(['worker']);
    expect(cmd && (JSON.parse(cmd.args) as string[])).toEqual(['bot']);
    expect(commands).toEqual(expect.arrayContaining(['bot', 'worker', 'diagnose']));
  });
});

describe('Dockerfile', () => {
  it('enters through bin/mesh-doctor.js as a non-root user', () => {
    const stage = runtimeStage();

    const entrypoint = stage.find((i) => i.instruction === 'ENTRYPOINT');
    const user = stage.findLast((i) => i.instruction === 'USER');

    expect(entrypoint && (JSON.parse(entrypoint.args) as string[])).toEqual(['node', '/app/bin/mesh-doctor.js']);
    expect(user?.args).toMatch(/^(?!root\b|0\b)\S+$/);
  });

  it('copies every directory the runtime reads, and builds with npm run build', () => {
    const sources = copySources().map((s) => s.replace(/^\/app\//, '').replace(/\/$/, ''));

    expect(sources).toEqual(expect.arrayContaining(['dist', 'bin', 'runbooks', 'package.json']));
    expect(read('Dockerfile')).toMatch(/^RUN npm run build$/m);
    expect(read('Dockerfile')).toMatch(/npm ci --omit=dev/);
  });

  it('keeps the sources the build reads in the build context', () => {
    const ignored = dockerignore();

    for (const needed of ['src', 'handlers', 'bin', 'runbooks', 'examples', 'package.json', 'tsconfig.json']) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe('credentials', () => {
  it('bakes none into the image', () => {
    const stage = read('Dockerfile');

    for (const source of copySources()) expect(source).not.toMatch(/\.env|\.kube|credentials|gcloud|adc|secret/i);
    expect(stage).not.toMatch(/^\s*COPY\s+(--\S+\s+)*\.\s/m);
    for (const key of SECRET_SETTINGS) expect(stage).not.toContain(key);
    expect(dockerignore()).toEqual(expect.arrayContaining(['.env', '.kube']));
  });

  it('mounts the kubeconfig and Google ADC into the worker read-only', () => {
    const worker = compose.services.worker;

    const volumes = (worker?.volumes ?? []).map(volume);

    expect(volumes).toEqual(
      expect.arrayContaining([
        { source: '${HOME}/.kube/config', target: '/home/node/.kube/config', readOnly: true },
        {
          source: '${HOME}/.config/gcloud/application_default_credentials.json',
          target: '/secrets/adc.json',
          readOnly: true,
        },
      ]),
    );
    expect(worker?.environment).toMatchObject({
      KUBECONFIG: '/home/node/.kube/config',
      GOOGLE_APPLICATION_CREDENTIALS: '/secrets/adc.json',
    });
  });

  it('mounts every host path read-only and sets no secret in compose or the ConfigMap', () => {
    const services = Object.values(compose.services);
    const configMap = readYaml<{ data: Record<string, string> }>('deploy/configmap.yaml');

    const writable = services
      .flatMap((s) => (s.volumes ?? []).map(volume))
      .filter((v) => /^[.$/]/.test(v.source) && !v.readOnly);
    const secretKeys = [...services.flatMap((s) => Object.keys(s.environment ?? {})), ...Object.keys(configMap.data)];

    expect(writable).toEqual([]);
    expect(secretKeys.filter((key) => SECRET_SETTINGS.includes(key))).toEqual([]);
  });
});

describe('Kubernetes manifests', () => {
  type Rules = { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
  const grantsOf = (role: Rules) =>
    role.rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))),
    );
  const worker = { kind: 'ServiceAccount', name: 'mesh-doctor-worker', namespace: 'mesh-doctor' };

  it('grants the reader ClusterRole exactly the lists the cluster reader makes, pod logs, and no write verb', () => {
    const role = readYaml<Rules & { kind: string }>('deploy/clusterrole.yaml');
    // Every kind the reader lists, from its own table; ConfigMaps only in the control plane (a Role there),
    // Secrets only through their optional role.
    const listed = KIND_SPECS.flat()
      .filter((k) => k.scope !== 'control-plane' && !k.optional)
      .map((k) => `${k.group}/${k.resource}:list`);
    const expected = [...new Set([...listed, '/pods/log:get'])];

    expect(role.kind).toBe('ClusterRole');
    expect([...grantsOf(role)].sort()).toEqual(expected.sort());
    expect(grantsOf(role).filter((g) => /secrets|configmaps|\*|:(create|update|patch|delete|watch)$/.test(g))).toEqual(
      [],
    );
  });

  it('reads Secrets only through the optional secrets-metadata role bound to the worker, list only', () => {
    const [role, binding] = parseAllDocuments(read('deploy/clusterrole-secrets-metadata.yaml')).map((d) =>
      d.toJS(),
    ) as [
      Rules & { kind: string; metadata: { name: string } },
      { kind: string; roleRef: { name: string }; subjects: unknown[] },
    ];
    const optional = KIND_SPECS.flat().filter((k) => k.optional);

    expect(optional.map((k) => `${k.group}/${k.resource}:list`)).toEqual(['/secrets:list']);
    expect(optional[0]?.optional).toContain('deploy/clusterrole-secrets-metadata.yaml');
    expect(role.kind).toBe('ClusterRole');
    expect(grantsOf(role)).toEqual(['/secrets:list']);
    expect(binding).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { name: role.metadata.name } });
    expect(binding.subjects).toEqual([worker]);
    expect(read('deploy/README.md')).toContain('clusterrole-secrets-metadata.yaml');
  });

  it('reads ConfigMaps only in the control-plane namespace, through a Role bound to the worker', () => {
    const [role, binding] = parseAllDocuments(read('deploy/role-control-plane.yaml')).map((d) => d.toJS()) as [
      Rules & { kind: string; metadata: { namespace: string } },
      { kind: string; metadata: { namespace: string }; roleRef: { kind: string; name: string }; subjects: unknown[] },
    ];
    const configMaps = KIND_SPECS.flat().filter((k) => k.scope === 'control-plane');

    expect(configMaps.map((k) => k.resource)).toEqual(['configmaps']);
    expect(role.kind).toBe('Role');
    expect(role.metadata.namespace).toBe('istio-system');
    expect(grantsOf(role)).toEqual(['/configmaps:list']);
    expect(binding).toMatchObject({ kind: 'RoleBinding', metadata: { namespace: 'istio-system' } });
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: 'mesh-doctor-control-plane-reader' });
    expect(binding.subjects).toEqual([worker]);
  });

  it('grants the remediation role only what applying and rolling back read and write', () => {
    const [role, binding] = parseAllDocuments(read('deploy/clusterrole-remediation.yaml')).map((d) => d.toJS()) as [
      Rules,
      { roleRef: { name: string }; subjects: unknown[] },
    ];

    expect([...grantsOf(role)].sort()).toEqual(
      [
        ...['deployments', 'statefulsets', 'daemonsets'].flatMap((r) => [`apps/${r}:get`, `apps/${r}:patch`]),
        '/namespaces:get',
        '/namespaces:patch',
        '/services:get',
        '/services:patch',
        'networking.k8s.io/networkpolicies:get',
        'networking.k8s.io/networkpolicies:patch',
        ...['get', 'patch', 'create', 'delete'].map((v) => `networking.istio.io/virtualservices:${v}`),
      ].sort(),
    );
    expect(grantsOf(role).filter((g) => /secrets|pods:|\*/.test(g))).toEqual([]);
    expect(binding.roleRef.name).toBe('mesh-doctor-remediator');
    expect(binding.subjects).toEqual([worker]);
  });

  it('binds the reader to the worker only; the bot has its own account, no role and no token', () => {
    const binding = readYaml<{ roleRef: { name: string }; subjects: unknown[] }>('deploy/clusterrolebinding.yaml');
    const role = readYaml<{ metadata: { name: string } }>('deploy/clusterrole.yaml');
    const accounts = parseAllDocuments(read('deploy/serviceaccount.yaml')).map((d) => d.toJS()) as {
      metadata: { name: string };
      automountServiceAccountToken?: boolean;
    }[];
    const everyBinding = [
      'deploy/clusterrolebinding.yaml',
      'deploy/clusterrole-remediation.yaml',
      'deploy/role-control-plane.yaml',
      'deploy/clusterrole-secrets-metadata.yaml',
    ].flatMap((f) => parseAllDocuments(read(f)).map((d) => d.toJS() as { subjects?: { name: string }[] }));

    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([worker]);
    expect(deployments.worker.spec.template.spec.serviceAccountName).toBe('mesh-doctor-worker');
    expect(deployments.bot.spec.template.spec.serviceAccountName).toBe('mesh-doctor-bot');
    expect(deployments.bot.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(accounts.map((a) => [a.metadata.name, a.automountServiceAccountToken])).toEqual([
      ['mesh-doctor-bot', false],
      ['mesh-doctor-worker', undefined],
    ]);
    expect(everyBinding.flatMap((b) => b.subjects ?? []).filter((s) => s.name !== 'mesh-doctor-worker')).toEqual([]);
  });

  it('gives each process only the secret keys it reads', () => {
    const secretKeys = (d: Deployment) =>
      (d.spec.template.spec.containers[0]?.env ?? []).flatMap((e) =>
        e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : [],
      );

    expect(secretKeys(deployments.bot).sort()).toEqual(
      ['REDIS_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'ALERT_WEBHOOK_TOKEN'].sort(),
    );
    expect(secretKeys(deployments.worker).sort()).toEqual(['REDIS_URL', 'SLACK_BOT_TOKEN']);
  });

  it.each(Object.entries(deployments))('runs the %s hardened, with settings from the ConfigMap', (_, d) => {
    const pod = d.spec.template.spec;
    const container = pod.containers[0];

    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container?.resources?.requests).toBeDefined();
    expect(container?.envFrom).toEqual([{ configMapRef: { name: 'mesh-doctor' } }]);
  });

  it('probes the bot for liveness on /healthz and for readiness (Redis) on /readyz, port 3000', () => {
    const bot = deployments.bot.spec.template.spec.containers[0];

    const port = bot?.ports?.find((p) => p.name === bot.livenessProbe?.httpGet?.port);

    expect(bot?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(bot?.readinessProbe?.httpGet).toEqual({ ...bot?.livenessProbe?.httpGet, path: '/readyz' });
    expect(port?.containerPort).toBe(3000);
  });
});

describe('.env.example', () => {
  it('lists every setting the config schema knows, once, and nothing else', () => {
    const listed = read('.env.example')
      .split('\n')
      .flatMap((line) => /^(?:#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);

    expect([...listed].sort()).toEqual([...SETTING_KEYS].sort());
  });
});

describe('manifest.yml', () => {
  it('sends the slash command and interactivity to /slack/events', () => {
    const manifest = readYaml<{
      features: { slash_commands: { command: string; url: string }[] };
      settings: { interactivity: { is_enabled: boolean; request_url: string } };
    }>('manifest.yml');

    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.interactivity.request_url];

    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/mesh']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(urls.filter((url) => !/^https:\/\/[^/]+\/slack\/events$/.test(url))).toEqual([]);
  });

  it('asks for exactly the bot scopes of the Web API methods the code calls', () => {
    const manifest = readYaml<{ oauth_config: { scopes: { bot: string[] } } }>('manifest.yml');
    const SCOPE_OF: Record<string, string> = {
      'chat.postMessage': 'chat:write',
      'chat.update': 'chat:write',
      // No scope needed: links to messages the bot can see.
      'chat.getPermalink': '',
      filesUploadV2: 'files:write',
      'usergroups.users.list': 'usergroups:read',
    };
    const sources = ['src', 'handlers'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const called = new Set(
      sources.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bclient\.([a-zA-Z0-9]+(?:\.[a-zA-Z0-9]+)*)\(/g)].map(
          (m) => m[1] ?? '',
        ),
      ),
    );

    expect([...called].filter((method) => !(method in SCOPE_OF))).toEqual([]);
    // commands: the /mesh slash command; chat:write.public: alert threads in channels the bot was not invited to;
    // and the scope of each event the handlers listen to.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        ...new Set([
          'commands',
          'chat:write.public',
          ...[...called].map((m) => SCOPE_OF[m] ?? ''),
          ...listenedEvents().map((e) => EVENT_SCOPE[e] ?? ''),
        ]),
      ]
        .filter(Boolean)
        .sort(),
    );
  });

  it('subscribes to exactly the events the handlers listen to, delivered to /slack/events', () => {
    const manifest = readYaml<{
      settings: { event_subscriptions: { request_url: string; bot_events: string[] } };
      features: { app_home?: { messages_tab_enabled?: boolean } };
    }>('manifest.yml');
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      listenedEvents()
        .map((e) => EVENT_SUBSCRIPTION[e] ?? `unmapped:${e}`)
        .sort(),
    );
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    // Direct messages reach the app only with its Messages tab on.
    expect(manifest.features.app_home?.messages_tab_enabled).toBe(true);
  });
});

/** The event subscription each listened event needs (a `message` listener serves direct messages only). */
const EVENT_SUBSCRIPTION: Record<string, string> = { app_mention: 'app_mention', message: 'message.im' };
/** The bot scope each listened event needs. */
const EVENT_SCOPE: Record<string, string> = { app_mention: 'app_mentions:read', message: 'im:history' };

/** The events the handlers register listeners for (`app.event('…')`). */
function listenedEvents(): string[] {
  const files = sourceFiles(join(ROOT, 'handlers'));
  return [
    ...new Set(
      files.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bapp\.event\('([a-z_.]+)'/g)].map((m) => m[1] ?? ''),
      ),
    ),
  ];
}

/** The .ts files under a directory. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}
