import type { ApprovalPolicy } from '../remediation/approvers';
import type { AuditAction, AuditLog } from '../remediation/audit';
import type { Proposal } from '../remediation/proposal';
import { isExpired } from '../remediation/proposal';
import type { ProposalStore } from '../remediation/proposal-store';
import { refText } from '../report/blocks-finding';
import type { Clock } from './ports';
import type { RemediationJob } from './remediate';
import type { DiagnoseRequest } from './request';

export type ClickAction = 'approve' | 'reject' | 'rollback' | 'rediagnose';

/** What a click on a proposal's buttons may do, provided by the bot process. */
export interface ApprovalClickDeps {
  proposals: ProposalStore;
  audit: AuditLog;
  policy: ApprovalPolicy;
  isApprover(userId: string): Promise<boolean>;
  enqueueRemediation(job: RemediationJob): Promise<void>;
  enqueueDiagnosis(request: DiagnoseRequest): Promise<unknown>;
  /** Redraws the proposal message from the stored state (see `proposalRedraw`). */
  redraw(p: Proposal): Promise<void>;
  now: Clock;
}

const STATE_WORDS: Record<Proposal['state'], string> = {
  proposed: 'waiting for approval',
  approved: 'already approved',
  applying: 'already being applied',
  applied: 'already applied',
  failed: 'closed: it could not be applied',
  rejected: 'already rejected',
  expired: 'expired',
  'rolling-back': 'already being rolled back',
  'rolled-back': 'already rolled back',
};

/**
 * Handles Approve, Reject, Roll back and Re-diagnose clicks: who may, in which state, exactly once
 * (compare-and-set in Redis), with an audit record for every decision and every refusal. Returns the
 * ephemeral answer for the clicker, or null.
 */
export function approvalClicks(deps: ApprovalClickDeps) {
  const redraw = deps.redraw;
  const audit = (p: Proposal | null, id: string, action: AuditAction, actor: string, detail: string) =>
    deps.audit.record({ action, proposal: id, actor, target: p ? refText(p.patch.target) : '?', detail });

  async function refuse(p: Proposal | null, id: string, user: string, reason: string): Promise<string> {
    await audit(p, id, 'refused', user, reason);
    return `:no_entry: ${reason}`;
  }

  /** Why `user` may not approve or roll back `p`, or null. */
  async function deniedReason(p: Proposal, user: string, verb: string): Promise<string | null> {
    if (!(await deps.isApprover(user))) {
      return `You are not an approver, so you cannot ${verb} this patch. Approvers are listed in MESH_APPROVERS (users or user groups).`;
    }
    if (p.requester === user && !deps.policy.allowSelfApproval) {
      return `You asked for this diagnosis, so another approver must ${verb} its patch (MESH_ALLOW_SELF_APPROVAL is off).`;
    }
    return null;
  }

  return async function click(action: ClickAction, id: string, user: string): Promise<string | null> {
    const p = await deps.proposals.get(id);
    if (!p) return refuse(null, id, user, 'This proposal is unknown or too old; run the diagnosis again.');
    if (action === 'rediagnose') {
      await deps.enqueueDiagnosis({
        target: p.diagnosisTarget,
        scope: 'all',
        requestedBy: user,
        channel: p.channel,
        threadTs: p.threadTs,
        requestKey: `rediagnose:${p.id}:${user}:${Math.floor(deps.now() / 60_000)}`,
      });
      return null;
    }
    let fresh = p;
    if (isExpired(p, deps.now())) {
      if (await deps.proposals.move(p.id, 'proposed', 'expired')) {
        await audit(p, id, 'expired', user, `expired at ${p.expiresAt}`);
        fresh = { ...p, state: 'expired' };
        await redraw(fresh);
      } else fresh = (await deps.proposals.get(id)) ?? p; // someone else moved it meanwhile
    }
    if (action === 'rollback') {
      if (fresh.state !== 'applied') return refuse(fresh, id, user, `This proposal is ${STATE_WORDS[fresh.state]}.`);
      const denied = await deniedReason(fresh, user, 'roll back');
      if (denied) return refuse(fresh, id, user, denied);
      if (!(await deps.proposals.move(id, 'applied', 'rolling-back', { rolledBackBy: user }))) {
        return refuse(fresh, id, user, 'Someone else acted on this proposal first.');
      }
      await audit(fresh, id, 'rollback-approved', user, 'rollback queued');
      await deps.enqueueRemediation({ action: 'rollback', proposalId: id });
      await redraw({ ...fresh, state: 'rolling-back', rolledBackBy: user });
      return null;
    }
    if (fresh.state !== 'proposed') return refuse(fresh, id, user, `This proposal is ${STATE_WORDS[fresh.state]}.`);
    if (action === 'reject') {
      if (fresh.requester !== user && !(await deps.isApprover(user))) {
        return refuse(fresh, id, user, 'Only an approver or the person who asked for the diagnosis can reject it.');
      }
      if (!(await deps.proposals.move(id, 'proposed', 'rejected', { rejectedBy: user }))) {
        return refuse(fresh, id, user, 'Someone else decided on this proposal first.');
      }
      await audit(fresh, id, 'rejected', user, 'rejected');
      await redraw({ ...fresh, state: 'rejected', rejectedBy: user });
      return null;
    }
    const denied = await deniedReason(fresh, user, 'approve');
    if (denied) return refuse(fresh, id, user, denied);
    const approvedAt = new Date(deps.now()).toISOString();
    if (!(await deps.proposals.move(id, 'proposed', 'approved', { approvedBy: user, approvedAt }))) {
      return refuse(fresh, id, user, 'Someone else decided on this proposal first.');
    }
    await audit(fresh, id, 'approved', user, 'apply queued');
    await deps.enqueueRemediation({ action: 'apply', proposalId: id });
    await redraw({ ...fresh, state: 'approved', approvedBy: user, approvedAt });
    return null;
  };
}
