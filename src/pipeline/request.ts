import { z } from 'zod';

/**
 * A diagnosis request: what to diagnose and which Slack thread the report goes to. The bot and the alert
 * intake make them; the queue carries them; a worker runs them through the diagnosis pipeline.
 */
export const diagnoseRequestSchema = z.strictObject({
  target: z.strictObject({ namespace: z.string().nullable(), workload: z.string().nullable() }),
  /** `injection`, `webhooks` and `config` narrow the report to the runbooks that name that scope. */
  scope: z.enum(['all', 'injection', 'webhooks', 'config']),
  requestedBy: z.string(),
  /** The Slack workspace (team id) the request came from; absent in jobs queued by older bots and for alerts. */
  team: z.string().optional(),
  channel: z.string(),
  /** The thread the report goes into: the bot's own root message, or the thread a person asked in. */
  threadTs: z.string(),
  /**
   * The channel message mesh-doctor posted for this request, which shows the verdict once the report is
   * posted; absent when the request was asked inside someone else's thread (or in jobs of older bots).
   */
  rootTs: z.string().optional(),
  /** What made the request unique (a slash command's trigger id, an alert's fingerprint). */
  requestKey: z.string().min(1),
  /** Set for alert-triggered diagnoses: the report is posted only when the incident's findings changed. */
  incidentKey: z.string().min(1).optional(),
  /** The cluster to diagnose; absent in jobs of older bots (then the worker's one unnamed cluster). */
  cluster: z.string().min(1).optional(),
  /**
   * The language the report is written in: a language code or a locale the bot chose for the reader (their
   * `/mesh lang`, their Slack locale, the channel's); absent in jobs of older bots: the worker's default.
   */
  language: z.string().min(1).max(35).optional(),
  /** Other names of the same cluster (an alert's GKE context name): the bot routes to whichever is served. */
  clusterAliases: z.array(z.string().min(1)).optional(),
});

export type DiagnoseRequest = z.infer<typeof diagnoseRequestSchema>;
export type DiagnoseScope = DiagnoseRequest['scope'];
