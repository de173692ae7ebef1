import type { Logging } from '@google-cloud/logging';
import type { Check } from '../../diagnosis/evidence';
import type { EvidenceBuilder } from '../evidence-builder';
import type { MatchSignature } from '../log-matcher';
import { reasonOf } from './api-errors';
import type { NodeAgentPods } from './log-query';
import { MAX_FILTER_LENGTH, buildLogQuery } from './log-query';
import type { StartWindowGroup, StartWindowOptions } from './log-window';
import { spanText } from './log-window';
import type { FailureVerdict, RetryPolicy } from './retry';
import { DEFAULT_RETRY, withRetry } from './retry';
import { errorMessage } from '../../util/errors';

/** What to read from Cloud Logging. */
export interface CloudLogOptions {
  projectId: string;
  namespaces: string[] | null;
  sinceIso: string;
  /** Pods' start windows to read besides the recent window (see log-window.ts), most wanted first. */
  startWindows?: { groups: StartWindowGroup[]; options: StartWindowOptions };
  /** Node agents read besides `namespaces` (see node-agents.ts). */
  agents?: NodeAgentPods[];
  /** Which entries are added (default all): a read aimed at a namespace drops node-agent lines about others. */
  keepEntry?: (entry: Record<string, unknown>) => boolean;
  /** Stop after this many entries (the report says so). */
  maxEntries: number;
  pageSize: number;
  retry: RetryPolicy;
}

export const DEFAULT_CLOUD_LOG: Omit<CloudLogOptions, 'projectId' | 'namespaces' | 'sinceIso'> = {
  maxEntries: 50_000,
  pageSize: 1000,
  retry: { ...DEFAULT_RETRY, attempts: 5, baseMs: 1000, maxMs: 16_000, timeoutMs: 60_000 },
};

/** gRPC codes (and their HTTP forms) worth retrying: quota, unavailable, deadline, internal. */
const RETRYABLE = new Set([8, 14, 4, 13, 429, 500, 502, 503, 504]);

export function judgeLoggingError(err: unknown): FailureVerdict {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return { retry: RETRYABLE.has(code) };
  return {
    retry: /RESOURCE_EXHAUSTED|UNAVAILABLE|ECONNRESET|socket hang up|fetch failed/i.test(errorMessage(err)),
  };
}

interface ClientEntry {
  metadata: Record<string, unknown>;
  data: unknown;
}

/** A client library Entry as the LogEntry JSON that `gcloud logging read --format=json` prints. */
export function toLogEntry(entry: ClientEntry): Record<string, unknown> {
  const { textPayload: _t, jsonPayload: _j, protoPayload: _p, payload: _kind, ...rest } = entry.metadata;
  const ts = rest.timestamp;
  const out: Record<string, unknown> = { ...rest, timestamp: ts instanceof Date ? ts.toISOString() : ts };
  if (typeof entry.data === 'string') out.textPayload = entry.data;
  else if (entry.data && typeof entry.data === 'object')
    out[_kind === 'protoPayload' ? 'protoPayload' : 'jsonPayload'] = entry.data;
  return out;
}

/**
 * Reads the log lines and events a diagnosis needs with as few entries.list calls as possible: one filter
 * (see buildLogQuery) for the recent window and the pods' start windows (several filters are read side
 * by side), pages of 1,000 until there is no next page token — an empty page with a token
 * means the service is still searching — up to a cap on entries. Quota errors back off and retry.
 */
export async function readCloudLogs(
  logging: Logging,
  signatures: readonly MatchSignature[],
  builder: EvidenceBuilder,
  options: CloudLogOptions,
): Promise<Check[]> {
  const starts = options.startWindows;
  const { filters, startWindowsRead, startWindowsLeftOut } = buildLogQuery(
    signatures,
    {
      namespaces: options.namespaces,
      sinceIso: options.sinceIso,
      startWindows: starts?.groups ?? [],
      agents: options.agents ?? [],
    },
    starts?.options.maxWindows,
  );
  const startsText =
    starts && startWindowsRead > 0
      ? ` and in the first ${spanText(starts.options.windowMs)} of ${startWindowsRead} pod start(s) up to ${spanText(starts.options.horizonMs)} back`
      : '';
  const leftOut: Check[] =
    starts && startWindowsLeftOut > 0
      ? [
          {
            id: 'read:cloud-logging-starts',
            status: 'skipped',
            detail: `the first minutes of ${startWindowsLeftOut} pod start(s) older than ${options.sinceIso} were not read: the query holds at most ${starts.options.maxWindows} and stays under Cloud Logging's ${MAX_FILTER_LENGTH.toLocaleString('en')}-character filter limit; narrow with --namespace`,
          },
        ]
      : [];
  let read = 0;
  let calls = 0;
  // Filters split by signatures can both match one entry; with more than one filter, add each entry once.
  const seen = filters.length > 1 ? new Set<string>() : null;
  const firstSight = (entry: ClientEntry): boolean => {
    const { insertId, logName, timestamp } = entry.metadata;
    if (!seen || typeof insertId !== 'string') return true;
    const key = `${insertId}\u0000${String(logName)}\u0000${timestamp instanceof Date ? timestamp.toISOString() : String(timestamp)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  let failure: unknown = null;
  let capped = false;
  const readFilter = async (filter: string): Promise<void> => {
    let pageToken: string | undefined;
    do {
      const room = options.maxEntries - read;
      if (failure !== null || capped || room <= 0) {
        capped ||= failure === null;
        return;
      }
      const request = {
        filter,
        orderBy: 'timestamp desc',
        pageSize: Math.min(options.pageSize, room),
        autoPaginate: false,
        resourceNames: [`projects/${options.projectId}`],
        ...(pageToken ? { pageToken } : {}),
      };
      let page;
      try {
        calls++;
        page = await withRetry(
          'Cloud Logging entries.list',
          () => logging.getEntries(request),
          judgeLoggingError,
          options.retry,
        );
      } catch (err) {
        failure ??= err;
        return;
      }
      const [entries, next] = page as unknown as [ClientEntry[], { pageToken?: string } | null];
      for (const entry of entries) {
        if (!firstSight(entry)) continue;
        const logEntry = toLogEntry(entry);
        if (!options.keepEntry || options.keepEntry(logEntry)) builder.addLogEntry(logEntry);
      }
      read += entries.length;
      pageToken = next?.pageToken || undefined;
    } while (pageToken);
  };
  // The filters cover disjoint signatures or times: read them side by side.
  await Promise.all(filters.map(readFilter));
  if (failure !== null)
    return [
      {
        id: 'read:cloud-logging',
        status: 'error',
        detail: `Cloud Logging read failed after ${read} entries: ${reasonOf(failure)}`,
      },
      ...leftOut,
    ];
  if (capped)
    return [
      {
        id: 'read:cloud-logging',
        status: 'error',
        detail: `stopped at the cap of ${options.maxEntries} log entries (${calls} calls); older evidence since ${options.sinceIso}${startsText ? ', and in pod start windows,' : ''} was not read`,
      },
      ...leftOut,
    ];
  return [
    {
      id: 'read:cloud-logging',
      status: 'ok',
      detail: `${read} matching log entries since ${options.sinceIso}${startsText} in ${calls} call(s)`,
    },
    ...leftOut,
  ];
}
