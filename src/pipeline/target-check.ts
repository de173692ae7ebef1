import type { Target } from '../diagnosis/evidence';
import type { TargetStatus } from '../diagnosis/target';
import { closestNames, missingTargetLine } from '../diagnosis/target';
import type { Inventory } from './inventory';

/** How old a read may be for the bot to refuse a target it did not show. */
export const INVENTORY_FRESH_MS = 30 * 60_000;

function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 1 ? 'less than a minute ago' : `${minutes} min ago`;
}

function missing(
  what: 'namespace' | 'workload',
  name: string,
  namespace: string | null,
  known: readonly string[],
): Extract<TargetStatus, { status: 'missing' }> {
  return { status: 'missing', what, name, namespace, closest: closestNames(name, known), known: [...known].sort() };
}

function answer(status: Extract<TargetStatus, { status: 'missing' }>, readAgoMs: number): string {
  return `As read ${age(readAgoMs)}: ${missingTargetLine(status)}. Nothing was queued.`;
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
    return answer(missing('namespace', namespace, null, known.names), nowMs - known.atMs);
  }
  if (!workload) return null;
  const workloads = await inventory.workloads(namespace);
  if (workloads && fresh(workloads) && !workloads.names.includes(workload)) {
    return answer(missing('workload', workload, namespace, workloads.names), nowMs - workloads.atMs);
  }
  return null;
}
