import { randomBytes } from 'node:crypto';
import type { Evidence, ObjectRef, Report } from '../diagnosis/evidence';
import type { AuditLog } from '../remediation/audit';
import type { KubeObject } from '../diagnosis/kube-types';
import type { Proposal, ProposalSpec, ProposalStep } from '../remediation/proposal';
import { patchSummary } from '../report/patch-summary';
import { redactDeep } from '../report/redact';
import { stepsOf } from '../remediation/proposal';
import type { Catalog } from '../runbooks/catalog';
import type { ProposalStore } from '../remediation/proposal-store';
import { buildGoneProposalBlocks, buildProposalBlocks, targetsOf } from '../report/blocks-proposal';
import type { Clock, SlackThreads } from './ports';
import type { DiagnoseRequest } from './request';

/** Where proposals go when approvals are on. */
export interface ProposalPorts {
  proposals: ProposalStore;
  audit: AuditLog;
  /** How long a proposal may be approved in. */
  ttlMs: number;
}

/** An opaque, unguessable id: buttons carry these, never the patch. */
function opaqueId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * One id per finding with patches (its fix), by finding index, for reports posted without approvals (the
 * buttons then only identify what was clicked).
 */
export function proposalIdsFor(report: Report): Map<number, string> {
  const ids = new Map<number, string>();
  report.findings.forEach((f, i) => {
    if (f.remediation.patches.length > 0) ids.set(i, opaqueId());
  });
  return ids;
}

/** The object a patch targets, as the diagnosis read it; null when it was not there. */
export function objectIn(evidence: Evidence, t: ObjectRef): KubeObject | null {
  return (
    (evidence.objects.get(t.kind) ?? []).find(
      (o) => o.metadata?.name === t.name && (o.metadata?.namespace ?? null) === (t.namespace ?? null),
    ) ?? null
  );
}

/**
 * One proposal per finding with patches: its patches are the ordered steps of one fix (label the namespace,
 * then restart), approved once, applied in order and rolled back in reverse. Each is stored, audited, and
 * posted in the thread with Approve / Reject and the runbook's risk.
 */
export async function proposePatches(
  deps: { slack: SlackThreads; now: Clock; catalog: Catalog; cluster?: string },
  approvals: ProposalPorts,
  request: DiagnoseRequest,
  report: Report,
  evidence: Evidence,
): Promise<void> {
  const now = deps.now();
  for (const finding of report.findings) {
    const [first, ...later] = finding.remediation.patches.map((patch): ProposalStep => {
      const current = objectIn(evidence, patch.target);
      return {
        patch,
        resourceVersion: current ? (current.metadata?.resourceVersion ?? null) : null,
        summary: patchSummary(redactDeep(patch), current ? redactDeep(current as Record<string, unknown>) : null),
      };
    });
    if (!first) continue;
    const risk = deps.catalog.entries.get(finding.runbook)?.patch?.risk;
    const spec: ProposalSpec = {
      id: opaqueId(),
      runbook: finding.runbook,
      title: finding.title,
      ...first,
      ...(later.length > 0 ? { laterSteps: later } : {}),
      ...(risk ? { risk } : {}),
      diagnosisTarget: request.target,
      ...(deps.cluster ? { cluster: deps.cluster } : {}),
      requester: request.requestedBy,
      ...(request.team ? { team: request.team } : {}),
      channel: request.channel,
      threadTs: request.threadTs,
      ...(request.rootTs ? { rootTs: request.rootTs } : {}),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + approvals.ttlMs).toISOString(),
    };
    await approvals.proposals.create(spec);
    const steps = stepsOf(spec);
    await approvals.audit.record({
      action: 'proposed',
      proposal: spec.id,
      actor: request.requestedBy,
      target: targetsOf(spec),
      detail: `${finding.runbook}: ${steps.map((s) => `${s.patch.type} patch`).join(', then ')}`,
      ...(spec.cluster ? { cluster: spec.cluster } : {}),
    });
    const ts = await deps.slack.postInThread(
      request.channel,
      request.threadTs,
      buildProposalBlocks({ ...spec, state: 'proposed' }),
    );
    await approvals.proposals.note(spec.id, { messageTs: ts });
  }
}

/** Redraws a proposal's message from its state (when it was posted). */
export function proposalRedraw(slack: Pick<SlackThreads, 'update'>): (p: Proposal) => Promise<void> {
  return async (p) => {
    if (p.messageTs) await slack.update(p.channel, p.messageTs, buildProposalBlocks(p));
  };
}

/** Redraws the message of a proposal whose record is gone: the reason, without buttons. */
export function goneProposalRedraw(
  slack: Pick<SlackThreads, 'update'>,
): (channel: string, messageTs: string, id: string) => Promise<void> {
  return (channel, messageTs, id) => slack.update(channel, messageTs, buildGoneProposalBlocks(id));
}
