import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { ApprovalDeps } from '../../handlers';
import type { DiagnoseJob } from '../queue/jobs';
import { enqueueDiagnosis } from '../queue/producer';
import { enqueueRemediation } from '../queue/remediation-queue';
import { approvalService } from '../remediation/approval-service';
import type { ApprovalPolicy } from '../remediation/approvers';
import { approverCheck } from '../remediation/approvers';
import { redisAuditLog } from '../remediation/audit';
import { redisProposalStore } from '../remediation/proposal-store';
import type { RemediationJob } from '../remediation/remediate';
import { buildProposalBlocks } from '../report/blocks-proposal';

/** Approvals for the bot's handlers: proposals and audit in Redis, approvers checked through the Web API. */
export function approvalDeps(options: {
  policy: ApprovalPolicy;
  redis: Redis;
  prefix: string;
  slack: WebClient;
  diagnoseQueue: Queue<DiagnoseJob>;
  remediationQueue: Queue<RemediationJob>;
  log: { info(data: object, msg: string): void; warn(data: object, msg: string): void };
  now?: () => number;
  /** Called after each click with its action and whether it was refused (metrics). */
  onClick?: (action: string, refused: boolean) => void;
}): ApprovalDeps {
  const { policy, redis, prefix, slack, log } = options;
  const audit = redisAuditLog(redis, prefix, log);
  const click = approvalService({
    proposals: redisProposalStore(redis, prefix),
    audit,
    policy,
    isApprover: approverCheck(
      policy,
      async (usergroup) => (await slack.usergroups.users.list({ usergroup })).users ?? [],
      {
        ttlMs: 5 * 60_000,
        onError: (group, err) => log.warn({ group, err: (err as Error).message }, 'user group members unavailable'),
      },
    ),
    enqueueRemediation: (job) => enqueueRemediation(options.remediationQueue, job),
    enqueueDiagnosis: (job) => enqueueDiagnosis(options.diagnoseQueue, job),
    redraw: async (p) => {
      if (p.messageTs)
        await slack.chat.update({ channel: p.channel, ts: p.messageTs, ...buildProposalBlocks(p) } as never);
    },
    now: options.now ?? Date.now,
  });
  return {
    click: async (action, id, user) => {
      const reply = await click(action, id, user);
      options.onClick?.(action, reply !== null);
      return reply;
    },
    latest: (n) => audit.latest(n),
  };
}
