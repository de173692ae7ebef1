import type { ApprovalPolicy } from '../../src/remediation/approvers';
import { approverCheck } from '../../src/remediation/approvers';

const policy: ApprovalPolicy = { users: ['U0ALICE'], userGroups: ['S0SRE', 'S0PLATFORM'], allowSelfApproval: false };
const TTL = 300_000;

/** A user-group lookup answering from a mutable table, counting calls per group. */
function groups(initial: Record<string, string[] | Error>) {
  const table: Record<string, string[] | Error> = { ...initial };
  const calls: string[] = [];
  const lookup = async (group: string): Promise<string[]> => {
    calls.push(group);
    const answer = table[group];
    if (answer instanceof Error) throw answer;
    return answer ?? [];
  };
  return { table, calls, lookup };
}

describe('approverCheck', () => {
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
  });

  it("accepts a cluster's own approvers in that cluster only, and the global ones everywhere", async () => {
    const g = groups({ S0SRE: [], S0PLATFORM: [], S0PRODSRE: ['U0PRODONCALL'] });
    const isApprover = approverCheck(
      { ...policy, clusters: { 'prod-eu': { users: ['U0PRODLEAD'], userGroups: ['S0PRODSRE'] } } },
      g.lookup,
      { ttlMs: TTL, now },
    );

    expect(await isApprover('U0PRODLEAD', 'prod-eu')).toBe(true);
    expect(await isApprover('U0PRODONCALL', 'prod-eu')).toBe(true);
    expect(await isApprover('U0PRODLEAD', 'staging')).toBe(false);
    expect(await isApprover('U0PRODONCALL', 'staging')).toBe(false);
    // A proposal naming no cluster (older versions): the global lists only.
    expect(await isApprover('U0PRODLEAD')).toBe(false);
    expect(await isApprover('U0ALICE', 'staging')).toBe(true);
  });

  it('accepts a listed user without looking up any group', async () => {
    const g = groups({ S0SRE: ['U0BOB'] });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    const result = await isApprover('U0ALICE');

    expect(result).toBe(true);
    expect(g.calls).toEqual([]);
  });

  it('accepts members of any listed group and refuses everyone else', async () => {
    const g = groups({ S0SRE: ['U0BOB'], S0PLATFORM: ['U0CAROL'] });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    const results = [await isApprover('U0BOB'), await isApprover('U0CAROL'), await isApprover('U0MALLORY')];

    expect(results).toEqual([true, true, false]);
  });

  it('stops at the first group the user is in', async () => {
    const g = groups({ S0SRE: ['U0BOB'], S0PLATFORM: [] });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    await isApprover('U0BOB');

    expect(g.calls).toEqual(['S0SRE']);
  });

  it('refuses everyone but listed users when no group is configured', async () => {
    const g = groups({});
    const isApprover = approverCheck({ ...policy, userGroups: [] }, g.lookup, { ttlMs: TTL, now });

    expect(await isApprover('U0ALICE')).toBe(true);
    expect(await isApprover('U0BOB')).toBe(false);
    expect(g.calls).toEqual([]);
  });

  it('caches group members within the ttl', async () => {
    const g = groups({ S0SRE: ['U0BOB'], S0PLATFORM: ['U0CAROL'] });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    await isApprover('U0MALLORY');
    clock += TTL - 1;
    g.table.S0SRE = ['U0MALLORY'];
    const cached = await isApprover('U0MALLORY');

    expect(cached).toBe(false);
    expect(g.calls).toEqual(['S0SRE', 'S0PLATFORM']);
  });

  it('refreshes group members once the ttl has passed', async () => {
    const g = groups({ S0SRE: ['U0BOB'], S0PLATFORM: [] });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    expect(await isApprover('U0BOB')).toBe(true);
    clock += TTL;
    g.table.S0SRE = ['U0DAVE'];
    const removed = await isApprover('U0BOB');
    const added = await isApprover('U0DAVE');

    expect(removed).toBe(false);
    expect(added).toBe(true);
    expect(g.calls).toEqual(['S0SRE', 'S0SRE', 'S0PLATFORM']);
  });

  it('refuses when a group cannot be looked up, and reports the error', async () => {
    const failure = new Error('missing_scope');
    const g = groups({ S0SRE: failure, S0PLATFORM: [] });
    const errors: Array<[string, unknown]> = [];
    const isApprover = approverCheck(policy, g.lookup, {
      ttlMs: TTL,
      now,
      onError: (group, err) => errors.push([group, err]),
    });

    const result = await isApprover('U0BOB');

    expect(result).toBe(false);
    expect(errors).toEqual([['S0SRE', failure]]);
    expect(g.calls).toEqual(['S0SRE', 'S0PLATFORM']);
  });

  it('keeps the members it had when a later lookup fails, and retries on the next check', async () => {
    const g = groups({ S0SRE: ['U0BOB'], S0PLATFORM: [] });
    const errors: string[] = [];
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now, onError: (group) => errors.push(group) });
    await isApprover('U0BOB');

    clock += TTL + 1;
    g.table.S0SRE = new Error('ratelimited');
    const duringOutage = await isApprover('U0BOB');
    g.table.S0SRE = ['U0DAVE'];
    const afterOutage = await isApprover('U0BOB');

    expect(duringOutage).toBe(true);
    expect(errors).toEqual(['S0SRE']);
    expect(afterOutage).toBe(false);
    expect(g.calls).toEqual(['S0SRE', 'S0SRE', 'S0SRE', 'S0PLATFORM']);
  });

  it('does not throw without an onError handler', async () => {
    const g = groups({ S0SRE: new Error('timeout'), S0PLATFORM: new Error('timeout') });
    const isApprover = approverCheck(policy, g.lookup, { ttlMs: TTL, now });

    await expect(isApprover('U0BOB')).resolves.toBe(false);
  });
});
