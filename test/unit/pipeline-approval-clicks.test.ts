import type { DiagnoseRequest } from '../../src/pipeline/request';
import type { ClickAction, ClickOrigin } from '../../src/pipeline/approval-clicks';
import { approvalClicks } from '../../src/pipeline/approval-clicks';
import type { ApprovalPolicy } from '../../src/remediation/approvers';
import type { AuditEntry } from '../../src/remediation/audit';
import type { Proposal, ProposalProgress, ProposalState } from '../../src/remediation/proposal';
import type { RemediationJob } from '../../src/pipeline/remediate';
import { ID, memoryAuditLog, memoryProposalStore, NOW, REQUESTER, spec } from '../helpers/memory-remediation';

const APPROVER = 'U0APPROVER';
const OTHER_APPROVER = 'U0SECOND';
const STRANGER = 'U0STRANGER';
/** Where the proposal message of `spec()` is: its channel and diagnosis thread. */
const HOME: ClickOrigin = {
  team: 'T0HOME',
  channel: 'C0INCIDENTS',
  threadTs: '1748779200.000100',
  messageTs: '1748779300.000200',
};

interface SetupOptions {
  state?: ProposalState;
  progress?: Partial<ProposalProgress>;
  /** Makes the requester an approver too. */
  requesterApproves?: boolean;
  allowSelfApproval?: boolean;
}

function setup(options: SetupOptions = {}) {
  const policy: ApprovalPolicy = {
    users: options.requesterApproves ? [APPROVER, OTHER_APPROVER, REQUESTER] : [APPROVER, OTHER_APPROVER],
    userGroups: ['S0SRE'],
    allowSelfApproval: options.allowSelfApproval ?? false,
  };
  const proposals = memoryProposalStore();
  const audit = memoryAuditLog();
  const remediationJobs: RemediationJob[] = [];
  const diagnosisJobs: DiagnoseRequest[] = [];
  const redrawn: Proposal[] = [];
  const gone: string[] = [];
  const approverChecks: string[] = [];
  proposals.put({ ...spec(), state: options.state ?? 'proposed', ...options.progress });
  const clickFrom = approvalClicks({
    proposals,
    audit,
    policy,
    isApprover: async (user) => {
      approverChecks.push(user);
      return policy.users.includes(user);
    },
    enqueueRemediation: async (job) => {
      remediationJobs.push(job);
    },
    enqueueDiagnosis: async (job) => {
      diagnosisJobs.push(job);
      return { id: 'job-1' };
    },
    redraw: async (p) => {
      redrawn.push(p);
    },
    redrawGone: async (channel, ts, id) => {
      gone.push(`${channel} ${ts} ${id}`);
    },
    now: () => NOW,
  });
  /** A click on the proposal's own message, unless `origin` says otherwise. */
  const click = (action: ClickAction, id: string, user: string, origin: ClickOrigin = HOME) =>
    clickFrom(action, id, user, origin);
  return { click, proposals, audit, remediationJobs, diagnosisJobs, redrawn, gone, approverChecks };
}

const TARGET = 'Deployment shop/cart';
const actions = (entries: AuditEntry[]) => entries.map((e) => e.action);

describe('approval clicks: approve', () => {
  it('moves the proposal to approved, queues one apply, audits and redraws', async () => {
    const s = setup();

    const answer = await s.click('approve', ID, APPROVER);

    const stored = await s.proposals.get(ID);
    const approvedAt = new Date(NOW).toISOString();
    expect(answer).toBeNull();
    expect(stored).toMatchObject({ state: 'approved', approvedBy: APPROVER, approvedAt });
    expect(s.remediationJobs).toEqual([{ action: 'apply', proposalId: ID }]);
    expect(s.audit.entries).toEqual([
      { at: approvedAt, action: 'approved', proposal: ID, actor: APPROVER, target: TARGET, detail: 'apply queued' },
    ]);
    expect(s.redrawn).toHaveLength(1);
    expect(s.redrawn[0]).toMatchObject({ id: ID, state: 'approved', approvedBy: APPROVER, approvedAt });
  });

  it('refuses a user who is not an approver, and records the refusal', async () => {
    const s = setup();

    const answer = await s.click('approve', ID, STRANGER);

    expect(answer).toBe(
      ':no_entry: You are not an approver, so you cannot approve this patch. Approvers are listed in MESH_APPROVERS (users or user groups).',
    );
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'proposed' });
    expect(s.audit.entries).toMatchObject([{ action: 'refused', actor: STRANGER, proposal: ID, target: TARGET }]);
    expect(s.audit.entries[0]?.detail).toMatch(/^You are not an approver/);
    expect(s.remediationJobs).toEqual([]);
    expect(s.redrawn).toEqual([]);
  });

  it('refuses the requester even when an approver, unless self-approval is allowed', async () => {
    const strict = setup({ requesterApproves: true });
    const lenient = setup({ requesterApproves: true, allowSelfApproval: true });

    const refused = await strict.click('approve', ID, REQUESTER);
    const allowed = await lenient.click('approve', ID, REQUESTER);

    expect(refused).toBe(
      ':no_entry: You asked for this diagnosis, so another approver must approve its patch (MESH_ALLOW_SELF_APPROVAL is off).',
    );
    expect(await strict.proposals.get(ID)).toMatchObject({ state: 'proposed' });
    expect(actions(strict.audit.entries)).toEqual(['refused']);
    expect(strict.remediationJobs).toEqual([]);
    expect(allowed).toBeNull();
    expect(await lenient.proposals.get(ID)).toMatchObject({ state: 'approved', approvedBy: REQUESTER });
    expect(lenient.remediationJobs).toEqual([{ action: 'apply', proposalId: ID }]);
  });

  it('refuses a requester who is not an approver even with self-approval allowed', async () => {
    const s = setup({ allowSelfApproval: true });

    const answer = await s.click('approve', ID, REQUESTER);

    expect(answer).toMatch(/^:no_entry: You are not an approver/);
    expect(s.remediationJobs).toEqual([]);
  });

  it('refuses a second approval: the first one wins and only one apply is queued', async () => {
    const s = setup();

    const first = await s.click('approve', ID, APPROVER);
    const second = await s.click('approve', ID, OTHER_APPROVER);

    expect(first).toBeNull();
    expect(second).toBe(':no_entry: This proposal is already approved.');
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'approved', approvedBy: APPROVER });
    expect(s.remediationJobs).toEqual([{ action: 'apply', proposalId: ID }]);
    expect(actions(s.audit.entries)).toEqual(['approved', 'refused']);
    expect(s.redrawn).toHaveLength(1);
  });

  it('lets only one of two simultaneous approvals through (compare-and-set)', async () => {
    const s = setup();

    const answers = await Promise.all([s.click('approve', ID, APPROVER), s.click('approve', ID, OTHER_APPROVER)]);

    expect(answers).toEqual([null, ':no_entry: Someone else decided on this proposal first.']);
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'approved', approvedBy: APPROVER });
    expect(s.remediationJobs).toEqual([{ action: 'apply', proposalId: ID }]);
    expect(s.proposals.moves).toEqual(['proposed->approved']);
    expect(s.audit.entries).toMatchObject([
      { action: 'approved', actor: APPROVER },
      { action: 'refused', actor: OTHER_APPROVER, detail: 'Someone else decided on this proposal first.' },
    ]);
    expect(s.redrawn).toHaveLength(1);
  });

  it('lets only one of a simultaneous approval and rejection through', async () => {
    const s = setup();

    const answers = await Promise.all([s.click('reject', ID, REQUESTER), s.click('approve', ID, APPROVER)]);

    expect(answers).toEqual([null, ':no_entry: Someone else decided on this proposal first.']);
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'rejected', rejectedBy: REQUESTER });
    expect(s.remediationJobs).toEqual([]);
  });

  it('expires a proposal past its expiry instead of approving it', async () => {
    const s = setup();
    s.proposals.put({ ...spec({ expiresAt: new Date(NOW - 1).toISOString() }), state: 'proposed' });

    const answer = await s.click('approve', ID, APPROVER);

    expect(answer).toBe(':no_entry: This proposal is expired.');
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'expired' });
    expect(s.audit.entries).toMatchObject([
      { action: 'expired', actor: APPROVER, detail: `expired at ${new Date(NOW - 1).toISOString()}` },
      { action: 'refused', actor: APPROVER, detail: 'This proposal is expired.' },
    ]);
    expect(s.redrawn).toMatchObject([{ id: ID, state: 'expired' }]);
    expect(s.remediationJobs).toEqual([]);
  });

  it('treats the exact expiry time as expired', async () => {
    const s = setup();
    s.proposals.put({ ...spec({ expiresAt: new Date(NOW).toISOString() }), state: 'proposed' });

    const answer = await s.click('approve', ID, APPROVER);

    expect(answer).toBe(':no_entry: This proposal is expired.');
    expect(s.remediationJobs).toEqual([]);
  });

  it.each<[ProposalState, string]>([
    ['rejected', 'already rejected'],
    ['applied', 'already applied'],
    ['failed', 'closed: it could not be applied'],
    ['rolled-back', 'already rolled back'],
  ])('refuses to approve a proposal that is %s', async (state, words) => {
    const s = setup({ state });

    const answer = await s.click('approve', ID, APPROVER);

    expect(answer).toBe(`:no_entry: This proposal is ${words}.`);
    expect(await s.proposals.get(ID)).toMatchObject({ state });
    expect(s.remediationJobs).toEqual([]);
  });
});

describe('approval clicks: reject', () => {
  it('lets the requester reject without being an approver', async () => {
    const s = setup();

    const answer = await s.click('reject', ID, REQUESTER);

    expect(answer).toBeNull();
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'rejected', rejectedBy: REQUESTER });
    expect(s.audit.entries).toMatchObject([{ action: 'rejected', actor: REQUESTER, target: TARGET }]);
    expect(s.redrawn).toMatchObject([{ state: 'rejected', rejectedBy: REQUESTER }]);
    expect(s.remediationJobs).toEqual([]);
    expect(s.approverChecks).toEqual([]);
  });

  it('lets an approver reject', async () => {
    const s = setup();

    const answer = await s.click('reject', ID, APPROVER);

    expect(answer).toBeNull();
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'rejected', rejectedBy: APPROVER });
  });

  it('refuses a stranger', async () => {
    const s = setup();

    const answer = await s.click('reject', ID, STRANGER);

    expect(answer).toBe(':no_entry: Only an approver or the person who asked for the diagnosis can reject it.');
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'proposed' });
    expect(s.audit.entries).toMatchObject([{ action: 'refused', actor: STRANGER }]);
    expect(s.redrawn).toEqual([]);
  });

  it('cannot reject an approved proposal', async () => {
    const s = setup();
    await s.click('approve', ID, APPROVER);

    const answer = await s.click('reject', ID, REQUESTER);

    expect(answer).toBe(':no_entry: This proposal is already approved.');
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'approved' });
  });
});

describe('approval clicks: rollback', () => {
  const applied = { state: 'applied' as const, progress: { approvedBy: APPROVER, rollback: '{"type":"merge"}' } };

  it('moves an applied proposal to rolling-back and queues one rollback', async () => {
    const s = setup(applied);

    const answer = await s.click('rollback', ID, OTHER_APPROVER);

    expect(answer).toBeNull();
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'rolling-back', rolledBackBy: OTHER_APPROVER });
    expect(s.remediationJobs).toEqual([{ action: 'rollback', proposalId: ID }]);
    expect(s.audit.entries).toMatchObject([
      { action: 'rollback-approved', actor: OTHER_APPROVER, target: TARGET, detail: 'rollback queued' },
    ]);
    expect(s.redrawn).toMatchObject([{ state: 'rolling-back', rolledBackBy: OTHER_APPROVER }]);
  });

  it.each<[ProposalState, string]>([
    ['proposed', 'waiting for approval'],
    ['approved', 'already approved'],
    ['applying', 'already being applied'],
    ['rolling-back', 'already being rolled back'],
    ['rolled-back', 'already rolled back'],
  ])('refuses a rollback of a proposal that is %s', async (state, words) => {
    const s = setup({ state });

    const answer = await s.click('rollback', ID, APPROVER);

    expect(answer).toBe(`:no_entry: This proposal is ${words}.`);
    expect(await s.proposals.get(ID)).toMatchObject({ state });
    expect(s.remediationJobs).toEqual([]);
    expect(actions(s.audit.entries)).toEqual(['refused']);
  });

  it('refuses a rollback by someone who is not an approver', async () => {
    const s = setup(applied);

    const answer = await s.click('rollback', ID, STRANGER);

    expect(answer).toBe(
      ':no_entry: You are not an approver, so you cannot roll back this patch. Approvers are listed in MESH_APPROVERS (users or user groups).',
    );
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'applied' });
    expect(s.remediationJobs).toEqual([]);
  });

  it('refuses a rollback by the requester unless self-approval is allowed', async () => {
    const strict = setup({ ...applied, requesterApproves: true });
    const lenient = setup({ ...applied, requesterApproves: true, allowSelfApproval: true });

    const refused = await strict.click('rollback', ID, REQUESTER);
    const allowed = await lenient.click('rollback', ID, REQUESTER);

    expect(refused).toBe(
      ':no_entry: You asked for this diagnosis, so another approver must roll back its patch (MESH_ALLOW_SELF_APPROVAL is off).',
    );
    expect(strict.remediationJobs).toEqual([]);
    expect(allowed).toBeNull();
    expect(lenient.remediationJobs).toEqual([{ action: 'rollback', proposalId: ID }]);
  });

  it('queues only one rollback for two clicks', async () => {
    const s = setup(applied);

    const first = await s.click('rollback', ID, APPROVER);
    const second = await s.click('rollback', ID, OTHER_APPROVER);

    expect(first).toBeNull();
    expect(second).toBe(':no_entry: This proposal is already being rolled back.');
    expect(s.remediationJobs).toEqual([{ action: 'rollback', proposalId: ID }]);
  });
  it('queues only one rollback for two simultaneous clicks', async () => {
    const s = setup(applied);

    const answers = await Promise.all([s.click('rollback', ID, APPROVER), s.click('rollback', ID, OTHER_APPROVER)]);

    expect(answers).toEqual([null, ':no_entry: Someone else acted on this proposal first.']);
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'rolling-back', rolledBackBy: APPROVER });
    expect(s.remediationJobs).toEqual([{ action: 'rollback', proposalId: ID }]);
  });
});

describe('approval clicks: rediagnose', () => {
  it("queues a diagnosis of the proposal's target in its thread, for the original requester, and audits the clicker", async () => {
    const s = setup({ state: 'failed' });

    const answer = await s.click('rediagnose', ID, APPROVER);

    expect(answer).toBeNull();
    expect(s.diagnosisJobs).toEqual([
      {
        target: { namespace: 'shop', workload: 'cart' },
        scope: 'all',
        requestedBy: REQUESTER,
        channel: 'C0INCIDENTS',
        threadTs: '1748779200.000100',
        requestKey: `rediagnose:${ID}:${APPROVER}:${Math.floor(NOW / 60_000)}`,
      },
    ]);
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'failed' });
    expect(s.remediationJobs).toEqual([]);
    expect(s.audit.entries).toMatchObject([
      {
        action: 'rediagnosed',
        actor: APPROVER,
        target: TARGET,
        detail: `re-diagnosis of ${REQUESTER}'s request queued`,
      },
    ]);
  });

  it('keeps the workspace of the original request', async () => {
    const s = setup({ state: 'failed' });
    s.proposals.put({ ...spec({ team: 'T0HOME' }), state: 'failed' });

    await s.click('rediagnose', ID, APPROVER);

    expect(s.diagnosisJobs).toMatchObject([{ team: 'T0HOME', requestedBy: REQUESTER }]);
  });

  it('refuses a stranger, audited, and queues nothing', async () => {
    const s = setup({ state: 'failed' });

    const answer = await s.click('rediagnose', ID, STRANGER);

    expect(answer).toBe(
      ':no_entry: You are not an approver, so you cannot re-diagnose this patch. Approvers are listed in MESH_APPROVERS (users or user groups).',
    );
    expect(s.diagnosisJobs).toEqual([]);
    expect(s.audit.entries).toMatchObject([{ action: 'refused', actor: STRANGER }]);
  });

  it('follows the self-approval rule as Approve does', async () => {
    const strict = setup({ state: 'failed', requesterApproves: true });
    const lenient = setup({ state: 'failed', requesterApproves: true, allowSelfApproval: true });

    expect(await strict.click('rediagnose', ID, REQUESTER)).toMatch(/^:no_entry: You asked for this diagnosis/);
    expect(await lenient.click('rediagnose', ID, REQUESTER)).toBeNull();
    expect(strict.diagnosisJobs).toEqual([]);
    expect(lenient.diagnosisJobs).toMatchObject([{ requestedBy: REQUESTER }]);
  });

  it("a stranger's re-diagnosis cannot make an approver-requester able to approve the next proposal", async () => {
    // The requester is an approver; before, a stranger's click made the stranger the requester.
    const s = setup({ state: 'failed', requesterApproves: true });

    await s.click('rediagnose', ID, STRANGER);
    await s.click('rediagnose', ID, OTHER_APPROVER);

    expect(s.diagnosisJobs.map((j) => j.requestedBy)).toEqual([REQUESTER]);
  });

  it('re-diagnoses an expired proposal without moving it', async () => {
    const s = setup();
    s.proposals.put({ ...spec({ expiresAt: new Date(NOW - 60_000).toISOString() }), state: 'proposed' });

    const answer = await s.click('rediagnose', ID, APPROVER);

    expect(answer).toBeNull();
    expect(s.diagnosisJobs).toHaveLength(1);
    expect(await s.proposals.get(ID)).toMatchObject({ state: 'proposed' });
  });
});

describe('approval clicks: where the click came from', () => {
  it.each<[string, ClickOrigin, string]>([
    ['another channel', { ...HOME, channel: 'C0ELSEWHERE' }, 'channel'],
    ['another thread', { ...HOME, threadTs: '1748779999.000900' }, 'thread'],
    ['no thread (a message outside the diagnosis thread)', { ...HOME, threadTs: undefined }, 'thread'],
    ['another workspace', { ...HOME, team: 'T0OTHER' }, 'workspace'],
    ['no workspace', { ...HOME, team: undefined }, 'workspace'],
  ])('refuses a click from %s, audited, for every action', async (_what, origin, where) => {
    for (const action of ['approve', 'reject', 'rollback', 'rediagnose'] as const) {
      const s = setup({ state: action === 'rollback' ? 'applied' : 'proposed' });
      s.proposals.put({ ...spec({ team: 'T0HOME' }), state: action === 'rollback' ? 'applied' : 'proposed' });

      const answer = await s.click(action, ID, APPROVER, origin);

      const reason = `This click came from another ${where} than the proposal's message; nothing was changed.`;
      expect(answer).toBe(`:no_entry: ${reason}`);
      expect(s.audit.entries).toMatchObject([{ action: 'refused', actor: APPROVER, detail: reason }]);
      expect(s.remediationJobs).toEqual([]);
      expect(s.diagnosisJobs).toEqual([]);
      expect(s.redrawn).toEqual([]);
      expect((await s.proposals.get(ID))?.state).toBe(action === 'rollback' ? 'applied' : 'proposed');
    }
  });

  it('accepts a click from the same workspace, channel and thread', async () => {
    const s = setup();
    s.proposals.put({ ...spec({ team: 'T0HOME' }), state: 'proposed' });

    expect(await s.click('approve', ID, APPROVER)).toBeNull();
    expect(s.remediationJobs).toEqual([{ action: 'apply', proposalId: ID }]);
  });

  it('does not compare workspaces for a proposal stored without one (alerts, older bots)', async () => {
    const s = setup();

    expect(await s.click('approve', ID, APPROVER, { ...HOME, team: 'T0ANY' })).toBeNull();
  });
});

describe('approval clicks: proposals no longer stored', () => {
  it.each<ClickAction>(['approve', 'reject', 'rollback', 'rediagnose'])(
    'refuses %s of an unknown proposal, audits it, and redraws the clicked message without buttons',
    async (action) => {
      const s = setup();

      const answer = await s.click(action, 'p_unknown000000000', APPROVER);

      expect(answer).toBe(':no_entry: This proposal is no longer stored (expired or lost); run the diagnosis again.');
      expect(s.audit.entries).toMatchObject([
        { action: 'refused', proposal: 'p_unknown000000000', actor: APPROVER, target: '?' },
      ]);
      expect(s.gone).toEqual([`C0INCIDENTS ${HOME.messageTs} p_unknown000000000`]);
      expect(s.remediationJobs).toEqual([]);
      expect(s.diagnosisJobs).toEqual([]);
      expect(s.redrawn).toEqual([]);
    },
  );

  it('redraws nothing when the click did not come from a proposal message', async () => {
    const s = setup();

    await s.click('approve', 'p_unknown000000000', APPROVER, { ...HOME, messageTs: undefined });

    expect(s.gone).toEqual([]);
  });
});
