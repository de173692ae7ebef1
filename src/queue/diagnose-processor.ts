import { randomBytes } from 'node:crypto';
import type { IncidentStore } from '../alerts/incident-store';
import type { AuditLog } from '../remediation/audit';
import { refText } from '../report/blocks-finding';
import type { ProposalSpec } from '../remediation/proposal';
import { PROPOSAL_TTL_MS } from '../remediation/proposal';
import type { ProposalStore } from '../remediation/proposal-store';
import { buildProposalBlocks } from '../report/blocks-proposal';
import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { diagnose } from '../diagnosis/engine';
import type { Check, Evidence, Report, Target } from '../diagnosis/evidence';
import type { Catalog } from '../runbooks/catalog';
import { buildProgressBlocks, buildReportBlocks } from '../report/blocks';
import type { DiagnoseJob } from './jobs';
import { diagnoseJobSchema, SCOPE_RUNBOOKS } from './jobs';
import type { PostedStore, ReportPoster } from './report-poster';

/** What a worker needs to run diagnoses. */
export interface DiagnoseDeps {
  catalog: Catalog;
  collect: (target: Target) => Promise<{ evidence: Evidence; checks: Check[] }>;
  poster: ReportPoster;
  posted: PostedStore;
  /** Prefix for the keys of posted messages (the queue's hash tag, so they live in one cluster slot). */
  keyPrefix: string;
  /** Incident threads of alerts: an alert's report is posted only when its findings changed. */
  incidents?: IncidentStore;
  /** Present when approvals are on: where proposals and their audit records go. */
  approvals?: { proposals: ProposalStore; audit: AuditLog; ttlMs?: number; now?: () => number };
}

const POSTED_TTL_SECONDS = 14 * 24 * 3600;

export class ClusterUnreachableError extends Error {
  override readonly name = 'ClusterUnreachableError';
}

/** Keeps the findings and runbook checks of a narrowed request (`injection`, `webhooks`); other checks stay. */
function narrow(report: Report, scope: DiagnoseJob['scope'], catalog: Catalog): Report {
  if (scope === 'all') return report;
  const keep = new Set(SCOPE_RUNBOOKS[scope]);
  return {
    ...report,
    findings: report.findings.filter((f) => keep.has(f.runbook)),
    checks: report.checks.filter((c) => !catalog.entries.has(c.id) || keep.has(c.id)),
  };
}

/**
 * One opaque, unguessable id per proposed patch; buttons carry these, never the patch. (Until approvals
 * are configured, they only identify the button that was clicked.)
 */
function proposalIdsFor(report: Report): Map<number, string[]> {
  const ids = new Map<number, string[]>();
  report.findings.forEach((f, i) => {
    if (f.remediation.patches.length > 0)
      ids.set(
        i,
        f.remediation.patches.map(() => randomBytes(18).toString('base64url')),
      );
  });
  return ids;
}

/** What the findings are about, without times or wording: equal when an alert's diagnosis has nothing new. */
function findingsSignature(report: Report): string {
  return report.findings
    .map(
      (f) =>
        `${f.runbook}@${f.resources
          .map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)
          .sort()
          .join(',')}`,
    )
    .sort()
    .join(';');
}

function resourceVersionIn(evidence: Evidence, t: { kind: string; namespace: string | null; name: string }) {
  const found = (evidence.objects.get(t.kind) ?? []).find(
    (o) => o.metadata?.name === t.name && (o.metadata?.namespace ?? null) === (t.namespace ?? null),
  );
  return found ? (found.metadata?.resourceVersion ?? null) : null;
}

/** One proposal per patch: stored in Redis, audited, and posted in the thread with Approve / Reject. */
async function propose(
  deps: DiagnoseDeps,
  approvals: NonNullable<DiagnoseDeps['approvals']>,
  data: DiagnoseJob,
  report: Report,
  evidence: Evidence,
): Promise<void> {
  const now = approvals.now?.() ?? Date.now();
  for (const finding of report.findings) {
    for (const patch of finding.remediation.patches) {
      const spec: ProposalSpec = {
        id: randomBytes(18).toString('base64url'),
        runbook: finding.runbook,
        title: finding.title,
        patch,
        resourceVersion: resourceVersionIn(evidence, patch.target),
        diagnosisTarget: data.target,
        requester: data.requestedBy,
        channel: data.channel,
        threadTs: data.threadTs,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + (approvals.ttlMs ?? PROPOSAL_TTL_MS)).toISOString(),
      };
      await approvals.proposals.create(spec);
      await approvals.audit.record({
        action: 'proposed',
        proposal: spec.id,
        actor: data.requestedBy,
        target: refText(patch.target),
        detail: `${finding.runbook}: ${patch.type} patch`,
      });
      const ts = await deps.poster.postInThread(
        data.channel,
        data.threadTs,
        buildProposalBlocks({ ...spec, state: 'proposed' }),
      );
      await approvals.proposals.note(spec.id, { messageTs: ts });
    }
  }
}

/** The job's thread message: posted once (recorded in Redis), updated by every later step or retry. */
async function threadMessage(deps: DiagnoseDeps, job: Job<DiagnoseJob>, data: DiagnoseJob): Promise<string> {
  const key = `${deps.keyPrefix}:posted:${job.id}`;
  const existing = await deps.posted.get(key);
  const progress = { text: 'Diagnosing…', blocks: buildProgressBlocks('Reading the cluster and its logs…') };
  if (existing) {
    await deps.poster.update(data.channel, existing, progress);
    return existing;
  }
  const ts = await deps.poster.postInThread(data.channel, data.threadTs, progress);
  if (!(await deps.posted.setIfAbsent(key, ts, POSTED_TTL_SECONDS))) return (await deps.posted.get(key)) ?? ts;
  return ts;
}

/**
 * Runs one queued diagnosis: a progress message in the thread, live evidence, the engine, and the report
 * in place of the progress message. Bad payloads fail for good; an unreachable cluster is retried, and
 * on the last attempt the report says what could not be read.
 */
export function makeDiagnoseProcessor(
  deps: DiagnoseDeps,
): (job: Job<DiagnoseJob>) => Promise<{ findings: string[]; unchanged?: boolean }> {
  return async (job) => {
    const parsed = diagnoseJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid diagnosis job: ${parsed.error.issues[0]?.message ?? 'bad payload'}`);
    const data = parsed.data;
    // An alert's thread shows a report only when it says something new, so no progress message first.
    const incident = data.incidentKey && deps.incidents ? { key: data.incidentKey, store: deps.incidents } : null;
    const progressTs = incident ? null : await threadMessage(deps, job, data);
    const { evidence, checks } = await deps.collect(data.target);
    const reads = checks.filter((c) => c.id.startsWith('read:') && c.status !== 'skipped');
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (reads.length > 0 && reads.every((c) => c.status === 'error') && !lastAttempt) {
      throw new ClusterUnreachableError(`nothing could be read: ${reads[0]?.detail ?? ''}`);
    }
    const report = narrow(
      diagnose(evidence, deps.catalog, { target: data.target, collectionChecks: checks }),
      data.scope,
      deps.catalog,
    );
    const signature = findingsSignature(report);
    if (incident && (await incident.store.get(incident.key))?.findings === signature) {
      return { findings: report.findings.map((f) => f.runbook), unchanged: true };
    }
    const ts = progressTs ?? (await threadMessage(deps, job, data));
    const { approvals } = deps;
    const rendered = buildReportBlocks(report, {
      requestedBy: incident ? undefined : data.requestedBy,
      approvalsEnabled: approvals !== undefined,
      // With approvals on, each patch gets its own proposal message (below) carrying the buttons.
      proposalIds: approvals ? new Map() : proposalIdsFor(report),
    });
    await deps.poster.update(data.channel, ts, { text: rendered.text, blocks: rendered.blocks });
    if (
      rendered.overflow &&
      (await deps.posted.setIfAbsent(`${deps.keyPrefix}:uploaded:${job.id}`, '1', POSTED_TTL_SECONDS))
    ) {
      await deps.poster.uploadInThread(
        data.channel,
        data.threadTs,
        'mesh-doctor-report.txt',
        rendered.overflow,
        'Full report',
      );
    }
    if (incident) await incident.store.swapFindings(incident.key, signature);
    if (approvals && (await deps.posted.setIfAbsent(`${deps.keyPrefix}:proposed:${job.id}`, '1', POSTED_TTL_SECONDS))) {
      await propose(deps, approvals, data, report, evidence);
    }
    return { findings: report.findings.map((f) => f.runbook) };
  };
}
