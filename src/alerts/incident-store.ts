import type { AlertNotification } from './types';
import type { RedisClient } from '../util/redis-client';

/** Incidents are remembered this long after their last notification. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** An incident's Slack thread and what was last reported in it. */
export interface Incident {
  channel: string;
  ts: string;
  status: 'firing' | 'resolved';
  /** Signature of the last findings posted in the thread (null before the first report). */
  findings: string | null;
  /** The notification the root message shows (its used fields), to redraw the root; null if never kept. */
  alert: AlertNotification | null;
  /** The verdict of the latest report in the thread, as the report layer stored it (JSON); null before it. */
  verdict: string | null;
}

/** A stored notification back to its shape; null when it is not one (written by an older version, damaged). */
export function parseStoredAlert(json: string | undefined | null): AlertNotification | null {
  if (!json) return null;
  try {
    const n = JSON.parse(json) as Partial<AlertNotification>;
    const ok =
      (n.status === 'firing' || n.status === 'resolved') &&
      typeof n.title === 'string' &&
      typeof n.incidentKey === 'string' &&
      Array.isArray(n.alertLabels) &&
      typeof n.labels === 'object' &&
      n.labels !== null;
    return ok ? (n as AlertNotification) : null;
  } catch {
    return null;
  }
}

/** Where incident threads live, in Redis so they survive restarts and are shared by every bot replica. */
export interface IncidentStore {
  get(key: string): Promise<Incident | null>;
  /** Claims the right to create the incident's thread (one replica, one notification); false if taken. */
  claimThread(key: string): Promise<boolean>;
  saveThread(key: string, channel: string, ts: string): Promise<void>;
  setStatus(key: string, status: Incident['status']): Promise<Incident['status'] | null>;
  /** Claims a diagnosis for this incident once per window; false while one ran recently. */
  claimDiagnosis(key: string, windowSeconds: number): Promise<boolean>;
  /** Records the findings signature; returns whether it differs from the last one. */
  swapFindings(key: string, signature: string): Promise<boolean>;
  /** Keeps the notification the root message now shows. */
  saveAlert(key: string, alert: AlertNotification): Promise<void>;
  /** Keeps the verdict of the latest report (JSON). */
  saveVerdict(key: string, verdict: string): Promise<void>;
}

const SWAP = `
local old = redis.call('HGET', KEYS[1], 'findings')
redis.call('HSET', KEYS[1], 'findings', ARGV[1])
if old == ARGV[1] then return 0 end
return 1`;

export function redisIncidentStore(redis: RedisClient, prefix: string): IncidentStore {
  const key = (k: string) => `${prefix}:incident:${k}`;
  return {
    async get(k) {
      const h = await redis.hgetall(key(k));
      if (!h.channel || !h.ts) return null;
      return {
        channel: h.channel,
        ts: h.ts,
        status: h.status === 'resolved' ? 'resolved' : 'firing',
        findings: h.findings ?? null,
        alert: parseStoredAlert(h.alert),
        verdict: h.verdict ?? null,
      };
    },
    async claimThread(k) {
      return (await redis.set(`${prefix}:incident-lock:${k}`, '1', 'EX', 120, 'NX')) === 'OK';
    },
    async saveThread(k, channel, ts) {
      await redis
        .multi()
        .hset(key(k), 'channel', channel, 'ts', ts, 'status', 'firing')
        .expire(key(k), KEEP_SECONDS)
        .exec();
    },
    async setStatus(k, status) {
      const [[, old]] = (await redis
        .multi()
        .hget(key(k), 'status')
        .hset(key(k), 'status', status)
        .expire(key(k), KEEP_SECONDS)
        .exec()) as [[Error | null, string | null]];
      return old === 'firing' || old === 'resolved' ? old : null;
    },
    async claimDiagnosis(k, windowSeconds) {
      return (await redis.set(`${prefix}:incident-diagnosis:${k}`, '1', 'EX', windowSeconds, 'NX')) === 'OK';
    },
    async swapFindings(k, signature) {
      return (await redis.eval(SWAP, 1, key(k), signature)) === 1;
    },
    async saveAlert(k, alert) {
      await redis.multi().hset(key(k), 'alert', JSON.stringify(alert)).expire(key(k), KEEP_SECONDS).exec();
    },
    async saveVerdict(k, verdict) {
      await redis.multi().hset(key(k), 'verdict', verdict).expire(key(k), KEEP_SECONDS).exec();
    },
  };
}
