import type { RedisClient } from '../util/redis-client';

/** What the audit trail records. */
export const AUDIT_ACTIONS = [
  'proposed',
  'approved',
  'rejected',
  'refused',
  'expired',
  'rediagnosed',
  'dry-run',
  'applied',
  'apply-failed',
  'changed-since-diagnosis',
  'rollback-approved',
  'rolled-back',
  'rollback-failed',
  'verified',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit entry. `target` is `Kind namespace/name`. */
export interface AuditEntry {
  at: string;
  action: AuditAction;
  proposal: string;
  actor: string;
  target: string;
  detail: string;
  /** The proposal's cluster (absent for proposals naming none). */
  cluster?: string;
}

/** At least this many entries are kept (Redis trims the stream approximately, never below it). */
export const AUDIT_KEEP = 10_000;

export interface AuditLog {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** The latest `n` entries, newest first. */
  latest(n: number): Promise<AuditEntry[]>;
}

/** A Redis Stream (`XADD … MAXLEN ~ 10000`) plus a log line per entry ("remediation step", the entry under `audit`). */
export function redisAuditLog(
  redis: RedisClient,
  prefix: string,
  log: { info(data: object, msg: string): void },
  now: () => Date = () => new Date(),
): AuditLog {
  const key = `${prefix}:audit`;
  return {
    async record(entry) {
      const full: AuditEntry = { at: now().toISOString(), ...entry };
      log.info({ audit: full }, 'remediation step');
      await redis.xadd(key, 'MAXLEN', '~', String(AUDIT_KEEP), '*', ...Object.entries(full).flat());
    },
    async latest(n) {
      const rows = await redis.xrevrange(key, '+', '-', 'COUNT', Math.max(1, Math.min(n, 100)));
      return rows.map(([, fields]) => {
        const o: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) o[fields[i] as string] = fields[i + 1] as string;
        return o as unknown as AuditEntry;
      });
    },
  };
}
