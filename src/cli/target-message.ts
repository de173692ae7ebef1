import type { TargetStatus } from '../diagnosis/target';

/** How many names a message lists before it stops with "…". */
const LISTED = 15;

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, … (${names.length} in all)` : shown;
}

function didYouMean(closest: readonly string[]): string {
  return closest.length > 0 ? `; did you mean ${closest.join(' or ')}?` : '';
}

/**
 * The one line the CLI prints for a target that does not exist:
 * `namespace "shpo" does not exist; did you mean shop? (namespaces: default, istio-system, shop)`.
 */
export function missingTargetLine(status: Extract<TargetStatus, { status: 'missing' }>): string {
  if (status.what === 'namespace')
    return `namespace "${status.name}" does not exist${didYouMean(status.closest)} (namespaces: ${listed(status.known)})`;
  const where = status.namespace ? `in namespace "${status.namespace}"` : 'in any namespace';
  const noun = status.namespace ? 'workloads' : 'workloads, as namespace/name';
  return `workload "${status.name}" does not exist ${where}${didYouMean(status.closest)} (${noun}: ${listed(status.known)})`;
}

/** The warning for a target whose existence could not be checked. */
export function uncheckedTargetLine(status: Extract<TargetStatus, { status: 'unknown' }>): string {
  return `cannot tell whether ${status.what} "${status.name}" exists: ${status.reason}`;
}
