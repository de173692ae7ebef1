import type { Target } from '../diagnosis/evidence';
import { closestNames } from '../diagnosis/target';
import type { Inventory } from './inventory';

/** How old a read may be for the bot to refuse a target it did not show. */
export const INVENTORY_FRESH_MS = 30 * 60_000;

function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 1 ? 'less than a minute ago' : `${minutes} min ago`;
}

function suggestion(name: string, names: readonly string[], noun: string): string {
  const close = closestNames(name, names);
  if (close.length > 0) return ` Did you mean ${close.join(' or ')}?`;
  const some = names.slice(0, 8);
  return some.length > 0 ? ` Its ${noun}: ${some.join(', ')}${names.length > some.length ? ', …' : ''}.` : '';
}

/**
 * The answer for a target the latest read of the cluster (within INVENTORY_FRESH_MS) showed not to exist,
 * or null when it exists or nothing recent enough is known (the worker's report then says it).
 */
export async function missingTargetAnswer(target: Target, inventory: Inventory, nowMs: number): Promise<string | null> {
  const { namespace, workload } = target;
  if (!namespace) return null;
  const fresh = (at: { atMs: number } | null) => at !== null && nowMs - at.atMs <= INVENTORY_FRESH_MS;
  const known = inventory.namespaces;
  if (known && fresh(known) && !known.names.includes(namespace)) {
    return `Namespace \`${namespace}\` does not exist in the cluster (as read ${age(nowMs - known.atMs)}).${suggestion(namespace, known.names, 'namespaces')} Nothing was queued.`;
  }
  if (!workload) return null;
  const workloads = await inventory.workloads(namespace);
  if (workloads && fresh(workloads) && !workloads.names.includes(workload)) {
    return `No workload \`${workload}\` in namespace \`${namespace}\` (as read ${age(nowMs - workloads.atMs)}).${suggestion(workload, workloads.names, 'workloads')} Nothing was queued.`;
  }
  return null;
}
