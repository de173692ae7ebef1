/** Queue and job names. The payloads are the pipeline's requests (src/pipeline/request.ts). */
export const DIAGNOSE_QUEUE = 'diagnose';
export const DIAGNOSE_JOB = 'diagnose';
export const REMEDIATE_QUEUE = 'remediate';
/** Alert notifications the bot acknowledged, waiting for its own intake (thread, root message, diagnosis). */
export const ALERT_INTAKE_QUEUE = 'alert-intake';
export const ALERT_INTAKE_JOB = 'notification';

/**
 * A cluster's own queue: only workers serving that cluster take its jobs. Requests naming no cluster (from
 * bots of older versions) go to the base queue, which a worker serving one unnamed cluster also takes.
 * The name is URI-encoded: BullMQ refuses ':' in queue names, and cluster names (EKS ARNs) may hold it.
 */
export function clusterQueue(base: string, cluster: string | null | undefined): string {
  return cluster ? `${base}.${encodeURIComponent(cluster)}` : base;
}
