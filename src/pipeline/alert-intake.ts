import type { Incident, IncidentStore } from '../alerts/incident-store';
import type { AlertRoute } from '../alerts/routing';
import { routeChannel } from '../alerts/routing';
import type { AlertTarget } from '../alerts/target';
import { extractGroupTarget, extractTarget } from '../alerts/target';
import { CLUSTER_LABELS, NAMESPACE_LABELS, WORKLOAD_LABELS } from '../alerts/target-labels';
import type { AlertNotification } from '../alerts/types';
import { buildAlertRootBlocks } from '../report/blocks-alert';
import { parseRootVerdict } from '../report/blocks-root';
import type { SlackThreads } from './ports';
import type { DiagnoseRequest } from './request';

/** What the alert intake needs, provided by the bot process. */
export interface AlertIntakeDeps {
  incidents: IncidentStore;
  routes: readonly AlertRoute[];
  defaultChannel: string;
  /** Root messages and their updates (paced per channel by the caller). */
  slack: Pick<SlackThreads, 'postRoot' | 'update'>;
  enqueue(request: DiagnoseRequest): Promise<unknown>;
  /** A re-fired incident is diagnosed again at most once per this many seconds. */
  rediagnoseAfterSeconds: number;
  now(): number;
  /** The language of a channel's alert threads (MESH_CHANNEL_LANGUAGES, else MESH_DEFAULT_LANGUAGE). */
  channelLanguage?: (channel: string) => string;
}

/** Labels every alert of a group shares: Alertmanager's commonLabels, recomputed. */
function common(sets: Record<string, string>[]): Record<string, string> {
  const [first = {}, ...rest] = sets;
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((s) => s[k] === v)));
}

export function alertTarget(n: AlertNotification): AlertTarget {
  return n.alertLabels.length > 1 ? extractGroupTarget(n.alertLabels, common(n.alertLabels)) : extractTarget(n.labels);
}

/** The only labels the intake reads: where the target is found. */
const USED_LABELS = new Set<string>([...CLUSTER_LABELS, ...NAMESPACE_LABELS, ...WORKLOAD_LABELS.map((w) => w.label)]);
/** Distinct per-alert label sets kept; a group's target is judged from these. */
const MAX_LABEL_SETS = 200;
const MAX_TEXT = 2_000;

function usedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => USED_LABELS.has(k)));
}

const clip = (s: string | null) => (s === null ? null : s.slice(0, MAX_TEXT));

/**
 * A notification cut to what the intake uses (the target labels, texts of bounded length, distinct label
 * sets), so a notification with thousands of alerts or labels is small once parsed and stored.
 */
export function keepUsedFields(n: AlertNotification): AlertNotification {
  const sets = new Map<string, Record<string, string>>();
  for (const labels of n.alertLabels) {
    const used = usedLabels(labels);
    const key = JSON.stringify(Object.entries(used).sort(([a], [b]) => a.localeCompare(b)));
    if (!sets.has(key)) sets.set(key, used);
    if (sets.size >= MAX_LABEL_SETS) break;
  }
  return {
    source: n.source,
    incidentKey: n.incidentKey,
    status: n.status,
    title: n.title.slice(0, MAX_TEXT),
    severity: clip(n.severity),
    summary: clip(n.summary),
    labels: usedLabels(n.labels),
    alertLabels: [...sets.values()],
    startsAt: n.startsAt,
    endsAt: n.endsAt,
    url: clip(n.url),
    alertCount: n.alertCount,
  };
}

/**
 * `thread-pending`: another notification of the incident holds the thread claim but has not saved the
 * thread yet (or failed before it could); the caller retries this one later rather than drop it.
 */
export type IntakeOutcome =
  'thread-created' | 'rediagnosed' | 'duplicate' | 'thread-pending' | 'resolved' | 'resolved-unknown';

/**
 * One thread per incident: the first firing notification posts the root message and queues a diagnosis;
 * re-sends and HA duplicates find the thread (in Redis) and queue at most one diagnosis per window, whose
 * report is posted only if the findings changed; `resolved` (and a re-fire after it) redraws the root message
 * in place, keeping the verdict of the latest diagnosis beside the alert's state.
 */
export function alertIntake(deps: AlertIntakeDeps): (n: AlertNotification) => Promise<IntakeOutcome> {
  const diagnose = async (n: AlertNotification, target: AlertTarget, channel: string, ts: string) => {
    const windowSeconds = deps.rediagnoseAfterSeconds;
    if (!(await deps.incidents.claimDiagnosis(n.incidentKey, windowSeconds))) return false;
    const window = Math.floor(deps.now() / 1000 / windowSeconds);
    await deps.enqueue({
      target: { namespace: target.namespace, workload: target.workload },
      ...(target.cluster ? { cluster: target.cluster } : {}),
      ...(target.clusterAliases ? { clusterAliases: target.clusterAliases } : {}),
      ...(deps.channelLanguage ? { language: deps.channelLanguage(channel) } : {}),
      scope: 'all',
      requestedBy: 'alert',
      channel,
      threadTs: ts,
      requestKey: `alert:${n.incidentKey}:${window}`,
      incidentKey: n.incidentKey,
    });
    return true;
  };

  // The root shows the alert's state beside the verdict of the latest diagnosis in its thread.
  const redrawRoot = async (incident: Incident, n: AlertNotification, target: AlertTarget) => {
    await deps.incidents.saveAlert(n.incidentKey, keepUsedFields(n));
    const verdict = parseRootVerdict(incident.verdict);
    await deps.slack.update(incident.channel, incident.ts, buildAlertRootBlocks(n, target, verdict));
  };

  return async (n) => {
    const target = alertTarget(n);
    const existing = await deps.incidents.get(n.incidentKey);
    if (n.status === 'resolved') {
      if (!existing) return 'resolved-unknown';
      if ((await deps.incidents.setStatus(n.incidentKey, 'resolved')) !== 'resolved') {
        await redrawRoot(existing, n, target);
      }
      return 'resolved';
    }
    if (existing) {
      if (existing.status === 'resolved') {
        await deps.incidents.setStatus(n.incidentKey, 'firing');
        await redrawRoot(existing, n, target);
      }
      return (await diagnose(n, target, existing.channel, existing.ts)) ? 'rediagnosed' : 'duplicate';
    }
    if (!(await deps.incidents.claimThread(n.incidentKey))) return 'thread-pending';
    const channel = routeChannel(deps.routes, deps.defaultChannel, {
      cluster: target.cluster,
      namespace: target.namespace,
      severity: n.severity,
    });
    const ts = await deps.slack.postRoot(channel, buildAlertRootBlocks(n, target));
    await deps.incidents.saveThread(n.incidentKey, channel, ts);
    await deps.incidents.saveAlert(n.incidentKey, keepUsedFields(n));
    await diagnose(n, target, channel, ts);
    return 'thread-created';
  };
}
