import type { ApiCall } from '../collect/live/collect-live';
import type { Metrics } from '../metrics/registry';
import { secondsSince } from '../metrics/registry';
import type { DiagnosisOutcome, DiagnosisRun } from '../pipeline/diagnose';
import type { RemediationJob } from '../pipeline/remediate';
import type { DiagnoseRequest } from '../pipeline/request';
import { targetName } from '../report/verdict';
import { errorFields } from '../util/errors';
import type { Logger } from '../util/logger';

/** Every combination of the given label values (to start each series at zero). */
function combinations(values: Record<string, readonly string[]>): Record<string, string>[] {
  return Object.entries(values).reduce<Record<string, string>[]>(
    (acc, [name, options]) => acc.flatMap((labels) => options.map((v) => ({ ...labels, [name]: v }))),
    [{}],
  );
}

/** A worker's metric families; the histograms' known series start at zero, so rates exist before the first event. */
export function workerMetrics(metrics: Metrics, clusters: readonly string[]) {
  const m = {
    diagnosis: metrics.histogram(
      'mesh_doctor_diagnosis_duration_seconds',
      'Diagnosis time by phase: kubernetes (API reads), logs (Cloud Logging or pod logs), engine, posting (Slack), total',
      ['cluster', 'phase'],
    ),
    diagnoses: metrics.counter(
      'mesh_doctor_diagnoses_total',
      'Diagnosis runs by cluster and outcome (reported, unchanged, failed)',
      ['cluster', 'outcome'],
    ),
    calls: metrics.histogram(
      'mesh_doctor_api_call_duration_seconds',
      'Kubernetes API and Cloud Logging calls (each attempt) by source and outcome (ok, error, timeout)',
      ['cluster', 'source', 'outcome'],
    ),
    findings: metrics.counter('mesh_doctor_findings_total', 'Findings reported, by cluster and runbook id', [
      'cluster',
      'runbook',
    ]),
    remediation: metrics.histogram(
      'mesh_doctor_remediation_step_duration_seconds',
      'Approved remediation steps (apply with its verification, rollback) by action and outcome',
      ['cluster', 'action', 'outcome'],
    ),
    failures: metrics.counter('mesh_doctor_failures_total', 'Failures by cause (error code) and where they happened', [
      'cause',
      'where',
    ]),
    active: metrics.gauge('mesh_doctor_worker_active_jobs', 'Jobs this worker is running now, by queue', ['queue']),
    rateLimited: metrics.counter(
      'mesh_doctor_slack_rate_limited_total',
      'Slack Web API calls answered 429 (rate limited)',
    ),
    redisErrors: metrics.counter(
      'mesh_doctor_redis_errors_total',
      'Errors from Redis clients (connection retries included)',
    ),
  };
  for (const labels of combinations({ cluster: clusters, phase: ['total', 'kubernetes', 'logs', 'engine', 'posting'] }))
    m.diagnosis.zero(labels);
  for (const labels of combinations({
    cluster: clusters,
    source: ['kubernetes', 'cloud-logging'],
    outcome: ['ok', 'error', 'timeout'],
  }))
    m.calls.zero(labels);
  for (const labels of combinations({ cluster: clusters, action: ['apply', 'rollback'], outcome: ['ok', 'error'] }))
    m.remediation.zero(labels);
  return m;
}

export type WorkerMetrics = ReturnType<typeof workerMetrics>;

/** Observes a call attempt of a live read. */
export function observeCall(m: WorkerMetrics, cluster: string): (call: ApiCall) => void {
  return (call) => m.calls.observe({ cluster, source: call.source, outcome: call.outcome }, call.ms / 1000);
}

type RunDiagnosis = (request: DiagnoseRequest, run: DiagnosisRun) => Promise<DiagnosisOutcome>;

const round = (ms: number) => Math.round(ms);

/**
 * A diagnosis run, observed: one log line when it is done (target, cluster, duration, findings by id,
 * phases and the calls its reads made), the histograms by phase, findings by runbook and failures by
 * cause. A failed attempt is counted here and logged by the queue worker.
 */
export function observedDiagnosis(run: RunDiagnosis, m: WorkerMetrics, log: Logger, cluster: string): RunDiagnosis {
  return async (request, diagnosisRun) => {
    const started = performance.now();
    m.active.inc({ queue: 'diagnose' });
    try {
      const outcome = await run(request, diagnosisRun);
      const seconds = secondsSince(started);
      m.diagnosis.observe({ cluster, phase: 'total' }, seconds);
      for (const [phase, ms] of Object.entries(outcome.stats?.phasesMs ?? {}))
        if (ms !== undefined) m.diagnosis.observe({ cluster, phase }, ms / 1000);
      for (const runbook of outcome.unchanged ? [] : outcome.findings) m.findings.inc({ cluster, runbook });
      m.diagnoses.inc({ cluster, outcome: outcome.unchanged ? 'unchanged' : 'reported' });
      log.info(
        {
          job: diagnosisRun.id,
          target: targetName(request.target),
          cluster,
          scope: request.scope,
          from: request.incidentKey ? 'alert' : 'request',
          channel: request.channel,
          durationMs: round(seconds * 1000),
          findings: outcome.findings,
          unchanged: outcome.unchanged ?? false,
          phasesMs: Object.fromEntries(Object.entries(outcome.stats?.phasesMs ?? {}).map(([k, v]) => [k, round(v)])),
          calls: outcome.stats?.calls ?? null,
        },
        'diagnosis done',
      );
      return outcome;
    } catch (err) {
      m.diagnoses.inc({ cluster, outcome: 'failed' });
      m.failures.inc({ cause: errorFields(err).code, where: 'diagnosis' });
      throw err;
    } finally {
      m.active.dec({ queue: 'diagnose' });
    }
  };
}

/** A remediation job, observed: its duration by action and outcome, failures by cause. */
export function observedRemediation(
  run: (job: RemediationJob) => Promise<string>,
  m: WorkerMetrics,
  cluster: string,
): (job: RemediationJob) => Promise<string> {
  return async (job) => {
    const started = performance.now();
    m.active.inc({ queue: 'remediate' });
    try {
      const result = await run(job);
      m.remediation.observe({ cluster, action: job.action, outcome: 'ok' }, secondsSince(started));
      return result;
    } catch (err) {
      m.remediation.observe({ cluster, action: job.action, outcome: 'error' }, secondsSince(started));
      m.failures.inc({ cause: errorFields(err).code, where: 'remediation' });
      throw err;
    } finally {
      m.active.dec({ queue: 'remediate' });
    }
  };
}
