import type { Incident, IncidentStore } from '../../src/alerts/incident-store';
import type { Message, PostedStore, SlackThreads } from '../../src/pipeline/ports';

/** One Slack write, as the in-memory port records it. */
export type SlackWrite =
  | { call: 'postRoot'; channel: string; ts: string; message: Message }
  | { call: 'postInThread'; channel: string; threadTs: string; ts: string; message: Message }
  | { call: 'update'; channel: string; ts: string; message: Message }
  | { call: 'uploadInThread'; channel: string; threadTs: string; filename: string; content: string };

/** The Slack port in memory: every write recorded in order, message ts numbered 1.000001, 1.000002, … */
export function memorySlack(): SlackThreads & { writes: SlackWrite[]; texts(): string[] } {
  const writes: SlackWrite[] = [];
  let next = 0;
  const ts = () => `1.${String(++next).padStart(6, '0')}`;
  return {
    writes,
    texts: () => writes.flatMap((w) => ('message' in w ? [w.message.text] : [])),
    async postRoot(channel, message) {
      const t = ts();
      writes.push({ call: 'postRoot', channel, ts: t, message });
      return t;
    },
    async postInThread(channel, threadTs, message) {
      const t = ts();
      writes.push({ call: 'postInThread', channel, threadTs, ts: t, message });
      return t;
    },
    async update(channel, t, message) {
      writes.push({ call: 'update', channel, ts: t, message });
    },
    async uploadInThread(channel, threadTs, file) {
      writes.push({ call: 'uploadInThread', channel, threadTs, filename: file.filename, content: file.content });
    },
    async permalink(channel, t) {
      return `https://example.slack.com/archives/${channel}/p${t.replace('.', '')}`;
    },
  };
}

/** The posted-message store in memory, with Redis's SET NX semantics. */
export function memoryPosted(): PostedStore & { keys: Map<string, string> } {
  const keys = new Map<string, string>();
  return {
    keys,
    get: async (key) => keys.get(key) ?? null,
    setIfAbsent: async (key, value) => {
      if (keys.has(key)) return false;
      keys.set(key, value);
      return true;
    },
  };
}

/**
 * Incident threads in memory, kept as the Redis store keeps them (one hash per incident, fields written
 * independently; an incident exists once it has a channel and a thread): a thread is claimed once, a
 * diagnosis once per window (`expireClaims` ends the current window).
 */
export function memoryIncidents(): IncidentStore & { rows: Map<string, Partial<Incident>>; expireClaims(): void } {
  const rows = new Map<string, Partial<Incident>>();
  const threadClaims = new Set<string>();
  const diagnosisClaims = new Set<string>();
  const hset = (k: string, fields: Partial<Incident>) => rows.set(k, { ...rows.get(k), ...fields });
  return {
    rows,
    expireClaims: () => diagnosisClaims.clear(),
    get: async (k) => {
      const row = rows.get(k);
      if (!row?.channel || !row.ts) return null;
      return {
        channel: row.channel,
        ts: row.ts,
        status: row.status ?? 'firing',
        findings: row.findings ?? null,
        alert: row.alert ?? null,
        verdict: row.verdict ?? null,
      };
    },
    claimThread: async (k) => !threadClaims.has(k) && Boolean(threadClaims.add(k)),
    saveThread: async (k, channel, ts) => void hset(k, { channel, ts, status: 'firing' }),
    setStatus: async (k, status) => {
      const old = rows.get(k)?.status ?? null;
      hset(k, { status });
      return old;
    },
    claimDiagnosis: async (k) => !diagnosisClaims.has(k) && Boolean(diagnosisClaims.add(k)),
    swapFindings: async (k, signature) => {
      const changed = rows.get(k)?.findings !== signature;
      hset(k, { findings: signature });
      return changed;
    },
    saveAlert: async (k, alert) => void hset(k, { alert }),
    saveVerdict: async (k, verdict) => void hset(k, { verdict }),
  };
}
