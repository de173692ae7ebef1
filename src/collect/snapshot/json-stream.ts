import { createReadStream } from 'node:fs';
import { errorMessage, MeshError } from '../../util/errors';

/** What the streaming reader found in a JSON file. */
export type JsonPiece =
  { type: 'element'; index: number; value: unknown } | { type: 'document'; value: unknown; streamedKey: string | null };

export class JsonStreamError extends MeshError {
  constructor(message: string) {
    super('JSON_STREAM', message);
  }
}

/** Keys of a top-level object whose array elements are streamed one by one instead of held whole. */
const STREAMED_KEYS = new Set(['items', 'entries']);

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Reads a JSON file without holding all of it. Elements of a top-level array, or of the `items` /
 * `entries` array of a top-level object, are parsed and yielded one at a time. The rest of a top-level
 * object is yielded last as a `document`, with the streamed array emptied.
 */
export async function* readJsonPieces(path: string, highWaterMark = 1 << 20): AsyncGenerator<JsonPiece> {
  const scanner = new JsonScanner();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark });
  for await (const chunk of stream as AsyncIterable<string>) {
    yield* scanner.push(chunk);
  }
  yield* scanner.end();
}

/** Incremental scanner behind {@link readJsonPieces}; exported for tests that feed odd chunk sizes. */
export class JsonScanner {
  private readonly stack: number[] = [];
  private inString = false;
  private escape = false;
  private started = false;
  private done = false;
  private topIsArray = false;
  private streaming = false;
  private streamedKey: string | null = null;
  private expectKey = false;
  private keyParts: string[] | null = null;
  private keyStart = 0;
  private lastKey: string | null = null;
  private capture: string[] | null = null;
  private captureStart = 0;
  private readonly doc: string[] = [];
  private docStart = 0;
  private index = 0;
  private position = 0;

  *push(chunk: string): Generator<JsonPiece> {
    this.captureStart = 0;
    this.docStart = 0;
    this.keyStart = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.closeString(chunk, i);
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (this.done)
        throw new JsonStreamError(`unexpected data after the JSON value at character ${this.position + i}`);
      if (!this.started) this.start(c, chunk, i);
      const piece = this.structural(c, chunk, i);
      if (piece) yield piece;
    }
    if (this.capture) this.capture.push(chunk.slice(this.captureStart));
    else if (this.started && !this.topIsArray) this.doc.push(chunk.slice(this.docStart));
    if (this.keyParts) this.keyParts.push(chunk.slice(this.keyStart));
    this.position += n;
  }

  *end(): Generator<JsonPiece> {
    if (!this.started) throw new JsonStreamError('empty file (no JSON value)');
    if (!this.done) {
      const inside = this.inString ? 'a string' : this.stack.at(-1) === OPEN_ARRAY ? 'an array' : 'an object';
      throw new JsonStreamError(`truncated JSON: the file ends inside ${inside}`);
    }
    if (this.topIsArray) return;
    const value = parse(this.doc.join(''), 'the top-level object');
    if (this.streamedKey && value && typeof value === 'object')
      (value as Record<string, unknown>)[this.streamedKey] = [];
    yield { type: 'document', value, streamedKey: this.streamedKey };
  }

  private start(c: number, chunk: string, i: number): void {
    if (c !== OPEN_ARRAY && c !== OPEN_OBJECT) {
      throw new JsonStreamError(`not a JSON array or object (starts with ${JSON.stringify(chunk.slice(i, i + 16))})`);
    }
    this.started = true;
    this.topIsArray = c === OPEN_ARRAY;
    this.docStart = i;
  }

  private get elementDepth(): number {
    return this.topIsArray ? 1 : this.streaming ? 2 : -1;
  }

  private structural(c: number, chunk: string, i: number): JsonPiece | null {
    const depth = this.stack.length;
    if (c === QUOTE) {
      if (depth === 1 && this.topIsArray) throw new JsonStreamError(`array element ${this.index} is not an object`);
      this.inString = true;
      if (depth === 1 && !this.topIsArray && this.expectKey) {
        this.keyParts = [];
        this.keyStart = i;
      }
      return null;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === this.elementDepth && this.capture === null) this.beginCapture(chunk, i);
      if (depth === 1 && !this.topIsArray && c === OPEN_ARRAY && this.lastKey && STREAMED_KEYS.has(this.lastKey)) {
        if (this.streamedKey === null) {
          this.streaming = true;
          this.streamedKey = this.lastKey;
        }
      }
      this.stack.push(c);
      if (depth === 0 && c === OPEN_OBJECT) this.expectKey = true;
      return null;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      const open = this.stack.pop();
      if (open === undefined || (c === CLOSE_OBJECT) !== (open === OPEN_OBJECT)) {
        throw new JsonStreamError(`unbalanced ${String.fromCharCode(c)} at character ${this.position + i}`);
      }
      if (this.stack.length === 1 && this.streaming && !this.topIsArray && open === OPEN_ARRAY) this.streaming = false;
      if (this.stack.length === 0) this.done = true;
      if (this.capture !== null && this.stack.length === this.elementDepthAfterClose())
        return this.endCapture(chunk, i);
      return null;
    }
    if (depth === 1 && !this.topIsArray) {
      if (c === COMMA) this.expectKey = true;
      else if (c === COLON) this.expectKey = false;
    } else if (depth === 1 && this.topIsArray && c !== COMMA) {
      throw new JsonStreamError(`array element ${this.index} is not an object`);
    }
    return null;
  }

  /** Depth to which the stack returns when a captured element closes. */
  private elementDepthAfterClose(): number {
    return this.topIsArray ? 1 : 2;
  }

  private beginCapture(chunk: string, i: number): void {
    if (!this.topIsArray) {
      this.doc.push(chunk.slice(this.docStart, i), '0');
    }
    this.capture = [];
    this.captureStart = i;
  }

  private endCapture(chunk: string, i: number): JsonPiece {
    const parts = this.capture ?? [];
    parts.push(chunk.slice(this.captureStart, i + 1));
    this.capture = null;
    this.docStart = i + 1;
    const index = this.index++;
    return { type: 'element', index, value: parse(parts.join(''), `element ${index}`) };
  }

  private closeString(chunk: string, i: number): void {
    this.inString = false;
    if (this.keyParts === null) return;
    this.keyParts.push(chunk.slice(this.keyStart, i + 1));
    this.lastKey = parse(this.keyParts.join(''), 'a key') as string;
    this.keyParts = null;
  }
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new JsonStreamError(`invalid JSON in ${what}: ${errorMessage(err)}`);
  }
}
