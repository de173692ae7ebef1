import { reasonOf } from '../collect/live/api-errors';
import type { AuditAction, AuditLog } from '../remediation/audit';
import type { ObjectAccess } from '../remediation/object-access';
import { resourceVersionOf, withPrecondition } from '../remediation/preconditions';
import type { Proposal, ProposalProgress, ProposalState, ProposalStep } from '../remediation/proposal';
import { stepsOf } from '../remediation/proposal';
import type { ProposalStore } from '../remediation/proposal-store';
import type { ProtectedNamespaces } from '../remediation/protected-namespaces';
import { protectedNamespaceReason } from '../remediation/protected-namespaces';
import { waitForRollout } from '../remediation/rollout';
import type { RollbackPlan } from '../remediation/touched-fields';
import { disallowedReason, editedSinceApply, restoredAlready, rollbackPlan } from '../remediation/touched-fields';
import type { PatchProposal } from '../diagnosis/evidence';
import type { Report } from '../diagnosis/evidence';
import { refText } from '../report/blocks-finding';
import { targetsOf } from '../report/blocks-proposal';
import { buildRootVerdictBlocks, rootVerdictOf } from '../report/blocks-root';
import { targetName } from '../report/verdict';
import type { PostedStore, SlackThreads } from './ports';
import { POSTED_TTL_SECONDS } from './ports';
import { proposalRedraw } from './propose';
import { MeshError } from '../util/errors';

/** A remediation job: apply an approved proposal, or roll an applied one back. */
export interface RemediationJob {
  action: 'apply' | 'rollback';
  proposalId: string;
  /** The proposal's cluster: the job goes to that cluster's queue (absent for proposals of older versions). */
  cluster?: string;
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
  verify(p: Proposal): Promise<{ fixed: boolean; summary: string; report?: Report }>;
  rollout: { timeoutMs: number; pollMs: number };
  /** Namespaces no patch may change (checked at apply time, whatever is stored). */
  namespaces: ProtectedNamespaces;
  /** The cluster this worker writes to: a proposal for another cluster is never applied here. */
  cluster?: string;
}

async function show(deps: RemediationDeps, id: string): Promise<void> {
  const p = await deps.proposals.get(id);
  if (p) await proposalRedraw(deps.slack)(p);
}

type Target = PatchProposal['target'];

async function record(
  deps: RemediationDeps,
  p: Proposal,
  action: AuditAction,
  actor: string,
  detail: string,
  target: Target | null = null,
) {
  // A step's record names its object; the proposal's names all of them, in order.
  await deps.audit.record({
    action,
    proposal: p.id,
    actor,
    target: target ? refText(target) : targetsOf(p),
    detail,
    ...(p.cluster ? { cluster: p.cluster } : {}),
  });
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

/** The rollback plans kept so far, one per step written (a single plan in older records). */
function plansOf(p: Proposal): RollbackPlan[] {
  if (!p.rollback) return [];
  const kept = JSON.parse(p.rollback) as RollbackPlan | RollbackPlan[];
  return Array.isArray(kept) ? kept : [kept];
}

const sameObject = (a: Target, b: Target) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? null) === (b.namespace ?? null);

/** `step 2 of 3 (Deployment shop/cart)`, or just the object for a one-step proposal. */
function stepName(i: number, count: number, step: ProposalStep): string {
  return count === 1 ? refText(step.patch.target) : `step ${i + 1} of ${count} (${refText(step.patch.target)})`;
}

/** Whether a step's write landed: the object holds what the step set (for a create, it exists). */
function landed(plan: RollbackPlan, current: Record<string, unknown> | null): boolean {
  return plan.type !== 'delete' ? editedSinceApply(plan, current).length === 0 : current !== null;
}

/** A step as the API server takes it: the patch with a resourceVersion precondition, or the object to create. */
function bodyOf(step: ProposalStep, resourceVersion: string | null): unknown {
  return step.resourceVersion === null ? step.patch.patch : withPrecondition(step.patch, resourceVersion ?? '');
}

async function write(deps: RemediationDeps, step: ProposalStep, body: unknown, dryRun: boolean): Promise<void> {
  if (step.resourceVersion === null) await deps.objects.create(step.patch.target, step.patch.patch, dryRun);
  else await deps.objects.patch(step.patch.target, step.patch.type, body, dryRun);
}

async function undo(deps: RemediationDeps, target: Target, plan: RollbackPlan, dryRun: boolean): Promise<void> {
  if (plan.type === 'delete') await deps.objects.delete(target, dryRun);
  else await deps.objects.patch(target, plan.type, plan.type === 'json' ? plan.ops : plan.patch, dryRun);
}

/**
 * Why a step may not be written now, or null: a refused kind of change, a protected namespace, or an
 * object changed since the diagnosis (not by an earlier step of the same proposal).
 */
function stepRefusal(
  deps: RemediationDeps,
  step: ProposalStep,
  current: Record<string, unknown> | null,
  touchedEarlier: boolean,
): { audit: AuditAction; detail: string } | null {
  const creating = step.resourceVersion === null;
  const refused = disallowedReason(step.patch, creating) ?? protectedNamespaceReason(step.patch, deps.namespaces);
  if (refused) return { audit: 'refused', detail: refused };
  if (touchedEarlier) return null;
  const seen = resourceVersionOf(current);
  if (creating ? current === null : seen === step.resourceVersion) return null;
  const what =
    current === null ? 'it no longer exists' : `resourceVersion ${step.resourceVersion ?? 'none'} → ${seen ?? 'none'}`;
  return {
    audit: 'changed-since-diagnosis',
    detail: `${refText(step.patch.target)} changed since diagnosis (${what}); nothing was applied. Re-diagnose to get a fresh proposal.`,
  };
}

/** Restores the steps written so far, last first; the words for the outcome. */
async function undoWritten(deps: RemediationDeps, p: Proposal, steps: ProposalStep[], plans: RollbackPlan[]) {
  const done: string[] = [];
  for (let i = plans.length - 1; i >= 0; i--) {
    const step = steps[i];
    const plan = plans[i];
    if (!step || !plan) continue;
    try {
      await undo(deps, step.patch.target, plan, false);
      await record(deps, p, 'rolled-back', 'mesh-doctor', 'restored after a later step failed', step.patch.target);
      done.push(refText(step.patch.target));
    } catch (err) {
      return `restoring ${refText(step.patch.target)} failed too (${reasonOf(err)}); restore ${[refText(step.patch.target), ...steps.slice(0, i).map((s) => refText(s.patch.target))].join(', ')} by hand`;
    }
  }
  return done.length > 0 ? `the steps written before it were restored (${done.join(', ')})` : 'nothing was changed';
}

/**
 * Applies an approved proposal's steps in order. Before anything is written, every step is checked
 * (allowed change, namespace, unchanged since diagnosis) and dry-run; then each is written with its
 * rollback plan kept first. A step the API server refuses stops the apply, and the steps written before it
 * are restored, last first. A retry after a worker died resumes after the steps whose writes landed.
 */
async function apply(deps: RemediationDeps, p: Proposal): Promise<void> {
  if (p.state === 'approved' && !(await deps.proposals.move(p.id, 'approved', 'applying'))) return;
  if (p.state !== 'approved' && p.state !== 'applying') return;
  const steps = stepsOf(p);
  const plans = p.state === 'applying' ? plansOf(p) : [];
  // A retry after a worker died mid-apply: keep the steps whose writes landed; never write them twice.
  let start = 0;
  while (
    start < plans.length &&
    landed(plans[start] as RollbackPlan, await deps.objects.read(steps[start]?.patch.target as Target))
  )
    start++;
  const kept = plans.slice(0, start);
  if (start === steps.length) {
    await conclude(deps, p, 'applying', 'applied', ['applied', 'found applied after a worker restart'], {
      result: 'Applied; waiting for the rollout, then re-diagnosing.',
    });
    return verify(deps, p);
  }
  const count = steps.length;
  for (let i = start; i < count; i++) {
    const step = steps[i] as ProposalStep;
    const touchedEarlier = steps.slice(0, i).some((s) => sameObject(s.patch.target, step.patch.target));
    const current = await deps.objects.read(step.patch.target);
    const refusal = stepRefusal(deps, step, current, touchedEarlier);
    if (refusal) {
      return conclude(deps, p, 'applying', 'failed', [refusal.audit, refusal.detail], {
        result: refusal.audit === 'refused' ? `Refused: ${refusal.detail}` : refusal.detail,
      });
    }
    if (touchedEarlier) continue; // its dry run would not see the earlier step's write: checked when written
    try {
      await write(deps, step, bodyOf(step, step.resourceVersion), true);
    } catch (err) {
      const detail = `dry run refused by the API server for ${stepName(i, count, step)}: ${reasonOf(err)}; nothing was applied.`;
      return conclude(deps, p, 'applying', 'failed', ['dry-run', detail], { result: detail });
    }
    await record(deps, p, 'dry-run', p.approvedBy ?? '?', `accepted: ${stepName(i, count, step)}`, step.patch.target);
  }
  for (let i = start; i < count; i++) {
    const step = steps[i] as ProposalStep;
    const current = await deps.objects.read(step.patch.target);
    const touchedEarlier = steps.slice(0, i).some((s) => sameObject(s.patch.target, step.patch.target));
    kept.push(rollbackPlan(step.patch, current));
    // Kept before writing, so a retry can tell whether the write landed and still roll it back. A record
    // gone meanwhile (expired, lost) keeps nothing: then nothing is written that could not be rolled back.
    if (!(await deps.proposals.note(p.id, { rollback: JSON.stringify(kept) }))) return;
    try {
      await write(deps, step, bodyOf(step, touchedEarlier ? resourceVersionOf(current) : step.resourceVersion), false);
    } catch (err) {
      const restored = i > 0 ? `; ${await undoWritten(deps, p, steps, kept.slice(0, -1))}` : '';
      const detail = `the API server refused ${stepName(i, count, step)}: ${reasonOf(err)}${restored}`;
      return conclude(deps, p, 'applying', 'failed', ['apply-failed', detail], { result: detail });
    }
    if (count > 1)
      await record(
        deps,
        p,
        'applied',
        p.approvedBy ?? '?',
        `${stepName(i, count, step)}: ${step.patch.type} patch applied`,
        step.patch.target,
      );
  }
  const what = count === 1 ? `${p.patch.type} patch applied` : `all ${count} steps applied in order`;
  await conclude(deps, p, 'applying', 'applied', ['applied', what], {
    result: `${count === 1 ? 'Patch applied' : `All ${count} steps applied`}; waiting for the rollout, then re-diagnosing.`,
  });
  await verify(deps, p);
}

async function verify(deps: RemediationDeps, p: Proposal): Promise<void> {
  const rollouts = [];
  for (const step of stepsOf(p)) rollouts.push(await waitForRollout(deps.objects, step.patch.target, deps.rollout));
  const outcome = await deps.verify(p);
  const rolloutNote = rollouts.includes('timeout')
    ? `The rollout did not finish within ${Math.round(deps.rollout.timeoutMs / 1000)} s. `
    : '';
  const text = outcome.fixed
    ? `:white_check_mark: *Fixed*: ${rolloutNote}re-diagnosis no longer finds \`${p.runbook}\`. ${outcome.summary}`
    : `:warning: *Still failing*: ${rolloutNote}re-diagnosis after the patch: ${outcome.summary}`;
  if (await deps.posted.setIfAbsent(`${deps.keyPrefix}:posted:verify:${p.id}`, '1', POSTED_TTL_SECONDS)) {
    const ts = await deps.slack.postInThread(p.channel, p.threadTs, {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
    });
    if (p.rootTs && outcome.report) {
      const verdict = rootVerdictOf(
        outcome.report,
        targetName(p.diagnosisTarget),
        await deps.slack.permalink(p.channel, ts),
      );
      await deps.slack.update(p.channel, p.rootTs, buildRootVerdictBlocks(verdict, p.requester));
    }
  }
  await deps.proposals.note(p.id, {
    result: outcome.fixed ? 'Applied; re-diagnosis: fixed.' : 'Applied; re-diagnosis: still failing.',
  });
  await record(deps, p, 'verified', 'mesh-doctor', outcome.fixed ? 'fixed' : `still failing: ${outcome.summary}`);
  await show(deps, p.id);
}

/**
 * Rolls back an applied proposal's steps in reverse order. Refused, writing nothing, when someone changed
 * a field a step set since the apply; every step's undo is dry-run before any is written. A retry after a
 * worker died skips the steps already restored.
 */
async function rollback(deps: RemediationDeps, p: Proposal): Promise<void> {
  if (p.state !== 'rolling-back' || !p.rollback) return;
  const plans = plansOf(p);
  const steps = stepsOf(p);
  const done = async (detail: string) =>
    conclude(deps, p, 'rolling-back', 'rolled-back', ['rolled-back', detail], { result: 'Previous values restored.' });
  const back = async (detail: string) =>
    conclude(deps, p, 'rolling-back', 'applied', ['rollback-failed', detail], { result: detail });
  const pending: Array<{ target: Target; plan: RollbackPlan }> = [];
  const edits: string[] = [];
  let restoredBefore = 0;
  for (let i = plans.length - 1; i >= 0; i--) {
    const plan = plans[i] as RollbackPlan;
    const target = (steps[i] as ProposalStep).patch.target;
    const current = await deps.objects.read(target);
    const edited = editedSinceApply(plan, current);
    // A retry after a worker died mid-rollback: the write may have landed; never call that an edit.
    if (edited.length > 0 && restoredAlready(plan, current)) restoredBefore++;
    else if (edited.length > 0) edits.push(`${refText(target)}: ${edited.join(', ')}`);
    else pending.push({ target, plan });
  }
  if (edits.length > 0)
    return back(`rollback refused: changed since the apply (${edits.join('; ')}); restore it by hand.`);
  if (pending.length === 0 && restoredBefore > 0) return done('previous values found restored after a worker restart');
  for (const { target, plan } of pending) {
    try {
      await undo(deps, target, plan, true);
    } catch (err) {
      return back(`rollback dry run of ${refText(target)} refused by the API server: ${reasonOf(err)}`);
    }
  }
  for (const [n, { target, plan }] of pending.entries()) {
    try {
      await undo(deps, target, plan, false);
    } catch (err) {
      const restored = pending.slice(0, n).map((s) => refText(s.target));
      const note = restored.length > 0 ? ` (already restored: ${restored.join(', ')})` : '';
      return back(`the API server refused the rollback of ${refText(target)}: ${reasonOf(err)}${note}`);
    }
  }
  await done(
    plans.length > 1 ? `previous values restored, last step first (${plans.length} steps)` : 'previous values restored',
  );
}

/** Runs one remediation job. Safe to retry: every step checks the proposal's state first. */
export function remediationPipeline(deps: RemediationDeps): (data: RemediationJob) => Promise<string> {
  return async (data) => {
    const p = await deps.proposals.get(data.proposalId);
    if (!p) return 'unknown proposal';
    // Routing sends a proposal's jobs to its cluster's workers; this holds even if a job went astray.
    if (p.cluster !== undefined && deps.cluster !== undefined && p.cluster !== deps.cluster) {
      throw new MeshError(
        'PROGRAMMING',
        `proposal ${p.id} is for cluster ${p.cluster}, this worker writes to ${deps.cluster}`,
      );
    }
    if (data.action === 'apply') await apply(deps, p);
    else await rollback(deps, p);
    return (await deps.proposals.get(p.id))?.state ?? 'unknown';
  };
}
