import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { AlertRoute } from '../alerts/routing';
import { errorMessage, MeshError } from '../util/errors';
import type { LogLevel, Role, SettingKey, Settings } from './schema';
import { REQUIRED_SETTING_HELP, SETTING_KEYS, settingsSchema } from './schema';
import type { Language } from '../i18n/languages';
import { DEFAULT_LANGUAGE } from '../i18n/languages';

/** How the bot receives Slack requests: Socket Mode when SLACK_APP_TOKEN is set, else HTTP. */
export type SlackConnection =
  | { readonly mode: 'socket'; readonly appToken: string; readonly signingSecret: string | undefined }
  | { readonly mode: 'http'; readonly signingSecret: string };

/** Everything mesh-doctor reads from its environment, parsed and frozen. */
export interface MeshConfig {
  readonly role: Role;
  readonly slack: {
    readonly botToken: string | undefined;
    readonly apiUrl: string;
    readonly connection: SlackConnection | undefined;
  };
  /** REDIS_URL; `cluster`: it is a seed node of a Redis Cluster (REDIS_CLUSTER). */
  readonly redis: { readonly url: string; readonly cluster: boolean; readonly queuePrefix: string };
  readonly google: {
    readonly project: string | undefined;
    /** A service account key file (Application Default Credentials); its project is used when none is set. */
    readonly credentialsFile: string | undefined;
    readonly loggingApiEndpoint: string | undefined;
  };
  readonly kube: {
    readonly kubeconfig: string | undefined;
    /** Where Istio's control plane is installed (several for revisions in different namespaces). */
    readonly controlPlaneNamespaces: readonly string[];
  };
  readonly approvals: {
    readonly users: readonly string[];
    readonly userGroups: readonly string[];
    readonly allowSelfApproval: boolean;
    /** MESH_CLUSTER_APPROVERS: who else may approve in one cluster. */
    readonly clusters: Readonly<Record<string, { users: readonly string[]; userGroups: readonly string[] }>>;
    /**
     * Whether anyone may approve (MESH_APPROVERS or MESH_CLUSTER_APPROVERS lists someone): proposals,
     * buttons, the remediation worker.
     */
    readonly enabled: boolean;
    /** How long a proposal may be approved in. */
    readonly proposalTtlMinutes: number;
  };
  readonly alerts: {
    readonly webhookToken: string | undefined;
    readonly channel: string | undefined;
    /** Channel per namespace and/or severity; first match wins, else `channel`. */
    readonly routes: readonly AlertRoute[];
    /** Accept the token as `?auth_token=` (Cloud Monitoring's token-in-URL form), besides the headers. */
    readonly acceptQueryToken: boolean;
  };
  readonly http: { readonly port: number; readonly workerPort: number };
  /** The language of what many people read: MESH_DEFAULT_LANGUAGE, and each channel's (MESH_CHANNEL_LANGUAGES). */
  readonly languages: { readonly fallback: Language; readonly channels: Readonly<Record<string, Language>> };
  /** Which clusters a worker serves, each channel's default cluster, and per-cluster approvers. */
  readonly clusters: {
    /** MESH_CLUSTER_NAME: the name of the one cluster a worker serves (else its context's name). */
    readonly name: string | undefined;
    /** MESH_CLUSTERS: kubeconfig contexts one worker serves, each under its context name. */
    readonly contexts: readonly string[];
    /** MESH_CHANNEL_CLUSTERS: channel id → cluster. */
    readonly channelDefaults: Readonly<Record<string, string>>;
    /** MESH_CLUSTER_APPROVERS: cluster → who else may approve there. */
    readonly approvers: Readonly<Record<string, { users: readonly string[]; userGroups: readonly string[] }>>;
  };
  readonly worker: { readonly concurrency: number; readonly lockSeconds: number };
  readonly remediation: {
    /** How long an apply or rollback stays locked without renewal; a dead worker's job is taken over after this. */
    readonly lockSeconds: number;
    /** Namespaces no approved patch may change, whatever the template. */
    readonly denyNamespaces: readonly string[];
  };
  /** Mask client IPs (and drop user agents) in access-log evidence. */
  readonly redaction: { readonly clientIps: boolean };
  readonly logLevel: LogLevel;
}

/** The bot's configuration: a bot token and a way to receive Slack requests are guaranteed. */
export interface BotConfig extends MeshConfig {
  readonly role: 'bot';
  readonly slack: MeshConfig['slack'] & { readonly botToken: string; readonly connection: SlackConnection };
}

/** A worker's configuration: a bot token (to post reports) is guaranteed. */
export interface WorkerConfig extends MeshConfig {
  readonly role: 'worker';
  readonly slack: MeshConfig['slack'] & { readonly botToken: string };
}

export interface CliConfig extends MeshConfig {
  readonly role: 'cli' | 'snapshot';
}

/** One missing or invalid setting. */
export interface ConfigProblem {
  readonly key: SettingKey;
  readonly kind: 'missing' | 'invalid';
  readonly message: string;
}

/**
 * Every missing or invalid setting at once; the message lists them all, says where the settings were read
 * (the environment, and the .env file when one was read) and never contains a value.
 */
export class ConfigError extends MeshError {
  constructor(
    readonly role: Role,
    readonly problems: readonly ConfigProblem[],
    readonly envFile: string | null = null,
  ) {
    super('CONFIG_INVALID', describeProblems(role, problems, envFile));
  }
}

/** A settings file that exists but cannot be read. */
export class ConfigFileError extends MeshError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('CONFIG_FILE', `mesh-doctor: cannot read the settings file ${file}: ${reason}`);
  }
}

function describeProblems(role: Role, problems: readonly ConfigProblem[], envFile: string | null): string {
  const who = role === 'bot' || role === 'worker' ? `mesh-doctor ${role}` : 'mesh-doctor';
  const count = problems.length === 1 ? '1 setting needs' : `${problems.length} settings need`;
  const where = envFile ? `read from the environment and ${envFile}; ` : '';
  return [`${who}: ${count} fixing (${where}see .env.example):`, ...problems.map((p) => `  - ${p.message}`)].join('\n');
}

/**
 * The settings the command line reads, live and on a snapshot; others in its environment (a bot's, say)
 * are not its business. The processes read every setting.
 */
const ROLE_KEYS: Partial<Record<Role, ReadonlySet<SettingKey>>> = {
  cli: new Set<SettingKey>([
    'KUBECONFIG',
    'GOOGLE_CLOUD_PROJECT',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'CLOUD_LOGGING_API_ENDPOINT',
    'MESH_CONTROL_PLANE_NAMESPACE',
    'MESH_REDACT_CLIENT_IPS',
  ]),
  snapshot: new Set<SettingKey>(['MESH_CONTROL_PLANE_NAMESPACE', 'MESH_REDACT_CLIENT_IPS']),
};

/** The settings that are set: trimmed, and an empty value counts as unset. */
function presentSettings(env: NodeJS.ProcessEnv, role: Role): Partial<Record<SettingKey, string>> {
  const present: Partial<Record<SettingKey, string>> = {};
  for (const key of SETTING_KEYS) {
    if (ROLE_KEYS[role] && !ROLE_KEYS[role].has(key)) continue;
    const value = env[key]?.trim();
    if (value) present[key] = value;
  }
  return present;
}

function requiredKeys(role: Role, present: Partial<Record<SettingKey, string>>): SettingKey[] {
  if (role === 'cli' || role === 'snapshot') return [];
  if (role === 'worker') return ['SLACK_BOT_TOKEN', 'REDIS_URL'];
  const slack: SettingKey[] = present.SLACK_APP_TOKEN
    ? ['SLACK_BOT_TOKEN']
    : ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'];
  return present.ALERT_WEBHOOK_TOKEN ? [...slack, 'ALERT_CHANNEL'] : slack;
}

function missingMessage(role: Role, key: SettingKey): string {
  const help = REQUIRED_SETTING_HELP[key as keyof typeof REQUIRED_SETTING_HELP];
  const socketMode = '; or set SLACK_APP_TOKEN (xapp-…, an app-level token with connections:write) to use Socket Mode';
  return `${key} is missing: ${help}${role === 'bot' && key === 'SLACK_SIGNING_SECRET' ? socketMode : ''}`;
}

function invalidMessage(key: SettingKey, message: string): string {
  return `${key} is set but ${message}`;
}

function findProblems(
  role: Role,
  env: NodeJS.ProcessEnv,
): { settings: Settings | undefined; problems: ConfigProblem[] } {
  const present = presentSettings(env, role);
  const parsed = settingsSchema.safeParse(present);
  const invalid = new Map<SettingKey, string>();
  for (const issue of parsed.error?.issues ?? []) {
    const key = issue.path[0] as SettingKey;
    if (!invalid.has(key)) invalid.set(key, invalidMessage(key, issue.message));
  }
  const required = new Set(requiredKeys(role, present));
  const problems: ConfigProblem[] = [];
  for (const key of SETTING_KEYS) {
    const message = invalid.get(key);
    if (message !== undefined) problems.push({ key, kind: 'invalid', message });
    else if (required.has(key) && present[key] === undefined) {
      problems.push({ key, kind: 'missing', message: missingMessage(role, key) });
    }
  }
  if (present.MESH_CLUSTER_NAME !== undefined && present.MESH_CLUSTERS !== undefined && !invalid.has('MESH_CLUSTERS')) {
    problems.push({
      key: 'MESH_CLUSTERS',
      kind: 'invalid',
      message:
        'MESH_CLUSTERS is set with MESH_CLUSTER_NAME: set one, MESH_CLUSTER_NAME for the one cluster a worker runs in or MESH_CLUSTERS for kubeconfig contexts',
    });
  }
  return { settings: parsed.data, problems };
}

function slackConnection(s: Settings): SlackConnection | undefined {
  if (s.SLACK_APP_TOKEN) return { mode: 'socket', appToken: s.SLACK_APP_TOKEN, signingSecret: s.SLACK_SIGNING_SECRET };
  if (s.SLACK_SIGNING_SECRET) return { mode: 'http', signingSecret: s.SLACK_SIGNING_SECRET };
  return undefined;
}

function buildConfig(role: Role, s: Settings): MeshConfig {
  return {
    role,
    slack: { botToken: s.SLACK_BOT_TOKEN, apiUrl: s.SLACK_API_URL, connection: slackConnection(s) },
    redis: { url: s.REDIS_URL, cluster: s.REDIS_CLUSTER, queuePrefix: s.MESH_QUEUE_PREFIX },
    google: {
      project: s.GOOGLE_CLOUD_PROJECT,
      credentialsFile: s.GOOGLE_APPLICATION_CREDENTIALS,
      loggingApiEndpoint: s.CLOUD_LOGGING_API_ENDPOINT,
    },
    kube: { kubeconfig: s.KUBECONFIG, controlPlaneNamespaces: s.MESH_CONTROL_PLANE_NAMESPACE },
    languages: {
      fallback: (s.MESH_DEFAULT_LANGUAGE as Language | undefined) ?? DEFAULT_LANGUAGE,
      channels: s.MESH_CHANNEL_LANGUAGES ?? {},
    },
    clusters: {
      name: s.MESH_CLUSTER_NAME,
      contexts: s.MESH_CLUSTERS ?? [],
      channelDefaults: s.MESH_CHANNEL_CLUSTERS ?? {},
      approvers: s.MESH_CLUSTER_APPROVERS ?? {},
    },
    approvals: {
      users: s.MESH_APPROVERS?.users ?? [],
      userGroups: s.MESH_APPROVERS?.userGroups ?? [],
      allowSelfApproval: s.MESH_ALLOW_SELF_APPROVAL,
      clusters: s.MESH_CLUSTER_APPROVERS ?? {},
      // Anyone listed, globally or for a cluster, turns approvals on.
      enabled:
        (s.MESH_APPROVERS?.users.length ?? 0) + (s.MESH_APPROVERS?.userGroups.length ?? 0) > 0 ||
        Object.keys(s.MESH_CLUSTER_APPROVERS ?? {}).length > 0,
      proposalTtlMinutes: s.MESH_PROPOSAL_TTL_MINUTES,
    },
    alerts: {
      webhookToken: s.ALERT_WEBHOOK_TOKEN,
      channel: s.ALERT_CHANNEL,
      routes: s.MESH_ALERT_ROUTES ?? [],
      acceptQueryToken: s.ALERT_ACCEPT_QUERY_TOKEN,
    },
    http: { port: s.PORT, workerPort: s.WORKER_PORT },
    worker: { concurrency: s.MESH_WORKER_CONCURRENCY, lockSeconds: s.MESH_JOB_LOCK_SECONDS },
    remediation: { lockSeconds: s.MESH_REMEDIATION_LOCK_SECONDS, denyNamespaces: s.MESH_PATCH_DENY_NAMESPACES },
    redaction: { clientIps: s.MESH_REDACT_CLIENT_IPS },
    logLevel: s.LOG_LEVEL,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Where `loadConfig` may find more settings than the environment holds. */
export interface ConfigSources {
  /** A `.env` file: read when it exists; a variable the environment has wins over the file. */
  envFile?: string;
}

/** The environment with a `.env` file's settings beneath it, and the file's path when one was read. */
function withEnvFile(env: NodeJS.ProcessEnv, envFile: string | undefined) {
  if (!envFile || !existsSync(envFile)) return { env, read: null };
  let fromFile: NodeJS.Dict<string>;
  try {
    fromFile = parseEnv(readFileSync(envFile, 'utf8'));
  } catch (err) {
    throw new ConfigFileError(envFile, errorMessage(err));
  }
  const merged: NodeJS.ProcessEnv = { ...fromFile };
  // As dotenv does: a variable the environment has, even empty (which counts as unset), wins over the file.
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return { env: merged, read: envFile };
}

/**
 * Every process reads its settings here and nowhere else: the environment, over a `.env` file when one is
 * given and exists. Parses every setting the role reads and checks the ones it needs. Returns a frozen
 * config, or throws one `ConfigError` naming every missing or invalid setting, what it should look like,
 * and the file it read.
 */
export function loadConfig(env: NodeJS.ProcessEnv | undefined, role: 'bot', sources?: ConfigSources): BotConfig;
export function loadConfig(env: NodeJS.ProcessEnv | undefined, role: 'worker', sources?: ConfigSources): WorkerConfig;
export function loadConfig(
  env: NodeJS.ProcessEnv | undefined,
  role: 'cli' | 'snapshot',
  sources?: ConfigSources,
): CliConfig;
export function loadConfig(env: NodeJS.ProcessEnv | undefined, role: Role, sources?: ConfigSources): MeshConfig;
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: Role, sources: ConfigSources = {}): MeshConfig {
  const { env: all, read } = withEnvFile(env, sources.envFile);
  const { settings, problems } = findProblems(role, all);
  if (problems.length > 0 || settings === undefined) throw new ConfigError(role, problems, read);
  return deepFreeze(buildConfig(role, settings));
}
