/** Queue and job names. The payloads are the pipeline's requests (src/pipeline/request.ts). */
export const DIAGNOSE_QUEUE = 'diagnose';
export const DIAGNOSE_JOB = 'diagnose';
export const REMEDIATE_QUEUE = 'remediate';
/** Alert notifications the bot acknowledged, waiting for its own intake (thread, root message, diagnosis). */
export const ALERT_INTAKE_QUEUE = 'alert-intake';
export const ALERT_INTAKE_JOB = 'notification';
