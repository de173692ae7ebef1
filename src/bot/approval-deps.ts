import type { Queue } from 'bullmq';
import type { ClickOrigin } from '../pipeline/approval-clicks';
import { approvalClicks } from '../pipeline/approval-clicks';
import type { SlackThreads } from '../pipeline/ports';
import { goneProposalRedraw, proposalRedraw } from '../pipeline/propose';
import type { RemediationJob } from '../pipeline/remediate';
import type { DiagnoseQueues } from '../queue/producer';
import { enqueueDiagnosis } from '../queue/producer';
import { enqueueRemediation } from '../queue/remediation-queue';
import type { ApprovalPolicy } from '../remediation/approvers';
import { approverCheck } from '../remediation/approvers';
import { redisAuditLog } from '../remediation/audit';
import { redisProposalStore } from '../remediation/proposal-store';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { ApprovalDeps } from './handler-deps';
import type { RedisClient } from '../util/redis-client';

/** Approvals for the bot's handlers: proposals and audit in Redis, approvers checked through Slack. */
export function buildApprovalDeps(options: {
  policy: ApprovalPolicy;
  redis: RedisClient;
  prefix: string;
  slack: SlackThreads;
  userGroupMembers: (usergroup: string) => Promise<string[]>;
  diagnoseQueues: DiagnoseQueues;
  /** The remediation queue of a proposal's cluster (the unnamed one for proposals naming none). */
  remediationQueue: (cluster: string | undefined) => Queue<RemediationJob>;
  log: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
  /** Called after each click with its action and whether it was refused (metrics). */
  onClick?: (action: string, refused: boolean) => void;
}): ApprovalDeps {
  const { policy, redis, prefix, log } = options;
  const audit = redisAuditLog(redis, prefix, log);
  const click = approvalClicks({
    proposals: redisProposalStore(redis, prefix),
    audit,
    policy,
    isApprover: approverCheck(policy, options.userGroupMembers, {
      ttlMs: 5 * 60_000,
      onError: (group, err) => log.warn({ group, err: errorMessage(err) }, 'user group members unavailable'),
    }),
    enqueueRemediation: (job) => enqueueRemediation(options.remediationQueue(job.cluster), job),
    enqueueDiagnosis: (request) => enqueueDiagnosis(options.diagnoseQueues.of(request.cluster), request),
    redraw: proposalRedraw(options.slack),
    redrawGone: goneProposalRedraw(options.slack),
    now: options.now ?? Date.now,
  });
  return {
    // Handlers pass where the click came from; a click without it matches no proposal and is refused.
    click: async (action, id, user, origin: ClickOrigin = {}) => {
      const reply = await click(action, id, user, origin);
      options.onClick?.(action, reply !== null);
      return reply;
    },
    latest: (n) => audit.latest(n),
  };
}
