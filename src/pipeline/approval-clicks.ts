import type { ApprovalPolicy } from '../remediation/approvers';
import type { AuditAction, AuditLog } from '../remediation/audit';
import type { Proposal } from '../remediation/proposal';
import { isExpired } from '../remediation/proposal';
import type { ProposalStore } from '../remediation/proposal-store';
import { PROPOSAL_GONE, targetsOf } from '../report/blocks-proposal';
import type { Clock } from './ports';
import type { RemediationJob } from './remediate';
import type { DiagnoseRequest } from './request';

export type ClickAction = 'approve' | 'reject' | 'rollback' | 'rediagnose';

/** Where a click came from, as Slack's signed payload says. */
export interface ClickOrigin {
  /** The clicker's workspace (team id). */
  team?: string;
  channel?: string;
  /** The thread of the clicked message (proposal messages live in their diagnosis thread). */
  threadTs?: string;
  /** The clicked proposal message: redrawn without buttons when its proposal is no longer stored. */
  messageTs?: string;
}

/** What a click on a proposal's buttons may do, provided by the bot process. */
export interface ApprovalClickDeps {
  proposals: ProposalStore;
  audit: AuditLog;
  policy: ApprovalPolicy;
  /** Whether the user may approve in the cluster (global approvers, and that cluster's). */
  isApprover(userId: string, cluster?: string): Promise<boolean>;
  enqueueRemediation(job: RemediationJob): Promise<void>;
  enqueueDiagnosis(request: DiagnoseRequest): Promise<unknown>;
  /** Redraws the proposal message from the stored state (see `proposalRedraw`). */
  redraw(p: Proposal): Promise<void>;
  /** Redraws a proposal message whose record is gone: no buttons, `PROPOSAL_GONE`. */
  redrawGone(channel: string, messageTs: string, id: string): Promise<void>;
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

/** Why a click did not come from the proposal's own message (workspace, channel, thread), or null. */
function misplaced(p: Proposal, origin: ClickOrigin): string | null {
  const where =
    p.team !== undefined && origin.team !== p.team
      ? 'workspace'
      : origin.channel !== p.channel
        ? 'channel'
        : origin.threadTs !== p.threadTs
          ? 'thread'
          : null;
  return where && `This click came from another ${where} than the proposal's message; nothing was changed.`;
}

/**
 * Handles Approve, Reject, Roll back and Re-diagnose clicks: who may, in which state, exactly once
 * (compare-and-set in Redis), with an audit record for every decision and every refusal. Returns the
 * ephemeral answer for the clicker, or null.
 */
export function approvalClicks(deps: ApprovalClickDeps) {
  const redraw = deps.redraw;
  const audit = (p: Proposal | null, id: string, action: AuditAction, actor: string, detail: string) =>
    deps.audit.record({
      action,
      proposal: id,
      actor,
      target: p ? targetsOf(p) : '?',
      detail,
      ...(p?.cluster ? { cluster: p.cluster } : {}),
    });

  async function refuse(p: Proposal | null, id: string, user: string, reason: string): Promise<string> {
    await audit(p, id, 'refused', user, reason);
    return `:no_entry: ${reason}`;
  }

  /** Why `user` may not approve, roll back or re-diagnose `p`, or null. */
  async function deniedReason(p: Proposal, user: string, verb: string): Promise<string | null> {
    if (!(await deps.isApprover(user, p.cluster))) {
      const where = p.cluster ? ` in ${p.cluster}` : '';
      return `You are not an approver${where}, so you cannot ${verb} this patch. Approvers are listed in MESH_APPROVERS (users or user groups)${p.cluster ? ' and, for one cluster, MESH_CLUSTER_APPROVERS' : ''}.`;
    }
    if (p.requester === user && !deps.policy.allowSelfApproval) {
      return `You asked for this diagnosis, so another approver must ${verb} its patch (MESH_ALLOW_SELF_APPROVAL is off).`;
    }
    return null;
  }

  return async function click(
    action: ClickAction,
    id: string,
    user: string,
    origin: ClickOrigin,
  ): Promise<string | null> {
    const p = await deps.proposals.get(id);
    if (!p) {
      if (origin.channel && origin.messageTs) await deps.redrawGone(origin.channel, origin.messageTs, id);
      return refuse(null, id, user, PROPOSAL_GONE);
    }
    const elsewhere = misplaced(p, origin);
    if (elsewhere) return refuse(p, id, user, elsewhere);
    if (action === 'rediagnose') {
      const denied = await deniedReason(p, user, 're-diagnose');
      if (denied) return refuse(p, id, user, denied);
      // The original requester stays the requester: a re-diagnosis never lets them approve its patches.
      await deps.enqueueDiagnosis({
        target: { namespace: p.diagnosisTarget.namespace, workload: p.diagnosisTarget.workload },
        ...(p.cluster ? { cluster: p.cluster } : {}),
        scope: 'all',
        requestedBy: p.requester,
        ...(p.team ? { team: p.team } : {}),
        channel: p.channel,
        threadTs: p.threadTs,
        ...(p.rootTs ? { rootTs: p.rootTs } : {}),
        requestKey: `rediagnose:${p.id}:${user}:${Math.floor(deps.now() / 60_000)}`,
      });
      await audit(p, id, 'rediagnosed', user, `re-diagnosis of ${p.requester}'s request queued`);
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
      await deps.enqueueRemediation({
        action: 'rollback',
        proposalId: id,
        ...(p.cluster ? { cluster: p.cluster } : {}),
      });
      await redraw({ ...fresh, state: 'rolling-back', rolledBackBy: user });
      return null;
    }
    if (fresh.state !== 'proposed') return refuse(fresh, id, user, `This proposal is ${STATE_WORDS[fresh.state]}.`);
    if (action === 'reject') {
      if (fresh.requester !== user && !(await deps.isApprover(user, fresh.cluster))) {
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
    await deps.enqueueRemediation({ action: 'apply', proposalId: id, ...(p.cluster ? { cluster: p.cluster } : {}) });
    await redraw({ ...fresh, state: 'approved', approvedBy: user, approvedAt });
    return null;
  };
}
