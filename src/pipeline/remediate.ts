import { reasonOf } from '../collect/live/api-errors';
import type { AuditAction, AuditLog } from '../remediation/audit';
import type { ObjectAccess } from '../remediation/object-access';
import { resourceVersionOf, withPrecondition } from '../remediation/preconditions';
import type { Proposal, ProposalProgress, ProposalState } from '../remediation/proposal';
import type { ProposalStore } from '../remediation/proposal-store';
import type { ProtectedNamespaces } from '../remediation/protected-namespaces';
import { protectedNamespaceReason } from '../remediation/protected-namespaces';
import { waitForRollout } from '../remediation/rollout';
import type { RollbackPlan } from '../remediation/touched-fields';
import { disallowedReason, editedSinceApply, restoredAlready, rollbackPlan } from '../remediation/touched-fields';
import { refText } from '../report/blocks-finding';
import type { PostedStore, SlackThreads } from './ports';
import { POSTED_TTL_SECONDS } from './ports';
import { proposalRedraw } from './propose';

/** A remediation job: apply an approved proposal, or roll an applied one back. */
export interface RemediationJob {
  action: 'apply' | 'rollback';
  proposalId: string;
}

/** What the worker needs to change the cluster for an approved proposal. */
export interface RemediationDeps {
  proposals: ProposalStore;
  audit: AuditLog;
  objects: ObjectAccess;
  slack: SlackThreads;
  posted: PostedStore;
  keyPrefix: string;
  /** Re-runs the proposal's diagnosis: whether its runbook still fires on the same object, in words. */
  verify(p: Proposal): Promise<{ fixed: boolean; summary: string }>;
  rollout: { timeoutMs: number; pollMs: number };
  /** Namespaces no patch may change (checked at apply time, whatever is stored). */
  namespaces: ProtectedNamespaces;
}

async function show(deps: RemediationDeps, id: string): Promise<void> {
  const p = await deps.proposals.get(id);
  if (p) await proposalRedraw(deps.slack)(p);
}

async function record(deps: RemediationDeps, p: Proposal, action: AuditAction, actor: string, detail: string) {
  await deps.audit.record({ action, proposal: p.id, actor, target: refText(p.patch.target), detail });
}

/** Who acted for the step a job runs: the approver of the apply, or the person who asked for the rollback. */
function actorOf(p: Proposal, from: ProposalState): string {
  return (from === 'rolling-back' ? p.rolledBackBy : p.approvedBy) ?? 'mesh-doctor';
}

/** Moves the proposal on, records it (in the name of the person who acted), and redraws its message. */
async function conclude(
  deps: RemediationDeps,
  p: Proposal,
  from: ProposalState,
  to: ProposalState,
  audit: [AuditAction, string],
  fields: Partial<ProposalProgress> = {},
): Promise<void> {
  await deps.proposals.move(p.id, from, to, fields);
  await record(deps, p, audit[0], actorOf(p, from), audit[1]);
  await show(deps, p.id);
}

async function write(deps: RemediationDeps, p: Proposal, body: unknown, dryRun: boolean, creating: boolean) {
  if (creating) await deps.objects.create(p.patch.target, p.patch.patch, dryRun);
  else await deps.objects.patch(p.patch.target, p.patch.type, body, dryRun);
}

async function apply(deps: RemediationDeps, p: Proposal): Promise<void> {
  if (p.state === 'approved' && !(await deps.proposals.move(p.id, 'approved', 'applying'))) return;
  if (p.state !== 'approved' && p.state !== 'applying') return;
  const creating = p.resourceVersion === null;
  const current = await deps.objects.read(p.patch.target);
  const seen = resourceVersionOf(current);
  if (p.state === 'applying' && p.rollback) {
    // A retry after a worker died mid-apply: if the write had landed, record it as applied; never write twice.
    const plan = JSON.parse(p.rollback) as RollbackPlan;
    if (plan.type !== 'delete' ? editedSinceApply(plan, current).length === 0 : current !== null) {
      await conclude(deps, p, 'applying', 'applied', ['applied', 'found applied after a worker restart'], {
        result: 'Patch applied; waiting for the rollout, then re-diagnosing.',
      });
      return verify(deps, p);
    }
  }
  const refused = disallowedReason(p.patch, creating) ?? protectedNamespaceReason(p.patch, deps.namespaces);
  if (refused) return conclude(deps, p, 'applying', 'failed', ['refused', refused], { result: `Refused: ${refused}` });
  if (creating ? current !== null : seen !== p.resourceVersion) {
    const what =
      current === null ? 'it no longer exists' : `resourceVersion ${p.resourceVersion ?? 'none'} → ${seen ?? 'none'}`;
    const detail = `changed since diagnosis (${what}); nothing was applied. Re-diagnose to get a fresh proposal.`;
    return conclude(deps, p, 'applying', 'failed', ['changed-since-diagnosis', detail], { result: detail });
  }
  const body = creating ? p.patch.patch : withPrecondition(p.patch, p.resourceVersion ?? '');
  try {
    await write(deps, p, body, true, creating);
  } catch (err) {
    const detail = `dry run refused by the API server: ${reasonOf(err)}; nothing was applied.`;
    return conclude(deps, p, 'applying', 'failed', ['dry-run', detail], { result: detail });
  }
  await record(deps, p, 'dry-run', p.approvedBy ?? '?', 'accepted');
  const plan = rollbackPlan(p.patch, current);
  // Kept before writing, so a retry can tell whether the write landed and still roll it back. A record
  // gone meanwhile (expired, lost) keeps nothing: then nothing is written that could not be rolled back.
  if (!(await deps.proposals.note(p.id, { rollback: JSON.stringify(plan) }))) return;
  try {
    await write(deps, p, body, false, creating);
  } catch (err) {
    const detail = `the API server refused the patch: ${reasonOf(err)}`;
    return conclude(deps, p, 'applying', 'failed', ['apply-failed', detail], { result: detail });
  }
  await conclude(deps, p, 'applying', 'applied', ['applied', `${p.patch.type} patch applied`], {
    result: 'Patch applied; waiting for the rollout, then re-diagnosing.',
  });
  await verify(deps, p);
}

async function verify(deps: RemediationDeps, p: Proposal): Promise<void> {
  const rollout = await waitForRollout(deps.objects, p.patch.target, deps.rollout);
  const outcome = await deps.verify(p);
  const rolloutNote =
    rollout === 'timeout' ? `The rollout did not finish within ${Math.round(deps.rollout.timeoutMs / 1000)} s. ` : '';
  const text = outcome.fixed
    ? `:white_check_mark: *Fixed*: ${rolloutNote}re-diagnosis no longer finds \`${p.runbook}\`. ${outcome.summary}`
    : `:warning: *Still failing*: ${rolloutNote}re-diagnosis after the patch: ${outcome.summary}`;
  if (await deps.posted.setIfAbsent(`${deps.keyPrefix}:posted:verify:${p.id}`, '1', POSTED_TTL_SECONDS)) {
    await deps.slack.postInThread(p.channel, p.threadTs, {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
    });
  }
  await deps.proposals.note(p.id, {
    result: outcome.fixed ? 'Applied; re-diagnosis: fixed.' : 'Applied; re-diagnosis: still failing.',
  });
  await record(deps, p, 'verified', 'mesh-doctor', outcome.fixed ? 'fixed' : `still failing: ${outcome.summary}`);
  await show(deps, p.id);
}

async function rollback(deps: RemediationDeps, p: Proposal): Promise<void> {
  if (p.state !== 'rolling-back' || !p.rollback) return;
  const plan = JSON.parse(p.rollback) as RollbackPlan;
  const current = await deps.objects.read(p.patch.target);
  const done = async (detail: string) =>
    conclude(deps, p, 'rolling-back', 'rolled-back', ['rolled-back', detail], { result: 'Previous values restored.' });
  const back = async (detail: string) =>
    conclude(deps, p, 'rolling-back', 'applied', ['rollback-failed', detail], { result: detail });
  const edited = editedSinceApply(plan, current);
  // A retry after a worker died mid-rollback: the write may have landed; never call that an edit.
  if (edited.length > 0 && restoredAlready(plan, current))
    return done('previous values found restored after a worker restart');
  if (edited.length > 0)
    return back(`rollback refused: changed since the apply (${edited.join(', ')}); restore it by hand.`);
  const run = async (dryRun: boolean) => {
    if (plan.type === 'delete') await deps.objects.delete(p.patch.target, dryRun);
    else await deps.objects.patch(p.patch.target, plan.type, plan.type === 'json' ? plan.ops : plan.patch, dryRun);
  };
  try {
    await run(true);
  } catch (err) {
    return back(`rollback dry run refused by the API server: ${reasonOf(err)}`);
  }
  try {
    await run(false);
  } catch (err) {
    return back(`the API server refused the rollback: ${reasonOf(err)}`);
  }
  await done('previous values restored');
}

/** Runs one remediation job. Safe to retry: every step checks the proposal's state first. */
export function remediationPipeline(deps: RemediationDeps): (data: RemediationJob) => Promise<string> {
  return async (data) => {
    const p = await deps.proposals.get(data.proposalId);
    if (!p) return 'unknown proposal';
    if (data.action === 'apply') await apply(deps, p);
    else await rollback(deps, p);
    return (await deps.proposals.get(p.id))?.state ?? 'unknown';
  };
}
