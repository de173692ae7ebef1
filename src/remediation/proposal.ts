import type { PatchProposal, Target } from '../diagnosis/evidence';

/**
 * proposed → approved → applying → applied | failed; proposed → rejected | expired;
 * applied → rolling-back → rolled-back (or back to applied when the rollback could not be made).
 */
export const PROPOSAL_STATES = [
  'proposed',
  'approved',
  'applying',
  'applied',
  'failed',
  'rejected',
  'expired',
  'rolling-back',
  'rolled-back',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const TRANSITIONS: Record<ProposalState, readonly ProposalState[]> = {
  proposed: ['approved', 'rejected', 'expired'],
  approved: ['applying', 'failed'],
  applying: ['applied', 'failed'],
  applied: ['rolling-back'],
  'rolling-back': ['rolled-back', 'applied'],
  failed: [],
  rejected: [],
  expired: [],
  'rolled-back': [],
};

/** One change of a proposal: a catalog patch on one object, and that object's resourceVersion when diagnosed. */
export interface ProposalStep {
  patch: PatchProposal;
  /** null when the object did not exist (a create). */
  resourceVersion: string | null;
  /** What it changes in one line, worded against the object as read when diagnosed (older records have none). */
  summary?: string;
}

/** What is fixed when a proposal is made; never changes afterwards. */
export interface ProposalSpec {
  id: string;
  runbook: string;
  title: string;
  /**
   * The first step: the object and patch, built by a catalog patch template (kept here, not in a list, so
   * records made before proposals had several steps read the same).
   */
  patch: PatchProposal;
  /** The first step's object resourceVersion when diagnosed; null when it did not exist (a create). */
  resourceVersion: string | null;
  /** The first step's change in one line (see ProposalStep.summary). */
  summary?: string;
  /** The steps after the first, applied in order after it and rolled back in reverse; absent for one step. */
  laterSteps?: ProposalStep[];
  /** The runbook's words on what applying the fix risks (shown beside Approve and in the confirmations). */
  risk?: string;
  /** The root message of the diagnosis thread mesh-doctor owns, when it owns one (its verdict is redrawn). */
  rootTs?: string;
  /** The diagnosis the proposal came from, re-run after an apply. */
  diagnosisTarget: Target;
  /** The cluster the patch is for: only a worker serving it applies it (absent in older proposals). */
  cluster?: string;
  requester: string;
  /** The Slack workspace of the diagnosis request, when it said (proposals made before it was kept have none). */
  team?: string;
  channel: string;
  /** The diagnosis thread the proposal message is posted in. */
  threadTs: string;
  createdAt: string;
  expiresAt: string;
}

/** What changes as the proposal moves on. */
export interface ProposalProgress {
  state: ProposalState;
  /** The proposal message in the thread (set once posted). */
  messageTs?: string;
  approvedBy?: string;
  approvedAt?: string;
  rejectedBy?: string;
  rolledBackBy?: string;
  /** The last outcome in words ("applied", "dry run refused: …"). */
  result?: string;
  /**
   * How to undo each step written so far, in step order (JSON: an array of RollbackPlan; a single plan in
   * records written before proposals had several steps), with the values each set (to detect later edits).
   */
  rollback?: string;
  updatedAt?: string;
}

export type Proposal = ProposalSpec & ProposalProgress;

export function canMove(from: ProposalState, to: ProposalState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isExpired(p: Pick<Proposal, 'state' | 'expiresAt'>, nowMs: number): boolean {
  return p.state === 'proposed' && Date.parse(p.expiresAt) <= nowMs;
}

/** Every step of a proposal, in the order they are applied. */
export function stepsOf(p: Pick<ProposalSpec, 'patch' | 'resourceVersion' | 'summary' | 'laterSteps'>): ProposalStep[] {
  const first: ProposalStep = { patch: p.patch, resourceVersion: p.resourceVersion };
  if (p.summary !== undefined) first.summary = p.summary;
  return [first, ...(p.laterSteps ?? [])];
}
