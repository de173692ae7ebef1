import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/** A rendered object: what `kubectl apply -k` would send. */
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize DIR`, as objects (kubectl ships kustomize v5; CI has it, see .ci/run). */
function kustomize(dir: string): KubeObject[] {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return parseAllDocuments(out).map((d) => d.toJS() as KubeObject);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT')
      throw new Error('kubectl not found: the install is rendered with kubectl kustomize');
    throw err;
  }
}

const OVERLAYS = readdirSync(join(ROOT, 'deploy', 'overlays'));
const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, kustomize(join(ROOT, 'deploy', 'overlays', o))]));
/** The overlays that install a bot and its worker; the others are the fleet's (workers, remote readers). */
const FULL_INSTALLS = ['gke', 'socket-mode'];
const installs = () => FULL_INSTALLS.map((o) => rendered[o] as KubeObject[]);

function find<T = KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as T;
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
  bot: readYaml<Deployment>('deploy/base/bot-deployment.yaml'),
  worker: readYaml<Deployment>('deploy/base/worker-deployment.yaml'),
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

  it('builds from a base image pinned by digest, and checks liveness with the script it ships', () => {
    const from = read('Dockerfile')
      .split('\n')
      .filter((line) => /^(FROM|ARG NODE_IMAGE)/.test(line));
    const healthcheck = runtimeStage().find((i) => i.instruction === 'HEALTHCHECK');

    expect(read('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim@sha256:[0-9a-f]{64}$/m);
    expect(from.filter((line) => line.startsWith('FROM')).every((line) => line.startsWith('FROM ${NODE_IMAGE} '))).toBe(
      true,
    );
    expect(healthcheck?.args).toMatch(/CMD \["node", "\/app\/bin\/healthcheck\.js"\]$/);
    expect(existsSync(join(ROOT, 'bin', 'healthcheck.js'))).toBe(true);
  });

  it('ships one example, the one the compose demo diagnoses, and no test data', () => {
    const examples = copySources().filter((s) => s.startsWith('examples'));
    const demo = compose.services.demo?.command?.at(-1);

    expect(examples).toEqual(['examples/proxy-startup-econnrefused']);
    expect(demo).toBe('/app/examples/proxy-startup-econnrefused');
    expect(copySources().filter((s) => /^(test|bench|docs|deploy|src)\b/.test(s))).toEqual([]);
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
    const configMaps = Object.values(rendered).flatMap((objects) =>
      objects.filter((o) => o.kind === 'ConfigMap').map((o) => o as unknown as { data: Record<string, string> }),
    );

    const writable = services
      .flatMap((s) => (s.volumes ?? []).map(volume))
      .filter((v) => /^[.$/]/.test(v.source) && !v.readOnly);
    const secretKeys = [
      ...services.flatMap((s) => Object.keys(s.environment ?? {})),
      ...configMaps.flatMap((c) => Object.keys(c.data)),
    ];

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
    const role = readYaml<Rules & { kind: string }>('deploy/base/clusterrole.yaml');
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
    const [role, binding] = parseAllDocuments(
      read('deploy/components/secrets-metadata/clusterrole-secrets-metadata.yaml'),
    ).map((d) => d.toJS()) as [
      Rules & { kind: string; metadata: { name: string } },
      { kind: string; roleRef: { name: string }; subjects: unknown[] },
    ];
    const optional = KIND_SPECS.flat().filter((k) => k.optional);

    expect(optional.map((k) => `${k.group}/${k.resource}:list`)).toEqual(['/secrets:list']);
    expect(optional[0]?.optional).toContain('deploy/components/secrets-metadata');
    expect(role.kind).toBe('ClusterRole');
    expect(grantsOf(role)).toEqual(['/secrets:list']);
    expect(binding).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { name: role.metadata.name } });
    expect(binding.subjects).toEqual([worker]);
    expect(read('deploy/README.md')).toContain('components/secrets-metadata');
  });

  it('reads ConfigMaps only in the control-plane namespace, through a Role bound to the worker', () => {
    const [role, binding] = parseAllDocuments(read('deploy/base/role-control-plane.yaml')).map((d) => d.toJS()) as [
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
    const [role, binding] = parseAllDocuments(read('deploy/components/remediation/clusterrole-remediation.yaml')).map(
      (d) => d.toJS(),
    ) as [Rules, { roleRef: { name: string }; subjects: unknown[] }];

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
    const binding = readYaml<{ roleRef: { name: string }; subjects: unknown[] }>('deploy/base/clusterrolebinding.yaml');
    const role = readYaml<{ metadata: { name: string } }>('deploy/base/clusterrole.yaml');
    const accounts = parseAllDocuments(read('deploy/base/serviceaccount.yaml')).map((d) => d.toJS()) as {
      metadata: { name: string };
      automountServiceAccountToken?: boolean;
    }[];
    const everyBinding = [
      'deploy/base/clusterrolebinding.yaml',
      'deploy/components/remediation/clusterrole-remediation.yaml',
      'deploy/base/role-control-plane.yaml',
      'deploy/components/secrets-metadata/clusterrole-secrets-metadata.yaml',
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

describe('the kustomize install', () => {
  type Env = { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } };
  type PodSpec = {
    serviceAccountName?: string;
    containers: (Container & { env?: Env[]; image?: string; args?: string[] })[];
  };
  const podOf = (objects: KubeObject[], name: string) =>
    find<{ spec: { template: { spec: PodSpec } } }>(objects, 'Deployment', name).spec.template.spec;
  const secretRef = (pod: PodSpec, key: string) =>
    pod.containers[0]?.env?.find((e) => e.valueFrom?.secretKeyRef?.key === key)?.valueFrom?.secretKeyRef;

  it('has overlays for GKE and for Socket Mode, and every component is used by one of them', () => {
    const components = readdirSync(join(ROOT, 'deploy', 'components'));
    const used = OVERLAYS.flatMap(
      (o) => readYaml<{ components?: string[] }>(`deploy/overlays/${o}/kustomization.yaml`).components ?? [],
    ).map((c) => c.replace('../../components/', ''));

    expect(OVERLAYS).toEqual(expect.arrayContaining(['gke', 'socket-mode']));
    expect(components.filter((c) => !used.includes(c))).toEqual([]);
  });

  it('validates every rendered overlay against the Kubernetes API schemas, offline', () => {
    const out = execFileSync('node', [join(ROOT, 'scripts', 'validate-manifests.mjs')], { encoding: 'utf8' });

    for (const o of OVERLAYS)
      expect(out).toContain(`deploy/overlays/${o}: ${rendered[o]?.length} objects rendered and checked`);
  });

  it('runs the released image, with the generated settings, in every full install', () => {
    for (const objects of installs()) {
      const configMap = objects.find((o) => o.kind === 'ConfigMap') as KubeObject;
      for (const name of ['mesh-doctor-bot', 'mesh-doctor-worker']) {
        const container = podOf(objects, name).containers[0];
        expect(container?.image).toMatch(/^ghcr\.io\/[a-z0-9-]+\/mesh-doctor:\d+\.\d+\.\d+$/);
        expect(container?.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
      }
      // The generated name carries a hash of the settings, so a changed setting rolls the pods.
      expect(configMap.metadata.name).toMatch(/^mesh-doctor-[a-z0-9]{10}$/);
    }
  });

  it('GKE: HTTP mode behind an Ingress with a managed certificate, routing only Slack and the alert webhooks', () => {
    const gke = rendered.gke as KubeObject[];
    const ingress = find<{
      metadata: { annotations: Record<string, string> };
      spec: { rules: { http: { paths: { path: string }[] } }[] };
    }>(gke, 'Ingress', 'mesh-doctor-bot');
    const service = find(gke, 'Service', 'mesh-doctor-bot');

    expect(ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.path))).toEqual(['/slack/events', '/alerts']);
    expect(ingress.metadata.annotations['networking.gke.io/managed-certificates']).toBe(
      find(gke, 'ManagedCertificate', 'mesh-doctor-bot').metadata.name,
    );
    expect(service.metadata.annotations?.['cloud.google.com/neg']).toBe('{"ingress": true}');
    expect(
      find<{ spec: { healthCheck: { requestPath: string } } }>(gke, 'BackendConfig', 'mesh-doctor-bot').spec.healthCheck
        .requestPath,
    ).toBe('/healthz');
    expect(secretRef(podOf(gke, 'mesh-doctor-bot'), 'SLACK_SIGNING_SECRET')?.optional).toBe(false);
  });

  it('GKE: the Google identity (Workload Identity) is on the workers’ account only', () => {
    const gke = rendered.gke as KubeObject[];
    const annotation = (name: string) =>
      find(gke, 'ServiceAccount', name).metadata.annotations?.['iam.gke.io/gcp-service-account'];

    expect(annotation('mesh-doctor-worker')).toMatch(/@.+\.iam\.gserviceaccount\.com$/);
    expect(annotation('mesh-doctor-bot')).toBeUndefined();
    expect(podOf(gke, 'mesh-doctor-bot').serviceAccountName).toBe('mesh-doctor-bot');
    expect(podOf(gke, 'mesh-doctor-worker').serviceAccountName).toBe('mesh-doctor-worker');
  });

  it('scrapes ports the pods expose, in either Prometheus flavour', () => {
    const ports = (objects: KubeObject[]) =>
      ['mesh-doctor-bot', 'mesh-doctor-worker'].flatMap((n) =>
        podOf(objects, n).containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)),
      );
    const gke = rendered.gke as KubeObject[];
    const socket = rendered['socket-mode'] as KubeObject[];
    const podMonitorings = gke.filter((o) => o.kind === 'PodMonitoring') as unknown as {
      spec: { endpoints: { port: string; path: string }[] };
    }[];
    const serviceMonitor = find<{ spec: { endpoints: { port: string; path: string }[] } }>(
      socket,
      'ServiceMonitor',
      'mesh-doctor',
    );

    expect(podMonitorings.flatMap((m) => m.spec.endpoints.map((e) => `${e.port} ${e.path}`)).sort()).toEqual([
      'http /metrics',
      'metrics /metrics',
    ]);
    expect(
      podMonitorings.flatMap((m) => m.spec.endpoints.map((e) => e.port)).every((p) => ports(gke).includes(p)),
    ).toBe(true);
    expect(serviceMonitor.spec.endpoints.map((e) => e.port).every((p) => ports(socket).includes(p))).toBe(true);
  });

  it('keeps one bot and all but one worker through voluntary disruptions', () => {
    for (const objects of installs()) {
      expect(find<{ spec: object }>(objects, 'PodDisruptionBudget', 'mesh-doctor-bot').spec).toMatchObject({
        minAvailable: 1,
      });
      expect(find<{ spec: object }>(objects, 'PodDisruptionBudget', 'mesh-doctor-worker').spec).toMatchObject({
        maxUnavailable: 1,
      });
    }
  });

  it('denies by default and lets the processes out only to DNS, Redis, HTTPS and the GKE metadata server', () => {
    type Policy = {
      spec: { podSelector: object; policyTypes: string[]; egress?: { to?: unknown[]; ports: { port: number }[] }[] };
    };
    const gke = rendered.gke as KubeObject[];
    const deny = find<Policy>(gke, 'NetworkPolicy', 'mesh-doctor-default-deny');
    const egress = find<Policy>(gke, 'NetworkPolicy', 'mesh-doctor-egress');

    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(egress.spec.egress?.flatMap((r) => r.ports.map((p) => p.port)).sort((a, b) => a - b)).toEqual([
      53, 53, 80, 443, 988, 6378, 6379, 6443,
    ]);
    // Plain HTTP only to the metadata server's addresses.
    expect(egress.spec.egress?.find((r) => r.ports.some((p) => p.port === 80))?.to).toEqual([
      { ipBlock: { cidr: '169.254.169.254/32' } },
      { ipBlock: { cidr: '169.254.169.252/32' } },
    ]);
  });

  it('Socket Mode: nothing exposed, the app token required, the bundled Redis keeps what it acknowledged', () => {
    const socket = rendered['socket-mode'] as KubeObject[];
    const redis = find<{ spec: { template: { spec: PodSpec } } }>(socket, 'StatefulSet', 'mesh-doctor-redis');
    const configMap = socket.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    const args = redis.spec.template.spec.containers[0]?.args?.join(' ');

    expect(socket.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(secretRef(podOf(socket, 'mesh-doctor-bot'), 'SLACK_APP_TOKEN')?.optional).toBe(false);
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--maxmemory-policy noeviction');
    expect(configMap.data.REDIS_URL).toBe('redis://mesh-doctor-redis.mesh-doctor.svc:6379');
    expect(socket.map((o) => o.kind)).toEqual(expect.arrayContaining(['ValidatingAdmissionPolicy']));
  });

  it('takes the Slack Secret from a file when the overlay generates it, and points every reference at it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-overlay-'));
    try {
      writeFileSync(
        join(dir, 'slack.env'),
        'SLACK_BOT_TOKEN=xoxb-1-2-abc\nSLACK_SIGNING_SECRET=0123456789abcdef0123456789abcdef\n',
      );
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        [
          'resources:',
          `  - ${relative(dir, join(ROOT, 'deploy', 'overlays', 'gke'))}`,
          'secretGenerator:',
          '  - name: mesh-doctor',
          '    namespace: mesh-doctor',
          '    envs: [slack.env]',
          '',
        ].join('\n'),
      );
      const objects = kustomize(dir);
      const secret = objects.find((o) => o.kind === 'Secret') as KubeObject;
      const refs = ['mesh-doctor-bot', 'mesh-doctor-worker'].flatMap((n) =>
        (podOf(objects, n).containers[0]?.env ?? []).flatMap((e) =>
          e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [],
        ),
      );

      expect(secret.metadata.name).toMatch(/^mesh-doctor-[a-z0-9]{10}$/);
      expect(new Set(refs)).toEqual(new Set([secret.metadata.name]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the fleet overlays', () => {
  type Subject = { kind: string; name: string; namespace?: string };
  type Binding = KubeObject & { roleRef: { kind: string; name: string }; subjects: Subject[] };
  type Pod = {
    automountServiceAccountToken?: boolean;
    serviceAccountName?: string;
    containers: { env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string }[] }[];
    volumes?: { name: string; secret?: { secretName: string } }[];
  };
  const kinds = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  const settings = (objects: KubeObject[]) =>
    (objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> }).data;
  const workerPod = (objects: KubeObject[]) =>
    find<{ spec: { template: { spec: Pod } } }>(objects, 'Deployment', 'mesh-doctor-worker').spec.template.spec;
  /** The rules granted to the worker's service account, through every binding to it. */
  const grantsOfWorker = (objects: KubeObject[]) =>
    objects
      .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
      .map((o) => o as Binding)
      .filter((b) => b.subjects.some((x) => x.kind === 'ServiceAccount' && x.name === 'mesh-doctor-worker'))
      .map((b) => `${b.kind}:${b.roleRef.kind}/${b.roleRef.name}`)
      .sort();
  const READ_ONLY = [
    'ClusterRoleBinding:ClusterRole/mesh-doctor-reader',
    'RoleBinding:Role/mesh-doctor-control-plane-reader',
  ];

  it('a worker per cluster: only the worker, with the read-only roles of its own cluster and its cluster name', () => {
    const objects = rendered['cluster-worker'] as KubeObject[];

    expect(kinds(objects).filter((k) => k.includes('-bot'))).toEqual([]);
    expect(grantsOfWorker(objects)).toEqual(READ_ONLY);
    expect(workerPod(objects).serviceAccountName).toBe('mesh-doctor-worker');
    expect(settings(objects)).toMatchObject({ MESH_CLUSTER_NAME: expect.any(String), REDIS_URL: expect.any(String) });
    expect(settings(objects)).not.toHaveProperty('MESH_CLUSTERS');
  });

  it('a central worker: its kubeconfig from a Secret, no token of its own and no roles where it runs', () => {
    const objects = rendered['central-worker'] as KubeObject[];
    const pod = workerPod(objects);
    const kubeconfig = pod.containers[0]?.env?.find((e) => e.name === 'KUBECONFIG')?.value ?? '';
    const mount = pod.containers[0]?.volumeMounts?.find((m) => kubeconfig.startsWith(`${m.mountPath}/`));

    expect(kinds(objects).filter((k) => k.includes('-bot'))).toEqual([]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(grantsOfWorker(objects)).toEqual([]);
    expect(objects.filter((o) => o.kind.endsWith('Role'))).toEqual([]);
    expect(pod.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('mesh-doctor-kubeconfig');
    expect(settings(objects).MESH_CLUSTERS?.split(',').length).toBeGreaterThan(1);
    expect(settings(objects)).not.toHaveProperty('MESH_CLUSTER_NAME');
  });

  it('a remote reader: the same read-only roles for the worker account and a token for it, nothing running', () => {
    const objects = rendered['remote-reader'] as KubeObject[];
    const token = find<KubeObject & { type: string }>(objects, 'Secret', 'mesh-doctor-worker-token');

    expect(objects.filter((o) => ['Deployment', 'ConfigMap', 'Service'].includes(o.kind))).toEqual([]);
    expect(grantsOfWorker(objects)).toEqual(READ_ONLY);
    expect(token.type).toBe('kubernetes.io/service-account-token');
    expect(token.metadata.annotations?.['kubernetes.io/service-account.name']).toBe('mesh-doctor-worker');
    // The reader's roles are the base's, not a copy that could drift.
    expect(find(objects, 'ClusterRole', 'mesh-doctor-reader')).toEqual(
      find(rendered.gke as KubeObject[], 'ClusterRole', 'mesh-doctor-reader'),
    );
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
      // The asker's Slack locale, for the language of their reports.
      'users.info': 'users:read',
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
