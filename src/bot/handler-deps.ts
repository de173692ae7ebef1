import type { AlertNotification } from '../alerts/types';
import type { ClickAction, ClickOrigin } from '../pipeline/approval-clicks';
import type { DiagnosisAsk } from '../pipeline/open-thread';
import { openDiagnosisThread } from '../pipeline/open-thread';
import type { SlackThreads } from '../pipeline/ports';
import type { ClusterChoice, ClusterPresence } from '../pipeline/clusters';
import { chooseCluster, isLiveWorker } from '../pipeline/clusters';
import type { DiagnoseQueues } from '../queue/producer';
import { enqueueDiagnosis } from '../queue/producer';
import type { QueueStatus } from '../queue/queue-status';
import { mergeStatus, queueStatus } from '../queue/queue-status';
import { redisClusterRegistry } from '../store/cluster-registry';
import { redisClaims } from '../store/claims';
import { redisInventory } from '../store/inventory';
import { missingTargetAnswer } from '../pipeline/target-check';
import type { Target } from '../diagnosis/evidence';
import type { AuditEntry } from '../remediation/audit';
import type { Catalog } from '../runbooks/catalog';
import { errorFields } from '../util/errors';
import type { Logger } from '../util/logger';
import { createWorkLimiter } from '../util/work-limiter';
import { REDIS_DEADLINE_MS, withDeadline } from '../util/deadline';
import type { RedisClient } from '../util/redis-client';
import { redisLanguagePreferences } from '../store/language-prefs';
import { readerLanguage } from '../pipeline/reader-language';
import { DEFAULT_LANGUAGE } from '../i18n/languages';
import type { Language, LanguageMatch } from '../i18n/languages';

/** Patch approvals, when configured (MESH_APPROVERS). */
export interface ApprovalDeps {
  /** Handles a button click; returns the ephemeral answer for the clicker, or null. */
  click(action: ClickAction, proposalId: string, userId: string, origin: ClickOrigin): Promise<string | null>;
  /** The latest audit entries, newest first. */
  latest(n: number): Promise<AuditEntry[]>;
}

/** What the Slack handlers (handlers/) may do; the bot provides it. */
export interface HandlerDeps {
  catalog: Catalog;
  /** Claims the ask, posts its root message and queues the diagnosis; 'duplicate' for a redelivery. */
  requestDiagnosis(ask: DiagnosisAsk): Promise<'queued' | 'duplicate'>;
  /**
   * The answer for a namespace or workload the latest read of the cluster showed not to exist, or null
   * (it exists, or nothing recent is known and the worker's report will say it).
   */
  missingTarget(target: Target, cluster?: string): Promise<string | null>;
  /** The cluster an ask is for: the one it names, the only one served, the channel's default, or ask. */
  chooseCluster(asked: string | null, channel: string): Promise<ClusterChoice>;
  /** The clusters workers announced, newest first. */
  clusters(): Promise<ClusterPresence[]>;
  status(): Promise<QueueStatus>;
  /**
   * The language one person reads mesh-doctor in: their `/mesh lang` choice (`chosen`), else their Slack
   * locale, else the channel's (MESH_CHANNEL_LANGUAGES), else MESH_DEFAULT_LANGUAGE.
   */
  readerLanguage(user: string, channel: string): Promise<LanguageMatch & { chosen: boolean }>;
  /** `/mesh lang`: a person's own language, or null to follow their Slack locale again. */
  chooseLanguage(user: string, language: Language | null): Promise<void>;
  /**
   * False from a dropped Redis connection until it is back. Commands that need it are answered "unavailable" at once while it is
   * not, and every Redis call they make has a deadline (REDIS_DEADLINE_MS), so no follow-up slot is
   * held by a call that waits for Redis to come back.
   */
  redisReady(): boolean;
  /**
   * Runs a command's follow-up after the ack, a few at a time (see src/util/work-limiter.ts);
   * false when the backlog is full.
   */
  defer(task: () => Promise<void>): boolean;
  /** Present when approvals are configured. */
  approvals?: ApprovalDeps;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What an alert endpoint (handlers/webhooks) needs. */
export interface AlertEndpointDeps {
  token: string;
  /** Whether the token may come as the `auth_token` query parameter (ALERT_ACCEPT_QUERY_TOKEN). */
  acceptQueryToken: boolean;
  /**
   * Stores the notification durably (Redis) for the intake; 'unavailable' when Redis did not confirm it
   * in time. The endpoint answers 2xx only for 'stored'.
   */
  accept(n: AlertNotification): Promise<'stored' | 'unavailable'>;
  log: Pick<Logger, 'warn'>;
}

/** Follow-ups (claim, root message, enqueue) running at once, and waiting, per bot process. */
export const FOLLOW_UP_CONCURRENCY = 2;
export const FOLLOW_UP_BACKLOG = 2_000;

/** The handlers' dependencies: claims in Redis, root messages through Slack, the diagnosis queue. */
export function buildHandlerDeps(options: {
  catalog: Catalog;
  redis: RedisClient;
  queues: DiagnoseQueues;
  prefix: string;
  slack: SlackThreads;
  log: HandlerDeps['log'];
  /** MESH_CHANNEL_CLUSTERS: each channel's default cluster. */
  channelClusters?: Readonly<Record<string, string>>;
  /** Where a reader's language comes from (default: English for everyone, no choices kept). */
  languages?: {
    /** A user's Slack locale (`users.info`), null when unknown. */
    locale(user: string): Promise<string | null>;
    /** MESH_CHANNEL_LANGUAGES. */
    channels: Readonly<Record<string, Language>>;
    /** MESH_DEFAULT_LANGUAGE. */
    fallback: Language;
  };
  /** Called after each enqueue, with whether the request was new (metrics). */
  onEnqueued?: (queued: boolean) => void;
  /** Commands waiting for their follow-up beyond which new ones are refused (default FOLLOW_UP_BACKLOG). */
  followUpBacklog?: number;
  /** Patch approvals, when configured. */
  approvals?: ApprovalDeps;
  /** The wall clock (how old the recorded inventory is). */
  now?: () => number;
  /** Deadline of each Redis call a command makes (default REDIS_DEADLINE_MS). */
  redisDeadlineMs?: number;
}): HandlerDeps & { idle(): Promise<void> } {
  const { catalog, redis, queues, prefix, log, onEnqueued, approvals } = options;
  const now = options.now ?? Date.now;
  const registry = redisClusterRegistry(redis, prefix);
  const ms = options.redisDeadlineMs ?? REDIS_DEADLINE_MS;
  const inTime = <T>(what: string, work: Promise<T>) => withDeadline(`Redis (${what})`, ms, work);
  const claim = redisClaims(redis, prefix);
  const preferences = redisLanguagePreferences(redis, prefix);
  const languages = options.languages;
  // Lost from a dropped connection until the next 'ready' (not while the first connection is being made).
  let redisLost = false;
  redis.on('close', () => (redisLost = true));
  redis.on('ready', () => (redisLost = false));
  const followUps = createWorkLimiter({
    concurrency: FOLLOW_UP_CONCURRENCY,
    maxPending: options.followUpBacklog ?? FOLLOW_UP_BACKLOG,
    onError: (err) => log.error(errorFields(err), 'command follow-up failed'),
  });
  return {
    catalog,
    requestDiagnosis: openDiagnosisThread({
      claim: (key) => inTime('claiming the request', claim(key)),
      slack: options.slack,
      enqueue: async (request) => {
        const result = await inTime('queueing the diagnosis', enqueueDiagnosis(queues.of(request.cluster), request));
        onEnqueued?.(result.queued);
        return result;
      },
    }),
    missingTarget: async (target, cluster) => {
      try {
        const read = inTime('reading the inventory', redisInventory(redis, prefix, cluster).read());
        return await missingTargetAnswer(target, await read, now());
      } catch (err) {
        log.warn(errorFields(err), 'inventory unreadable; the diagnosis is queued and its report checks the target');
        return null;
      }
    },
    chooseCluster: async (asked, channel) =>
      chooseCluster(
        asked,
        options.channelClusters?.[channel],
        await inTime('reading the clusters', registry.list()),
        now(),
      ),
    clusters: () => inTime('reading the clusters', registry.list()),
    // Every queue: the unnamed one and each cluster's the workers announced.
    status: async () => {
      const announced = await inTime('reading the clusters', registry.list());
      const all = [queues.of(null), ...announced.map((p) => queues.of(p.cluster))];
      const merged = mergeStatus(await inTime('reading the queue', Promise.all(all.map((q) => queueStatus(q)))));
      // A worker takes several queues (one per cluster): count each worker once, by what it announced.
      const live = announced.flatMap((p) => p.workers.filter((w) => isLiveWorker(w, now())).map((w) => w.id));
      return announced.length > 0 ? { ...merged, workers: new Set(live).size } : merged;
    },
    readerLanguage: async (user, channel) => {
      const preference = await inTime('reading the language choice', preferences.get(user));
      const locale = preference || !languages ? null : await languages.locale(user);
      const match = readerLanguage({
        preference,
        locale,
        channel: languages?.channels[channel],
        fallback: languages?.fallback ?? DEFAULT_LANGUAGE,
      });
      return { ...match, chosen: preference !== null };
    },
    chooseLanguage: (user, language) =>
      inTime(
        'keeping the language choice',
        language === null ? preferences.clear(user) : preferences.set(user, language),
      ),
    redisReady: () => !redisLost,
    defer: (task) => followUps.submit(task),
    idle: () => followUps.idle(),
    ...(approvals
      ? { approvals: { ...approvals, latest: (n: number) => inTime('reading the audit log', approvals.latest(n)) } }
      : {}),
    log,
  };
}
