import type { EvidenceItem, LogLine, MeshEvent, ObjectRef } from './evidence';

const MAX_TEXT = 400;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** Where a log line came from, as `namespace/pod[container]`. */
export function logSource(line: LogLine): string {
  const pod = line.pod ? `${line.namespace ?? '?'}/${line.pod}` : (line.namespace ?? 'unknown source');
  return line.container ? `${pod}[${line.container}]` : pod;
}

export function fromLog(line: LogLine, prefix = ''): EvidenceItem {
  return { source: 'log', timestamp: line.time, text: clip(`${prefix}${logSource(line)}: ${line.text}`) };
}

export function fromEvent(event: MeshEvent, prefix = ''): EvidenceItem {
  const o = event.object;
  const field = o.fieldPath ? ` ${o.fieldPath}` : '';
  const count = event.count > 1 ? ` (x${event.count})` : '';
  return {
    source: 'event',
    timestamp: event.time,
    text: clip(
      `${prefix}${event.type} ${event.reason} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${field}: ${event.message}${count}`,
    ),
  };
}

export function fromObject(ref: ObjectRef, text: string, timestamp: string | null = null): EvidenceItem {
  const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return { source: 'object', timestamp, text: clip(`${ref.kind} ${where}: ${text}`) };
}

/** Display form of a reference. */
export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Same object? */
export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** References without duplicates, first occurrence kept. */
export function uniqueRefs(refs: ObjectRef[]): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const ref of refs) if (!out.some((r) => sameRef(r, ref))) out.push(ref);
  return out;
}

/** Clamps and rounds a confidence to two decimals. */
export function confidence(value: number): number {
  return Math.round(Math.min(0.99, Math.max(0.05, value)) * 100) / 100;
}
