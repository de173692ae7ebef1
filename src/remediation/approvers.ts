/** Who may approve: Slack user ids and user-group ids (MESH_APPROVERS), and whether requesters may approve their own. */
export interface ApprovalPolicy {
  users: readonly string[];
  userGroups: readonly string[];
  allowSelfApproval: boolean;
  /** MESH_CLUSTER_APPROVERS: who else may approve in one cluster. */
  clusters?: Readonly<Record<string, { users: readonly string[]; userGroups: readonly string[] }>>;
}

/**
 * Whether a user may approve in a cluster: listed, or a member of a listed group, globally or for that
 * cluster (members cached for `ttlMs`). A proposal naming no cluster is judged by the global lists only.
 */
export function approverCheck(
  policy: ApprovalPolicy,
  groupMembers: (groupId: string) => Promise<string[]>,
  options: { ttlMs: number; now?: () => number; onError?: (groupId: string, err: unknown) => void } = {
    ttlMs: 300_000,
  },
): (userId: string, cluster?: string) => Promise<boolean> {
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
  return async (userId, cluster) => {
    const local = cluster !== undefined ? policy.clusters?.[cluster] : undefined;
    for (const list of [policy, ...(local ? [local] : [])]) {
      if (list.users.includes(userId)) return true;
      for (const group of list.userGroups) if ((await members(group)).has(userId)) return true;
    }
    return false;
  };
}
