import type { RedisClient } from '../util/redis-client';
import type { Proposal, ProposalProgress, ProposalSpec, ProposalState } from './proposal';
import { canMove, PROPOSAL_STATES } from './proposal';
import { MeshError } from '../util/errors';

/** Proposals are kept this long after creation (for rollback and the audit trail). */
const KEEP_SECONDS = 30 * 24 * 3600;

/**
 * Moves a proposal from one state to another only if it is still in the first (compare-and-set), and
 * sets the given fields in the same step: two concurrent clicks cannot both approve.
 */
const TRANSITION = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], unpack(ARGV, 3))
return 1`;

/** Creates the record and its expiry in one step; never over an existing record. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'spec', ARGV[1], 'state', 'proposed')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Sets fields of an existing record only: a record that expired or was lost is never recreated in part. */
const NOTE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

const PROGRESS_FIELDS = [
  'messageTs',
  'approvedBy',
  'approvedAt',
  'rejectedBy',
  'rolledBackBy',
  'result',
  'rollback',
  'updatedAt',
] as const satisfies readonly (keyof ProposalProgress)[];

export interface ProposalStore {
  create(spec: ProposalSpec): Promise<void>;
  get(id: string): Promise<Proposal | null>;
  /** Sets fields that do not change the state (the message ts); false, writing nothing, when the record is gone. */
  note(id: string, fields: Partial<Omit<ProposalProgress, 'state'>>): Promise<boolean>;
  /**
   * Compare-and-set of the state; false when the proposal is not in `from` (someone else moved it) or
   * its record is gone.
   */
  move(id: string, from: ProposalState, to: ProposalState, fields?: Partial<ProposalProgress>): Promise<boolean>;
}

function flat(fields: Partial<ProposalProgress>): string[] {
  return Object.entries(fields).flatMap(([k, v]) => (v === undefined || k === 'state' ? [] : [k, String(v)]));
}

export function redisProposalStore(
  redis: RedisClient,
  prefix: string,
  now: () => Date = () => new Date(),
): ProposalStore {
  const key = (id: string) => `${prefix}:proposal:${id}`;
  return {
    async create(spec) {
      if ((await redis.eval(CREATE, 1, key(spec.id), JSON.stringify(spec), KEEP_SECONDS)) !== 1) {
        throw new MeshError('PROPOSAL_TRANSITION', `proposal ${spec.id} exists already`);
      }
    },
    async get(id) {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return null;
      const h = await redis.hgetall(key(id));
      if (!h.spec || !h.state || !(PROPOSAL_STATES as readonly string[]).includes(h.state)) return null;
      const progress: ProposalProgress = { state: h.state as ProposalState };
      for (const f of PROGRESS_FIELDS) if (h[f] !== undefined) progress[f] = h[f];
      return { ...(JSON.parse(h.spec) as ProposalSpec), ...progress };
    },
    async note(id, fields) {
      const args = flat(fields);
      if (args.length === 0) return (await redis.exists(key(id))) === 1;
      return (await redis.eval(NOTE, 1, key(id), ...args)) === 1;
    },
    async move(id, from, to, fields = {}) {
      if (!canMove(from, to)) throw new MeshError('PROPOSAL_TRANSITION', `a proposal cannot go from ${from} to ${to}`);
      const args = flat({ ...fields, updatedAt: now().toISOString() });
      return (await redis.eval(TRANSITION, 1, key(id), from, to, ...args)) === 1;
    },
  };
}
