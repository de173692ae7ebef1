import type { DraftEvidence, Phrase } from './detector';
import { phraseText } from './detector';
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

/**
 * An evidence item whose text is `compose(phrase)`: plain when the phrase is, else written in the report's
 * language when the engine renders it (its English text stays in `text`).
 */
function item(
  source: EvidenceItem['source'],
  timestamp: string | null,
  phrase: Phrase,
  compose: (said: string) => string,
): DraftEvidence {
  const text = clip(compose(phraseText(phrase)));
  if (typeof phrase === 'string') return { source, timestamp, text };
  return { source, timestamp, text, localize: (t) => clip(compose(phrase(t))) };
}

export function fromLog(line: LogLine, prefix: Phrase = ''): DraftEvidence {
  return item('log', line.time, prefix, (said) => `${said}${logSource(line)}: ${line.text}`);
}

export function fromEvent(event: MeshEvent, prefix: Phrase = ''): DraftEvidence {
  const o = event.object;
  const field = o.fieldPath ? ` ${o.fieldPath}` : '';
  const count = event.count > 1 ? ` (x${event.count})` : '';
  const what = `${event.type} ${event.reason} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${field}: ${event.message}${count}`;
  return item('event', event.time, prefix, (said) => `${said}${what}`);
}

export function fromObject(ref: ObjectRef, text: Phrase, timestamp: string | null = null): DraftEvidence {
  const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return item('object', timestamp, text, (said) => `${ref.kind} ${where}: ${said}`);
}

/** The same evidence with a label before its text (`sidecar ready: …`), in the report's language. */
export function labelled(evidence: DraftEvidence, label: Phrase): DraftEvidence {
  const { localize, ...rest } = evidence;
  const text = clip(`${phraseText(label)}${rest.text}`);
  if (typeof label === 'string' && !localize) return { ...rest, text };
  return { ...rest, text, localize: (t) => clip(`${phraseText(label, t)}${localize ? localize(t) : rest.text}`) };
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
