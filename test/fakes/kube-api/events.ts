import type { Json, KubeObject } from './types';

/**
 * Events are stored once, in core/v1 form (which holds every field of both APIs), and converted on the
 * way out, field for field as the API server's conversion functions do:
 * involvedObject↔regarding, message↔note, source↔deprecatedSource, firstTimestamp↔deprecatedFirstTimestamp,
 * lastTimestamp↔deprecatedLastTimestamp, count↔deprecatedCount, reportingComponent↔reportingController.
 * Zero times are `null` (Go's metav1.Time), zero counts and empty strings under `omitempty` are absent.
 */

function copyIf(out: Json, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '' && value !== 0) out[key] = value;
}

function time(value: unknown): unknown {
  return typeof value === 'string' && value !== '' ? value : null;
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function isEventsApiVersion(apiVersion: unknown): boolean {
  return typeof apiVersion === 'string' && apiVersion.startsWith('events.k8s.io/');
}

/** Any Event (core/v1 or events.k8s.io) in core/v1 form. */
export function toCoreEvent(event: KubeObject): KubeObject {
  if (!isEventsApiVersion(event.apiVersion)) {
    const out: KubeObject = { ...event, apiVersion: 'v1', kind: 'Event' };
    if (!('involvedObject' in out)) out.involvedObject = {};
    if (!('source' in out)) out.source = {};
    out.firstTimestamp = time(out.firstTimestamp);
    out.lastTimestamp = time(out.lastTimestamp);
    out.eventTime = time(out.eventTime);
    if (!('reportingComponent' in out)) out.reportingComponent = '';
    if (!('reportingInstance' in out)) out.reportingInstance = '';
    return out;
  }
  const e = event as Json;
  const out: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { ...(event.metadata ?? {}) } };
  out.involvedObject = { ...obj(e.regarding) };
  copyIf(out, 'reason', e.reason);
  copyIf(out, 'message', e.note);
  out.source = { ...obj(e.deprecatedSource) };
  out.firstTimestamp = time(e.deprecatedFirstTimestamp);
  out.lastTimestamp = time(e.deprecatedLastTimestamp);
  copyIf(out, 'count', e.deprecatedCount);
  copyIf(out, 'type', e.type);
  out.eventTime = time(e.eventTime);
  copyIf(out, 'series', e.series);
  copyIf(out, 'action', e.action);
  copyIf(out, 'related', e.related);
  out.reportingComponent = typeof e.reportingController === 'string' ? e.reportingController : '';
  out.reportingInstance = typeof e.reportingInstance === 'string' ? e.reportingInstance : '';
  return out;
}

/** A stored (core/v1) Event in events.k8s.io/v1 form. */
export function toEventsV1(event: KubeObject): KubeObject {
  const e = event as Json;
  const out: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { ...(event.metadata ?? {}) } };
  out.eventTime = time(e.eventTime);
  copyIf(out, 'series', e.series);
  copyIf(out, 'reportingController', e.reportingComponent);
  copyIf(out, 'reportingInstance', e.reportingInstance);
  copyIf(out, 'action', e.action);
  copyIf(out, 'reason', e.reason);
  out.regarding = { ...obj(e.involvedObject) };
  copyIf(out, 'related', e.related);
  copyIf(out, 'note', e.message);
  copyIf(out, 'type', e.type);
  const source = obj(e.source);
  if (Object.keys(source).length > 0) out.deprecatedSource = { ...source };
  out.deprecatedFirstTimestamp = time(e.firstTimestamp);
  out.deprecatedLastTimestamp = time(e.lastTimestamp);
  copyIf(out, 'deprecatedCount', e.count);
  return out;
}

/** The latest time an event carries, for the store's notion of "now". */
export function eventTimes(event: KubeObject): string[] {
  const e = event as Json;
  const series = obj(e.series);
  return [e.lastTimestamp, e.eventTime, series.lastObservedTime, e.firstTimestamp].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
}
