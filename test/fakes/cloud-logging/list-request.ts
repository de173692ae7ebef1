import { ApiError } from './api-error';

/** What the client sent to `entries.list`, recorded before any validation. */
export interface RecordedRequest {
  filter: string | undefined;
  orderBy: string | undefined;
  pageSize: number | undefined;
  pageToken: string | undefined;
  resourceNames: string[] | undefined;
}

/** A validated `entries.list` request. */
export interface ListQuery {
  filter: string;
  order: 'asc' | 'desc';
  pageSize: number;
  pageToken: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const MAX_RESOURCE_NAMES = 100;

type Json = Record<string, unknown>;

/** The fields of the body as sent; values of the wrong type are kept as they are. */
export function recordRequest(body: Json): RecordedRequest {
  return {
    filter: body.filter as string | undefined,
    orderBy: body.orderBy as string | undefined,
    pageSize: body.pageSize as number | undefined,
    pageToken: body.pageToken as string | undefined,
    resourceNames: body.resourceNames as string[] | undefined,
  };
}

/** Validates the body of `POST /v2/entries:list` the way the real service does. */
export function parseListRequest(body: Json, projectId: string): ListQuery {
  checkResourceNames(body.resourceNames, projectId);
  const filter = optionalString(body.filter, 'filter');
  const orderBy = optionalString(body.orderBy, 'orderBy').trim().replace(/\s+/g, ' ').toLowerCase();
  if (orderBy !== '' && orderBy !== 'timestamp asc' && orderBy !== 'timestamp desc') {
    throw new ApiError(
      400,
      `Invalid orderBy ${JSON.stringify(body.orderBy)}: use "timestamp asc" or "timestamp desc".`,
    );
  }
  const pageToken = optionalString(body.pageToken, 'pageToken');
  return {
    filter,
    order: orderBy === 'timestamp desc' ? 'desc' : 'asc',
    pageSize: pageSize(body.pageSize),
    pageToken: pageToken === '' ? null : pageToken,
  };
}

function checkResourceNames(value: unknown, projectId: string): void {
  if (!Array.isArray(value) || value.length === 0) throw new ApiError(400, 'resourceNames must not be empty.');
  if (value.length > MAX_RESOURCE_NAMES) {
    throw new ApiError(400, `At most ${MAX_RESOURCE_NAMES} resourceNames are allowed, got ${value.length}.`);
  }
  const own = `projects/${projectId}`;
  if (!value.includes(own)) {
    throw new ApiError(
      403,
      `Permission 'logging.logEntries.list' denied on ${JSON.stringify(value)}; this server holds ${own} only.`,
    );
  }
}

function optionalString(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ApiError(400, `Invalid value for ${name}: expected a string.`);
  return value;
}

function pageSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new ApiError(400, `Invalid value for pageSize: ${JSON.stringify(value)}.`);
  }
  if (n < 0 || n > MAX_PAGE_SIZE) {
    throw new ApiError(400, `pageSize must be between 0 and ${MAX_PAGE_SIZE}, got ${n}.`);
  }
  return n === 0 ? DEFAULT_PAGE_SIZE : n;
}
