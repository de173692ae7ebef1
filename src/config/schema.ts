import { z } from 'zod';
import { parseAlertRoutes } from '../alerts/routing';
import { DEFAULT_CONTROL_PLANE_NAMESPACES } from '../diagnosis/control-plane';
import type { LogLevel } from '../util/logger';
import { LOG_LEVELS } from '../util/logger';
import { CLUSTER_NAME } from '../util/cluster-name';
import type { Language } from '../i18n/languages';
import { isLanguage } from '../i18n/languages';

export { LOG_LEVELS };
export type { LogLevel };

/** The processes that read configuration; each needs a different subset of the settings. */
/** `cli` is `diagnose` on a live cluster; `snapshot` is `diagnose --snapshot`. */
export const ROLES = ['bot', 'worker', 'cli', 'snapshot'] as const;
export type Role = (typeof ROLES)[number];

/** Values used when a setting is unset (or set to an empty string). */
export const DEFAULTS = {
  SLACK_API_URL: 'https://slack.com/api/',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MESH_QUEUE_PREFIX: '{mesh-doctor}',
  REDIS_CLUSTER: false,
  MESH_CONTROL_PLANE_NAMESPACE: DEFAULT_CONTROL_PLANE_NAMESPACES,
  MESH_ALLOW_SELF_APPROVAL: false,
  MESH_PROPOSAL_TTL_MINUTES: 30,
  MESH_WORKER_CONCURRENCY: 4,
  MESH_JOB_LOCK_SECONDS: 30,
  MESH_REMEDIATION_LOCK_SECONDS: 20,
  MESH_PATCH_DENY_NAMESPACES: ['kube-system', 'kube-public', 'kube-node-lease'],
  MESH_REDACT_CLIENT_IPS: true,
  ALERT_ACCEPT_QUERY_TOKEN: false,
  PORT: 3000,
  WORKER_PORT: 3001,
  LOG_LEVEL: 'info',
} as const;

/**
 * What each setting should look like. Messages never contain the value: several settings are secrets,
 * and a secret pasted into the wrong variable must not end up in a log either.
 */
const LOOKS_LIKE = {
  SLACK_BOT_TOKEN: 'does not look like a bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)',
  SLACK_SIGNING_SECRET:
    'does not look like a Signing Secret (32 hexadecimal characters, Basic Information → App Credentials; not the Verification Token)',
  SLACK_APP_TOKEN: 'does not look like an app-level token (xapp-…, Basic Information → App-Level Tokens)',
  SLACK_API_URL: 'must be an http(s) URL ending with / (e.g. https://slack.com/api/)',
  REDIS_URL: 'must be a redis:// or rediss:// URL with a host (e.g. redis://127.0.0.1:6379)',
  REDIS_CLUSTER: 'must be true or false',
  GOOGLE_CLOUD_PROJECT:
    'must be a Google Cloud project id (6–30 lowercase letters, digits and hyphens, starting with a letter, e.g. my-project-123) or project number',
  KUBECONFIG: 'must be the path of a kubeconfig file (several separated by :)',
  GOOGLE_APPLICATION_CREDENTIALS: 'must be the path of a service account key file (JSON)',
  MESH_APPROVERS:
    'must list Slack user ids (U… or W…) and user-group ids (S…), comma-separated, not names or @handles (e.g. U012AB3CD,S0614TZR7)',
  MESH_ALLOW_SELF_APPROVAL: 'must be true or false',
  MESH_PROPOSAL_TTL_MINUTES: 'must be a whole number of minutes from 1 to 1440 (e.g. 30)',
  ALERT_WEBHOOK_TOKEN: 'must be at least 24 characters without spaces (e.g. the output of openssl rand -hex 24)',
  ALERT_CHANNEL: 'must be a channel id (C… or G…, channel details → About), not a #name',
  MESH_ALERT_ROUTES:
    'must be rules separated by ; each selectors:CHANNEL (e.g. namespace=shop:C0SHOP1234;severity=critical:C0PAGE1234)',
  PORT: 'must be a whole number from 1 to 65535 (e.g. 3000)',
  WORKER_PORT: 'must be a whole number from 1 to 65535 (e.g. 3001)',
  MESH_QUEUE_PREFIX:
    'must contain a Redis Cluster hash tag in braces, using letters, digits, -, _ and . only (e.g. {mesh-doctor})',
  MESH_CONTROL_PLANE_NAMESPACE:
    'must be Kubernetes namespace names, comma-separated (lowercase letters, digits and -, at most 63 each, e.g. istio-system or istio-system,istio-canary)',
  MESH_CLUSTER_NAME:
    'must be a cluster name without spaces, commas or semicolons, at most 253 characters (e.g. prod-eu or a kubeconfig context name)',
  MESH_CLUSTERS:
    'must be kubeconfig context names, comma-separated, without spaces or semicolons (e.g. gke_shop_europe-west1_prod,staging)',
  MESH_CHANNEL_CLUSTERS:
    'must be channel:cluster pairs, comma-separated, with channel ids (C… or G…), not #names (e.g. C0123ABCD:prod-eu,C0456EFGH:staging)',
  MESH_DEFAULT_LANGUAGE: 'must be one of en, es, ko, pt, zh, id',
  MESH_CHANNEL_LANGUAGES:
    'must be channel:language pairs, comma-separated, with channel ids (C… or G…) and one of en, es, ko, pt, zh, id (e.g. C0123ABCD:es,C0456EFGH:ko)',
  MESH_CLUSTER_APPROVERS:
    'must be cluster:ids entries separated by ; with Slack user or user-group ids, comma-separated (e.g. prod-eu:S0PRODSRE;staging:U012AB3CD,S0614TZR7)',
  CLOUD_LOGGING_API_ENDPOINT: 'must be an http(s) URL (e.g. https://logging.googleapis.com)',
  MESH_WORKER_CONCURRENCY: 'must be a whole number from 1 to 64 (e.g. 4)',
  MESH_JOB_LOCK_SECONDS:
    'must be a whole number of seconds from 1 to 600 (e.g. 30): a job whose worker died is taken over after about twice this',
  MESH_REMEDIATION_LOCK_SECONDS:
    'must be a whole number of seconds from 5 to 600 (e.g. 20): an apply or rollback whose worker died is taken over after about this',
  MESH_PATCH_DENY_NAMESPACES:
    'must be namespace names, comma-separated (e.g. kube-system,kube-public): namespaces no approved patch may change',
  MESH_REDACT_CLIENT_IPS: 'must be true or false',
  ALERT_ACCEPT_QUERY_TOKEN: 'must be true or false',
  LOG_LEVEL: `must be one of ${LOG_LEVELS.join(', ')}`,
} as const;

const APPROVER_ID = /^[UWS][A-Z0-9]{8,20}$/;
const PROJECT = /^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[0-9]{6,20}$/;
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUEUE_PREFIX = /^[\w.-]*\{[\w.-]+\}[\w.-]*$/;

function text(error: string) {
  return z.string({ error });
}

function matching(pattern: RegExp, error: string) {
  return text(error).regex(pattern, { error });
}

function isUrl(value: string, protocols: readonly string[]): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return protocols.includes(url.protocol) && url.hostname.length > 0;
}

function url(protocols: readonly string[], error: string) {
  return text(error).refine((v) => isUrl(v, protocols), { error });
}

function boolean(error: string) {
  return matching(/^(true|false)$/i, error).transform((v) => v.toLowerCase() === 'true');
}

function wholeNumber(min: number, max: number, error: string) {
  return matching(/^[0-9]{1,6}$/, error)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error });
}

/** What an entry of a list is, singular and plural ("a Slack id", "Slack ids"). */
type Noun = readonly [one: string, many: string];

function badEntries(positions: readonly number[], total: number, [one, many]: Noun): string {
  if (positions.length === 1) return `entry ${positions[0]} of ${total} is not ${one}`;
  return `entries ${positions.slice(0, -1).join(', ')} and ${positions.at(-1)} of ${total} are not ${many}`;
}

/**
 * A comma-separated list, trimmed, without blanks or duplicates. A bad entry is named by position, never by
 * value (a secret pasted into the wrong setting must not end up in a log).
 */
function commaList(pattern: RegExp, noun: Noun, error: string) {
  return text(error).transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    const bad = entries.flatMap((entry, i) => (pattern.test(entry) ? [] : [i + 1]));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `${badEntries(bad, entries.length, noun)}: it ${error}` });
      return z.NEVER;
    }
    return [...new Set(entries)];
  });
}

/** Slack ids, split into users and user groups. */
function approvers(error: string) {
  return commaList(APPROVER_ID, ['a Slack id', 'Slack ids'], error).transform((ids) => ({
    users: ids.filter((id) => !id.startsWith('S')),
    userGroups: ids.filter((id) => id.startsWith('S')),
  }));
}

const CHANNEL_ID = /^[CG][A-Z0-9]{8,20}$/;

/** Cluster (kubeconfig context) names, at least one. */
function clusterNames(error: string) {
  return commaList(CLUSTER_NAME, ['a cluster name', 'cluster names'], error).refine((list) => list.length > 0, {
    error,
  });
}

/**
 * Entries `KEY:VALUE` split by `separator`, the key before the first colon (`first`) or the value after the
 * last one (`last`: cluster names may hold colons, ids do not). A bad entry is named by position.
 */
function pairs<T>(
  separator: string,
  split: 'first' | 'last',
  read: (key: string, value: string) => T | null,
  noun: Noun,
  error: string,
) {
  return text(error).transform((value, ctx) => {
    const entries = value
      .split(separator)
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    const parsed = entries.map((entry) => {
      const at = split === 'first' ? entry.indexOf(':') : entry.lastIndexOf(':');
      return at < 0 ? null : read(entry.slice(0, at).trim(), entry.slice(at + 1).trim());
    });
    const bad = parsed.flatMap((p, i) => (p === null ? [i + 1] : []));
    if (bad.length > 0 || entries.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: bad.length ? `${badEntries(bad, entries.length, noun)}: it ${error}` : error,
      });
      return z.NEVER;
    }
    return parsed as T[];
  });
}

/** `C…:cluster,…`: each channel's default cluster. */
function channelClusters(error: string) {
  return pairs(
    ',',
    'first',
    (channel, cluster) => (CHANNEL_ID.test(channel) && CLUSTER_NAME.test(cluster) ? { channel, cluster } : null),
    ['a channel:cluster pair', 'channel:cluster pairs'],
    error,
  ).transform((list) => Object.fromEntries(list.map((p) => [p.channel, p.cluster])) as Record<string, string>);
}

/** `C…:lang,…`: each channel's language, for alert threads and messages many people read. */
function channelLanguages(error: string) {
  return pairs(
    ',',
    'first',
    (channel, language) => (CHANNEL_ID.test(channel) && isLanguage(language) ? { channel, language } : null),
    ['a channel:language pair', 'channel:language pairs'],
    error,
  ).transform((list) => Object.fromEntries(list.map((p) => [p.channel, p.language])) as Record<string, Language>);
}

/** `cluster:ids;…`: who may approve fixes in each cluster, besides MESH_APPROVERS. */
function clusterApprovers(error: string) {
  return pairs(
    ';',
    'last',
    (cluster, list) => {
      const ids = list
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0);
      if (!CLUSTER_NAME.test(cluster) || ids.length === 0 || !ids.every((id) => APPROVER_ID.test(id))) return null;
      return {
        cluster,
        users: ids.filter((id) => !id.startsWith('S')),
        userGroups: ids.filter((id) => id.startsWith('S')),
      };
    },
    ['a cluster:ids entry', 'cluster:ids entries'],
    error,
  ).transform(
    (list) =>
      Object.fromEntries(list.map(({ cluster, ...ids }) => [cluster, ids])) as Record<
        string,
        { users: string[]; userGroups: string[] }
      >,
  );
}

/** Namespace names, at least one. */
function namespaces(error: string) {
  return commaList(NAMESPACE, ['a namespace name', 'namespace names'], error).refine((list) => list.length > 0, {
    error,
  });
}

/**
 * Every setting mesh-doctor reads from its environment (each one listed in `.env.example`), as text in and
 * typed values out. Which ones are required depends on the role; that is checked by `loadConfig`.
 */
export const settingsSchema = z.object({
  SLACK_BOT_TOKEN: matching(/^xoxb-[0-9A-Za-z-]+$/, LOOKS_LIKE.SLACK_BOT_TOKEN).optional(),
  SLACK_SIGNING_SECRET: matching(/^[0-9a-f]{32}$/i, LOOKS_LIKE.SLACK_SIGNING_SECRET).optional(),
  SLACK_APP_TOKEN: matching(/^xapp-[0-9A-Za-z-]+$/, LOOKS_LIKE.SLACK_APP_TOKEN).optional(),
  SLACK_API_URL: url(['http:', 'https:'], LOOKS_LIKE.SLACK_API_URL)
    .refine((v) => v.endsWith('/'), { error: LOOKS_LIKE.SLACK_API_URL })
    .default(DEFAULTS.SLACK_API_URL),
  REDIS_URL: url(['redis:', 'rediss:'], LOOKS_LIKE.REDIS_URL).default(DEFAULTS.REDIS_URL),
  REDIS_CLUSTER: boolean(LOOKS_LIKE.REDIS_CLUSTER).default(DEFAULTS.REDIS_CLUSTER),
  GOOGLE_CLOUD_PROJECT: matching(PROJECT, LOOKS_LIKE.GOOGLE_CLOUD_PROJECT).optional(),
  GOOGLE_APPLICATION_CREDENTIALS: text(LOOKS_LIKE.GOOGLE_APPLICATION_CREDENTIALS).optional(),
  KUBECONFIG: text(LOOKS_LIKE.KUBECONFIG).optional(),
  MESH_APPROVERS: approvers(LOOKS_LIKE.MESH_APPROVERS).optional(),
  MESH_ALLOW_SELF_APPROVAL: boolean(LOOKS_LIKE.MESH_ALLOW_SELF_APPROVAL).default(DEFAULTS.MESH_ALLOW_SELF_APPROVAL),
  MESH_PROPOSAL_TTL_MINUTES: wholeNumber(1, 1440, LOOKS_LIKE.MESH_PROPOSAL_TTL_MINUTES).default(
    DEFAULTS.MESH_PROPOSAL_TTL_MINUTES,
  ),
  ALERT_WEBHOOK_TOKEN: matching(/^\S{24,}$/, LOOKS_LIKE.ALERT_WEBHOOK_TOKEN).optional(),
  ALERT_CHANNEL: matching(/^[CG][A-Z0-9]{8,20}$/, LOOKS_LIKE.ALERT_CHANNEL).optional(),
  MESH_ALERT_ROUTES: text(LOOKS_LIKE.MESH_ALERT_ROUTES)
    .transform((value, ctx) => {
      const parsed = parseAlertRoutes(value);
      if (parsed.ok) return parsed.routes;
      ctx.addIssue({ code: 'custom', message: `${LOOKS_LIKE.MESH_ALERT_ROUTES}: ${parsed.problems.join('; ')}` });
      return z.NEVER;
    })
    .optional(),
  PORT: wholeNumber(1, 65535, LOOKS_LIKE.PORT).default(DEFAULTS.PORT),
  WORKER_PORT: wholeNumber(1, 65535, LOOKS_LIKE.WORKER_PORT).default(DEFAULTS.WORKER_PORT),
  MESH_QUEUE_PREFIX: matching(QUEUE_PREFIX, LOOKS_LIKE.MESH_QUEUE_PREFIX).default(DEFAULTS.MESH_QUEUE_PREFIX),
  MESH_CONTROL_PLANE_NAMESPACE: namespaces(LOOKS_LIKE.MESH_CONTROL_PLANE_NAMESPACE).default([
    ...DEFAULTS.MESH_CONTROL_PLANE_NAMESPACE,
  ]),
  MESH_CLUSTER_NAME: matching(CLUSTER_NAME, LOOKS_LIKE.MESH_CLUSTER_NAME).optional(),
  MESH_CLUSTERS: clusterNames(LOOKS_LIKE.MESH_CLUSTERS).optional(),
  MESH_CHANNEL_CLUSTERS: channelClusters(LOOKS_LIKE.MESH_CHANNEL_CLUSTERS).optional(),
  MESH_DEFAULT_LANGUAGE: z.string().trim().refine(isLanguage, { message: LOOKS_LIKE.MESH_DEFAULT_LANGUAGE }).optional(),
  MESH_CHANNEL_LANGUAGES: channelLanguages(LOOKS_LIKE.MESH_CHANNEL_LANGUAGES).optional(),
  MESH_CLUSTER_APPROVERS: clusterApprovers(LOOKS_LIKE.MESH_CLUSTER_APPROVERS).optional(),
  CLOUD_LOGGING_API_ENDPOINT: url(['http:', 'https:'], LOOKS_LIKE.CLOUD_LOGGING_API_ENDPOINT).optional(),
  MESH_WORKER_CONCURRENCY: wholeNumber(1, 64, LOOKS_LIKE.MESH_WORKER_CONCURRENCY).default(
    DEFAULTS.MESH_WORKER_CONCURRENCY,
  ),
  MESH_JOB_LOCK_SECONDS: wholeNumber(1, 600, LOOKS_LIKE.MESH_JOB_LOCK_SECONDS).default(DEFAULTS.MESH_JOB_LOCK_SECONDS),
  MESH_REMEDIATION_LOCK_SECONDS: wholeNumber(5, 600, LOOKS_LIKE.MESH_REMEDIATION_LOCK_SECONDS).default(
    DEFAULTS.MESH_REMEDIATION_LOCK_SECONDS,
  ),
  MESH_PATCH_DENY_NAMESPACES: namespaces(LOOKS_LIKE.MESH_PATCH_DENY_NAMESPACES).default([
    ...DEFAULTS.MESH_PATCH_DENY_NAMESPACES,
  ]),
  MESH_REDACT_CLIENT_IPS: boolean(LOOKS_LIKE.MESH_REDACT_CLIENT_IPS).default(DEFAULTS.MESH_REDACT_CLIENT_IPS),
  ALERT_ACCEPT_QUERY_TOKEN: boolean(LOOKS_LIKE.ALERT_ACCEPT_QUERY_TOKEN).default(DEFAULTS.ALERT_ACCEPT_QUERY_TOKEN),
  LOG_LEVEL: text(LOOKS_LIKE.LOG_LEVEL)
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: LOOKS_LIKE.LOG_LEVEL }))
    .default(DEFAULTS.LOG_LEVEL),
});

export type SettingKey = keyof z.input<typeof settingsSchema>;
export type Settings = z.output<typeof settingsSchema>;

/** The name of every setting, in the order `.env.example` lists them. */
export const SETTING_KEYS: readonly SettingKey[] = settingsSchema.keyof().options;

/** What a required setting is, for "is missing" messages. */
export const REQUIRED_SETTING_HELP = {
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token (xoxb-…, OAuth & Permissions → OAuth Tokens)',
  SLACK_SIGNING_SECRET: "the app's Signing Secret (Basic Information → App Credentials), needed in HTTP mode",
  SLACK_APP_TOKEN:
    'an app-level token (xapp-…) with the connections:write scope (Basic Information → App-Level Tokens), needed in Socket Mode',
  ALERT_CHANNEL: 'the channel id (C… or G…) alert reports go to by default, needed when ALERT_WEBHOOK_TOKEN is set',
  REDIS_URL: 'the Redis shared by the bot and the workers (e.g. redis://10.0.0.3:6379, or rediss://… for TLS)',
} as const satisfies Partial<Record<SettingKey, string>>;
