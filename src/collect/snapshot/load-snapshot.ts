import { createReadStream } from 'node:fs';
import { readdir, readFile as readWhole, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Check, Evidence } from '../../diagnosis/evidence';
import type { KubeObject } from '../../diagnosis/kube-types';
import { EvidenceBuilder } from '../evidence-builder';
import type { LogMatcher } from '../log-matcher';
import { isLogEntry, parseLogFileName } from '../normalize';
import { JsonLinesError, readJsonLines } from './json-lines';
import { JsonStreamError, readJsonPieces } from './json-stream';
import { isCaptureManifest, readManifest } from '../capture/manifest';
import { errorMessage, MeshError } from '../../util/errors';

/** A snapshot that cannot be read; `file` names the file (or directory) at fault. */
export class SnapshotError extends MeshError {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super('SNAPSHOT_UNREADABLE', `${file}: ${problem}`, options);
  }
}

/** A longer line is read in pieces so that one runaway line cannot exhaust memory. */
const MAX_LINE = 4 << 20;
const NEWLINE = 0x0a;
/** Log read size. */
const LOG_CHUNK = 1 << 20;

const EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.log']);

type Json = Record<string, unknown>;

/** Something in a snapshot that was passed over without stopping the diagnosis. */
export interface SnapshotWarning {
  file: string;
  problem: string;
}

/** A snapshot read: its evidence, what was skipped, and the read checks of a `mesh-doctor capture`. */
export interface LoadedSnapshot {
  evidence: Evidence;
  warnings: SnapshotWarning[];
  /** The checks `capture.json` recorded (what could not be read live), else none. */
  checks: Check[];
}

/** What reading the files gathers besides evidence. */
interface ReadState {
  builder: EvidenceBuilder;
  warnings: SnapshotWarning[];
  manifest: { capturedAtMs: number; checks: Check[] } | null;
}

/** Reads a snapshot directory (docs/snapshot-format.md) into evidence. Large files are streamed. */
export async function loadSnapshot(dir: string, matcher: LogMatcher): Promise<Evidence> {
  return (await readSnapshot(dir, matcher)).evidence;
}

/**
 * Reads a snapshot directory with what {@link loadSnapshot} leaves out: warnings (an empty file is
 * skipped, not an error) and, for a capture, its checks. A capture's "now" is the moment it was read.
 */
export async function readSnapshot(dir: string, matcher: LogMatcher): Promise<LoadedSnapshot> {
  const files = await snapshotFiles(dir);
  const state: ReadState = { builder: new EvidenceBuilder(matcher), warnings: [], manifest: null };
  for (const file of files) {
    try {
      if (await isBlank(file)) state.warnings.push({ file, problem: EMPTY_FILE });
      else await readFile(file, state);
    } catch (err) {
      // A large file of nothing but whitespace is found empty only once read.
      if (err instanceof JsonStreamError && err.message.startsWith('empty file')) {
        state.warnings.push({ file, problem: EMPTY_FILE });
        continue;
      }
      if (err instanceof SnapshotError) throw err;
      throw new SnapshotError(file, describeReadError(err), { cause: err });
    }
  }
  const evidence = state.manifest ? state.builder.build(state.manifest.capturedAtMs) : state.builder.build();
  return { evidence, warnings: state.warnings, checks: state.manifest?.checks ?? [] };
}

const EMPTY_FILE = 'empty file skipped';

/** Files up to this size are checked for holding only whitespace; larger ones are not empty in practice. */
const BLANK_CHECK_BYTES = 64 << 10;

/** True for a file of 0 bytes or only whitespace (a failed `kubectl get … > file` leaves one). */
async function isBlank(file: string): Promise<boolean> {
  const { size } = await stat(file);
  if (size === 0) return true;
  if (size > BLANK_CHECK_BYTES) return false;
  return (await readWhole(file, 'utf8')).trim() === '';
}

async function snapshotFiles(dir: string): Promise<string[]> {
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    throw new SnapshotError(
      dir,
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : describeReadError(err),
    );
  }
  if (!info.isDirectory())
    throw new SnapshotError(dir, 'not a directory (a snapshot is a directory of captured files)');
  const files: string[] = [];
  await collect(dir, files);
  if (files.length === 0)
    throw new SnapshotError(dir, 'no snapshot files found (expected *.json, *.jsonl, *.ndjson or *.log)');
  return files.sort();
}

/** What a file that is not a regular file is, for the message that rejects it. */
function specialKind(info: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}) {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

async function collect(dir: string, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await collect(path, into);
      continue;
    }
    if (!EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
    // A pipe, socket or device would block the reader (or never end): refuse it before opening anything.
    // A link counts as what it points to; a link to a directory is not followed (no loops).
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (info?.isFile()) into.push(path);
    else if (!info) throw new SnapshotError(path, 'a link to nothing (a broken symbolic link)');
    else if (info.isDirectory())
      throw new SnapshotError(path, 'a link to a directory; copy the files into the snapshot');
    else throw new SnapshotError(path, `${specialKind(info)}, not a captured file; remove it from the snapshot`);
  }
}

function describeReadError(err: unknown): string {
  if (err instanceof JsonStreamError) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file: permission denied';
  if (code === 'EISDIR') return 'cannot read: it is a directory';
  if (code) return `cannot read the file (${code})`;
  return `cannot read the file: ${errorMessage(err)}`;
}

async function readFile(file: string, state: ReadState): Promise<void> {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return readJsonFile(file, state);
  if (ext === '.log') return readLogFile(file, state.builder);
  return readJsonLinesFile(file, state.builder);
}

async function readJsonFile(file: string, state: ReadState): Promise<void> {
  const { builder } = state;
  const kindless: { index: number; value: Json }[] = [];
  for await (const piece of readJsonPieces(file)) {
    if (piece.type === 'element') {
      const value = asObject(piece.value, file, `element ${piece.index}`);
      if (typeof value.kind === 'string' || isLogEntry(value)) addValue(value, file, `element ${piece.index}`, builder);
      else kindless.push({ index: piece.index, value });
      continue;
    }
    const doc = asObject(piece.value, file, 'the document');
    if (piece.streamedKey === 'items') {
      const itemKind = listItemKind(doc);
      const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
      if (itemKind) builder.markCaptured(itemKind, apiVersion);
      for (const { index, value } of kindless) {
        if (!itemKind)
          throw new SnapshotError(file, `item ${index} has no kind and the list does not say what it holds`);
        builder.addObject({ apiVersion, ...value, kind: itemKind } as KubeObject);
      }
      return;
    }
    for (const { index } of kindless) throw wrongShape(file, `element ${index}`);
    if (piece.streamedKey === 'entries') return;
    if (isCaptureManifest(doc)) {
      const manifest = readManifest(doc);
      if ('problem' in manifest) throw new SnapshotError(file, manifest.problem);
      state.manifest = manifest;
      return;
    }
    addValue(doc, file, 'the document', builder);
  }
  if (kindless.length > 0) throw wrongShape(file, `element ${kindless[0]?.index ?? 0}`);
}

function listItemKind(doc: Json): string | null {
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  return kind.endsWith('List') && kind !== 'List' ? kind.slice(0, -'List'.length) : null;
}

function asObject(value: unknown, file: string, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw wrongShape(file, where);
  return value as Json;
}

function wrongShape(file: string, where: string): SnapshotError {
  return new SnapshotError(
    file,
    `JSON of the wrong shape at ${where}: expected a Kubernetes object or List (kubectl get -o json) or Cloud Logging entries (gcloud logging read --format=json)`,
  );
}

function addValue(value: Json, file: string, where: string, builder: EvidenceBuilder): void {
  if (isLogEntry(value)) {
    builder.addLogEntry(value);
    return;
  }
  if (typeof value.kind === 'string' && value.metadata !== null && typeof value.metadata === 'object') {
    builder.addObject(value as KubeObject);
    return;
  }
  throw wrongShape(file, where);
}

async function readJsonLinesFile(file: string, builder: EvidenceBuilder): Promise<void> {
  try {
    for await (const { line, value } of readJsonLines(file))
      addValue(asObject(value, file, `line ${line}`), file, `line ${line}`, builder);
  } catch (err) {
    if (err instanceof JsonLinesError) throw new SnapshotError(file, err.message);
    throw err;
  }
}

/**
 * Streams a `kubectl logs --timestamps` file as raw bytes and hands complete lines to the builder in
 * blocks. Splitting on the newline byte keeps multi-byte characters whole without a string decoder, and
 * only the partial line at a chunk's end is carried over.
 */
async function readLogFile(file: string, builder: EvidenceBuilder): Promise<void> {
  const source = parseLogFileName(basename(file));
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: LOG_CHUNK }) as AsyncIterable<Buffer>) {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      carry = Buffer.concat([carry, chunk]);
      if (carry.length > MAX_LINE) {
        builder.addTextBlock(carry.toString('utf8'), source);
        carry = Buffer.alloc(0);
      }
      continue;
    }
    const firstNewline = chunk.indexOf(NEWLINE);
    if (carry.length > 0) {
      builder.addTextBlock(Buffer.concat([carry, chunk.subarray(0, firstNewline + 1)]).toString('utf8'), source);
      if (lastNewline > firstNewline)
        builder.addTextBlock(chunk.toString('utf8', firstNewline + 1, lastNewline + 1), source);
    } else {
      builder.addTextBlock(chunk.toString('utf8', 0, lastNewline + 1), source);
    }
    carry = Buffer.from(chunk.subarray(lastNewline + 1));
  }
  if (carry.length > 0) builder.addTextBlock(carry.toString('utf8'), source);
}
