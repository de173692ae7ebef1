import type { IncidentStore } from '../alerts/incident-store';
import { diagnose } from '../diagnosis/engine';
import type { Check, Evidence, Report } from '../diagnosis/evidence';
import { buildAlertRootBlocks } from '../report/blocks-alert';
import { buildProgressBlocks, buildReportBlocks } from '../report/blocks';
import { buildRootVerdictBlocks, rootVerdictOf } from '../report/blocks-root';
import { redactDeep } from '../report/redact';
import { renderText } from '../report/text';
import { targetName } from '../report/verdict';
import { isMessageTooLong } from '../util/slack-error';
import { alertTarget } from './alert-intake';
import type { Catalog } from '../runbooks/catalog';
import { MeshError } from '../util/errors';
import type { InventoryStore } from './inventory';
import { inventoryOf } from './inventory';
import { findingsSignature, narrowToScope } from './narrow';
import type { ReadStats } from '../collect/live/collect-live';
import type { Clock, Collect, PostedStore, SlackThreads } from './ports';
import { POSTED_TTL_SECONDS } from './ports';
import type { ProposalPorts } from './propose';
import { objectIn, proposalIdsFor, proposePatches } from './propose';
import type { DiagnoseRequest } from './request';
import type { Language } from '../i18n/languages';
import { matchLanguage } from '../i18n/languages';
import { translator } from '../i18n/translate';

/** What the diagnosis pipeline needs: the catalog, a collector, Slack, and where it remembers what it did. */
export interface DiagnosisPipelineDeps {
  /** The cluster this pipeline reads (reports, proposals and the engine's target name it). */
  cluster?: string;
  /** MESH_DEFAULT_LANGUAGE: the language of a request that names none. */
  defaultLanguage?: Language;
  catalog: Catalog;
  collect: Collect;
  slack: SlackThreads;
  posted: PostedStore;
  /** Prefix for the keys of posted messages (the queue's hash tag, so they live in one cluster slot). */
  keyPrefix: string;
  now: Clock;
  /** Mask client IPs and drop user agents in posted evidence (the default); false shows them. */
  clientIps?: boolean;
  /** Where the Istio control plane runs (the engine's default when absent). */
  controlPlaneNamespaces?: readonly string[];
  /** Incident threads of alerts: an alert's report is posted only when its findings changed. */
  incidents?: IncidentStore;
  /** Present when approvals are on: each patch becomes a proposal with its own message. */
  approvals?: ProposalPorts;
  /** Where what each read showed to exist is recorded, for the bot to answer a mistyped target at once. */
  inventory?: Pick<InventoryStore, 'record'>;
}

/** One run of a request: a stable id across retries, and whether a failure now is final. */
export interface DiagnosisRun {
  id: string;
  lastAttempt: boolean;
}

export interface DiagnosisOutcome {
  findings: string[];
  /** True when an alert's re-diagnosis found nothing new, so nothing was posted. */
  unchanged?: boolean;
  /** How long each phase took (ms) and the calls the reads made (a live read says; others do not). */
  stats?: DiagnosisStats;
}

export interface DiagnosisStats {
  phasesMs: { kubernetes?: number; logs?: number; engine: number; posting: number };
  calls?: ReadStats['calls'];
}

/** Nothing could be read; thrown so the run is retried (on the last attempt the report says it instead). */
export class ClusterUnreachableError extends MeshError {
  constructor(detail: string) {
    super('CLUSTER_UNREACHABLE', `nothing could be read: ${detail}`);
  }
}

interface Incident {
  key: string;
  store: IncidentStore;
}

/** Step: the run's thread message, posted once (recorded) and set to "diagnosing" on every retry. */
async function openProgressMessage(deps: DiagnosisPipelineDeps, run: DiagnosisRun, r: DiagnoseRequest) {
  const key = `${deps.keyPrefix}:posted:${run.id}`;
  const t = translator(matchLanguage(r.language)?.language ?? deps.defaultLanguage);
  const progress = { text: t('slack.progress'), blocks: buildProgressBlocks(t('slack.progress.reading')) };
  const existing = await deps.posted.get(key);
  if (existing) {
    await deps.slack.update(r.channel, existing, progress);
    return existing;
  }
  const ts = await deps.slack.postInThread(r.channel, r.threadTs, progress);
  if (!(await deps.posted.setIfAbsent(key, ts, POSTED_TTL_SECONDS))) return (await deps.posted.get(key)) ?? ts;
  return ts;
}

/** Step: retry while every read failed, unless this is the last attempt (then the report says so). */
function requireSomethingRead(checks: Check[], run: DiagnosisRun): void {
  const reads = checks.filter((c) => c.id.startsWith('read:') && c.status !== 'skipped');
  if (!run.lastAttempt && reads.length > 0 && reads.every((c) => c.status === 'error')) {
    throw new ClusterUnreachableError(reads[0]?.detail ?? '');
  }
}

/** Step: the engine over the evidence, narrowed to the asked scope. */
function diagnoseInScope(deps: DiagnosisPipelineDeps, r: DiagnoseRequest, evidence: Evidence, checks: Check[]) {
  const report = diagnose(evidence, deps.catalog, {
    target: deps.cluster ? { ...r.target, cluster: deps.cluster } : r.target,
    lang: r.language ?? deps.defaultLanguage,
    collectionChecks: checks,
    controlPlaneNamespaces: deps.controlPlaneNamespaces,
  });
  return narrowToScope(report, r.scope, deps.catalog);
}

/** Step: the report in place of the progress message, and the full text as a file (once) if it overflowed. */
async function postReport(
  deps: DiagnosisPipelineDeps,
  run: DiagnosisRun,
  r: DiagnoseRequest,
  ts: string,
  report: Report,
  evidence: Evidence,
  fromAlert: boolean,
): Promise<void> {
  const rendered = buildReportBlocks(report, {
    requestedBy: fromAlert ? undefined : r.requestedBy,
    approvalsEnabled: deps.approvals !== undefined,
    // With approvals on, each patch gets its own proposal message carrying the buttons.
    proposalIds: deps.approvals ? new Map() : proposalIdsFor(report),
    clientIps: deps.clientIps,
    current: (t) => {
      const found = objectIn(evidence, t);
      return found ? redactDeep(found as Record<string, unknown>) : undefined;
    },
  });
  let overflow = rendered.overflow;
  try {
    await deps.slack.update(r.channel, ts, { text: rendered.text, blocks: rendered.blocks });
  } catch (err) {
    // Slack refused the message for its size or blocks: the verdict in the thread, the whole report as a file.
    if (!isMessageTooLong(err)) throw err;
    const header = rendered.blocks.slice(0, 1);
    const note = translator(report.language)('slack.too-long');
    await deps.slack.update(r.channel, ts, {
      text: rendered.text,
      blocks: [...header, { type: 'section', block_id: 'too-long', text: { type: 'mrkdwn', text: note } }],
    });
    overflow = renderText(report, { clientIps: deps.clientIps ?? true });
  }
  if (overflow && (await once(deps, 'uploaded', run))) {
    await deps.slack.uploadInThread(r.channel, r.threadTs, {
      filename: 'mesh-doctor-report.txt',
      content: overflow,
      title: translator(report.language)('slack.full-report'),
    });
  }
}

/**
 * Step: the thread's root message shows the report's verdict: the request's own root (a slash command's),
 * or an alert's root beside the alert's state. A request asked inside someone else's thread has no root
 * of ours to change.
 */
async function showVerdict(
  deps: DiagnosisPipelineDeps,
  r: DiagnoseRequest,
  reportTs: string,
  report: Report,
  incident: Incident | null,
): Promise<void> {
  if (!r.rootTs && !incident) return;
  const t = translator(report.language);
  const verdict = rootVerdictOf(report, targetName(r.target, t), await deps.slack.permalink(r.channel, reportTs), t);
  if (r.rootTs) await deps.slack.update(r.channel, r.rootTs, buildRootVerdictBlocks(verdict, r.requestedBy, t));
  if (!incident) return;
  await incident.store.saveVerdict(incident.key, JSON.stringify(verdict));
  const stored = await incident.store.get(incident.key);
  // An incident kept by an older version has no notification stored: its root keeps what it shows.
  if (stored?.alert) {
    const { alert } = stored;
    await deps.slack.update(stored.channel, stored.ts, buildAlertRootBlocks(alert, alertTarget(alert), verdict));
  }
}

/** True the first time a step of a run asks (recorded, so a retry skips what was done). */
function once(deps: DiagnosisPipelineDeps, step: string, run: DiagnosisRun): Promise<boolean> {
  return deps.posted.setIfAbsent(`${deps.keyPrefix}:${step}:${run.id}`, '1', POSTED_TTL_SECONDS);
}

/**
 * The diagnosis workflow, one named step after another: progress message → collect → diagnose → narrow to
 * the asked scope → incident dedupe → render and post → the verdict on the root message → propose patches. Every step that posts is
 * recorded, so a retried run updates its messages instead of posting again.
 */
export function diagnosisPipeline(
  deps: DiagnosisPipelineDeps,
): (request: DiagnoseRequest, run: DiagnosisRun) => Promise<DiagnosisOutcome> {
  return async (r, run) => {
    // An alert's thread shows a report only when it says something new, so no progress message first.
    const incident: Incident | null =
      r.incidentKey && deps.incidents ? { key: r.incidentKey, store: deps.incidents } : null;
    const progressTs = incident ? null : await openProgressMessage(deps, run, r);
    const { evidence, checks, stats: read } = await deps.collect(r.target);
    requireSomethingRead(checks, run);
    await deps.inventory?.record(inventoryOf(evidence, r.target), deps.now());
    const engineFrom = performance.now();
    const report = diagnoseInScope(deps, r, evidence, checks);
    const stats: DiagnosisStats = {
      phasesMs: { ...read?.phasesMs, engine: performance.now() - engineFrom, posting: 0 },
      ...(read ? { calls: read.calls } : {}),
    };
    const findings = report.findings.map((f) => f.runbook);
    const signature = findingsSignature(report);
    if (incident && (await incident.store.get(incident.key))?.findings === signature) {
      return { findings, unchanged: true, stats };
    }
    const postingFrom = performance.now();
    const ts = progressTs ?? (await openProgressMessage(deps, run, r));
    await postReport(deps, run, r, ts, report, evidence, incident !== null);
    await showVerdict(deps, r, ts, report, incident);
    if (incident) await incident.store.swapFindings(incident.key, signature);
    if (deps.approvals && (await once(deps, 'proposed', run))) {
      await proposePatches(deps, deps.approvals, r, report, evidence);
    }
    stats.phasesMs.posting = performance.now() - postingFrom;
    return { findings, stats };
  };
}
