/** Queue and job names. The payloads are the pipeline's requests (src/pipeline/request.ts). */
export const DIAGNOSE_QUEUE = 'diagnose';
export const DIAGNOSE_JOB = 'diagnose';
export const REMEDIATE_QUEUE = 'remediate';
