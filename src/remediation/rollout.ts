import type { PatchProposal } from '../diagnosis/evidence';
import { POD_TEMPLATE_KINDS } from '../diagnosis/patch-templates';
import type { ObjectAccess } from './object-access';

type Obj = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Whether a workload's rollout is complete: the controller saw the change and every replica is new and available. */
export function rolloutDone(object: Obj): boolean {
  const meta = (object.metadata ?? {}) as Obj;
  const spec = (object.spec ?? {}) as Obj;
  const status = (object.status ?? {}) as Obj;
  if (num(status.observedGeneration) < num(meta.generation)) return false;
  if (object.kind === 'DaemonSet' || 'desiredNumberScheduled' in status) {
    const desired = num(status.desiredNumberScheduled);
    return num(status.updatedNumberScheduled) >= desired && num(status.numberAvailable) >= desired;
  }
  // As `kubectl rollout status`: all replicas updated, no old ones left, and the updated ones available.
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const updated = num(status.updatedReplicas);
  return updated >= replicas && num(status.replicas) <= updated && num(status.availableReplicas) >= updated;
}

/**
 * Waits for the rollout a pod-template patch starts (observedGeneration, updated and available replicas).
 * Other kinds have nothing to wait for. Resolves with how it ended; never throws on a slow rollout.
 */
export async function waitForRollout(
  objects: ObjectAccess,
  target: PatchProposal['target'],
  options: { timeoutMs: number; pollMs: number; sleep?: (ms: number) => Promise<void> },
): Promise<'done' | 'timeout' | 'not-a-rollout' | 'gone'> {
  if (!POD_TEMPLATE_KINDS.has(target.kind)) return 'not-a-rollout';
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const object = await objects.read(target);
    if (!object) return 'gone';
    if (rolloutDone(object)) return 'done';
    if (Date.now() >= deadline) return 'timeout';
    await sleep(options.pollMs);
  }
}
