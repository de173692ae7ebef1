import type { IncomingMessage } from 'node:http';
import { readBody } from '../../../src/util/read-body';
import type { SlackBody } from './types';

/** Form fields the client sends JSON-encoded (objects and arrays are stringified before form encoding). */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata', 'view', 'user_auth_blocks', 'unfurls']);

const MAX_BODY = 64 << 20;

/** The raw request body; null when it is larger than the fake accepts. */
export function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  return readBody(req, MAX_BODY);
}

/** Parses a body sent form-encoded, as JSON or as multipart; unknown types give `{}`. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<SlackBody> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return decodeFields(new URLSearchParams(raw.toString('utf8')));
  if (type === 'multipart/form-data' && contentType) return parseMultipart(raw, contentType);
  return {};
}

function parseJson(raw: Buffer): SlackBody {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** Multipart fields: strings decoded like form fields, files as Buffers. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<SlackBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const body: SlackBody = {};
  for (const [key, value] of form) {
    body[key] = typeof value === 'string' ? decodeField(key, value) : Buffer.from(await value.arrayBuffer());
  }
  return body;
}

function decodeFields(params: URLSearchParams): SlackBody {
  const body: SlackBody = {};
  for (const [key, value] of params) body[key] = decodeField(key, value);
  return body;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
