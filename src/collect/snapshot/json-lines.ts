import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MeshError } from '../../util/errors';

export class JsonLinesError extends MeshError {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super('JSON_LINES', `line ${line}: invalid JSON: ${reason}`);
  }
}

/** The values of a JSONL / NDJSON file, one per non-blank line, streamed; a bad line throws with its number. */
export async function* readJsonLines(file: string): AsyncGenerator<{ line: number; value: unknown }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    try {
      yield { line: n, value: JSON.parse(text) as unknown };
    } catch (err) {
      if (err instanceof SyntaxError) throw new JsonLinesError(n, err.message);
      throw err;
    }
  }
}
