import type { Inventory, InventoryStore, InventoryUpdate } from '../pipeline/inventory';
import type { RedisClient } from '../util/redis-client';

/** How long what a read showed is kept: past this, a target is no longer judged by it. */
const INVENTORY_TTL_SECONDS = 24 * 3600;

interface Stamped {
  names: string[];
  atMs: number;
}

function parse(raw: string | null): Stamped | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Stamped>;
    return Array.isArray(value.names) && typeof value.atMs === 'number'
      ? { names: value.names.filter((n): n is string => typeof n === 'string'), atMs: value.atMs }
      : null;
  } catch {
    return null;
  }
}

/**
 * The inventory in one Redis hash: field `namespaces`, and `workloads:NS` per namespace read, each a JSON
 * list with the time it was read. Each field is replaced whole, so two workers never merge half lists.
 */
export function redisInventory(redis: RedisClient, prefix: string, cluster?: string): InventoryStore {
  // One hash per cluster; the one of an unnamed cluster (older versions) keeps the old key.
  const key = cluster ? `${prefix}:inventory:${cluster}` : `${prefix}:inventory`;
  return {
    async record(update: InventoryUpdate, atMs: number) {
      const fields: Record<string, string> = {};
      if (update.namespaces) fields.namespaces = JSON.stringify({ names: update.namespaces, atMs });
      for (const [ns, names] of update.workloads) fields[`workloads:${ns}`] = JSON.stringify({ names, atMs });
      if (Object.keys(fields).length === 0) return;
      await redis.multi().hset(key, fields).expire(key, INVENTORY_TTL_SECONDS).exec();
    },
    async read(): Promise<Inventory> {
      const namespaces = parse(await redis.hget(key, 'namespaces'));
      return { namespaces, workloads: async (ns) => parse(await redis.hget(key, `workloads:${ns}`)) };
    },
  };
}
