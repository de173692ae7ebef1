/** Who may approve: Slack user ids and user-group ids (MESH_APPROVERS), and whether requesters may approve their own. */
export interface ApprovalPolicy {
  users: readonly string[];
  userGroups: readonly string[];
  allowSelfApproval: boolean;
}

/** Whether a user is an approver: listed, or a member of a listed group (members cached for `ttlMs`). */
export function approverCheck(
  policy: ApprovalPolicy,
  groupMembers: (groupId: string) => Promise<string[]>,
  options: { ttlMs: number; now?: () => number; onError?: (groupId: string, err: unknown) => void } = {
    ttlMs: 300_000,
  },
): (userId: string) => Promise<boolean> {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Set<string> }>();
  const members = async (group: string): Promise<Set<string>> => {
    const hit = cache.get(group);
    if (hit && now() - hit.at < options.ttlMs) return hit.members;
    try {
      const fresh = new Set(await groupMembers(group));
      cache.set(group, { at: now(), members: fresh });
      return fresh;
    } catch (err) {
      options.onError?.(group, err);
      return hit?.members ?? new Set();
    }
  };
  return async (userId) => {
    if (policy.users.includes(userId)) return true;
    for (const group of policy.userGroups) if ((await members(group)).has(userId)) return true;
    return false;
  };
}
