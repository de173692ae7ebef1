import type { JsonPiece } from '../../src/collect/snapshot/json-stream';
import { JsonScanner } from '../../src/collect/snapshot/json-stream';

/** Feeds text to the scanner in chunks of a given size and collects what it yields. */
function scan(text: string, chunkSize: number): JsonPiece[] {
  const scanner = new JsonScanner();
  const out: JsonPiece[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...scanner.push(text.slice(i, i + chunkSize)));
  out.push(...scanner.end());
  return out;
}

const LIST = JSON.stringify({
  apiVersion: 'v1',
  items: [
    { kind: 'Pod', metadata: { name: 'a', annotations: { note: 'has "quotes" and \\ and ] } [' } } },
    { kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [{ name: 'x' }] } },
  ],
  kind: 'List',
  metadata: { resourceVersion: '' },
});

describe('JsonScanner', () => {
  it.each([1, 2, 7, 64, 100000])('streams the items of a List in chunks of %i characters', (size) => {
    const pieces = scan(LIST, size);

    expect(pieces).toEqual([
      { type: 'element', index: 0, value: JSON.parse(LIST).items[0] },
      { type: 'element', index: 1, value: JSON.parse(LIST).items[1] },
      {
        type: 'document',
        value: { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } },
        streamedKey: 'items',
      },
    ]);
  });

  it('streams the elements of a top-level array (gcloud logging read)', () => {
    const entries = [
      { textPayload: 'a [b] {c}', timestamp: '2024-01-01T00:00:00Z' },
      { jsonPayload: { message: 'x' } },
    ];

    const pieces = scan(`\n  ${JSON.stringify(entries, null, 2)}\n`, 5);

    expect(pieces).toEqual([
      { type: 'element', index: 0, value: entries[0] },
      { type: 'element', index: 1, value: entries[1] },
    ]);
  });

  it('keeps a single object whole when it has no items', () => {
    const object = { kind: 'MutatingWebhookConfiguration', metadata: { name: 'x' }, webhooks: [{ name: 'a' }] };

    expect(scan(JSON.stringify(object), 3)).toEqual([{ type: 'document', value: object, streamedKey: null }]);
  });

  it.each([
    ['{"items": [{"kind": "Pod"', /truncated JSON: the file ends inside an object/],
    ['[{"a": "unterminated', /truncated JSON: the file ends inside a string/],
    ['', /empty file/],
    ['kind: Pod', /not a JSON array or object/],
    ['[{"a":1}] [', /unexpected data after the JSON value/],
    ['[1, 2]', /array element 0 is not an object/],
    ['[{"a": 1,}]', /invalid JSON in element 0/],
    ['{"a": ]', /unbalanced \]/],
  ])('rejects %j', (text, message) => {
    expect(() => scan(text, 4)).toThrow(message);
  });
});
