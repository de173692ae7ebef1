import { z } from 'zod';

export const DIAGNOSE_QUEUE = 'diagnose';
export const DIAGNOSE_JOB = 'diagnose';

/** A diagnosis request as queued by the bot and run by a worker. */
export const diagnoseJobSchema = z.strictObject({
  target: z.strictObject({ namespace: z.string().nullable(), workload: z.string().nullable() }),
  /** `injection` and `webhooks` narrow the report to those runbooks. */
  scope: z.enum(['all', 'injection', 'webhooks']),
  requestedBy: z.string(),
  channel: z.string(),
  /** The visible root message; the report goes into its thread. */
  threadTs: z.string(),
  /** What made the request unique (a slash command's trigger id, an alert's fingerprint). */
  requestKey: z.string().min(1),
  /** Set for alert-triggered diagnoses: the report is posted only when the incident's findings changed. */
  incidentKey: z.string().min(1).optional(),
});

export type DiagnoseJob = z.infer<typeof diagnoseJobSchema>;

/** Runbooks each narrowed scope reports. */
export const SCOPE_RUNBOOKS: Record<Exclude<DiagnoseJob['scope'], 'all'>, readonly string[]> = {
  injection: [
    'sidecar-not-injected',
    'injector-cabundle-missing',
    'pod-creation-failed',
    'vault-injection-race',
    'istio-init-failure',
  ],
  webhooks: [
    'injector-cabundle-missing',
    'webhook-connect-timeout',
    'webhook-no-endpoints',
    'webhook-service-not-found',
    'webhook-x509-unknown-authority',
    'webhook-stale-configuration',
    'webhook-deadline-private-cluster',
  ],
};
