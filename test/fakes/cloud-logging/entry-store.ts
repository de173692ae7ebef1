import { randomBytes } from 'node:crypto';
import { ApiError } from './api-error';
import type { EntryPredicate, IndexedEntry } from './filter-eval';
import { compileFilter } from './filter-eval';
import type { ListQuery } from './list-request';
import type { LogEntry } from './log-entry';
import { canonicalTime } from './log-entry';

/** One page of `entries.list`. */
export interface Page {
  entries: LogEntry[];
  nextPageToken?: string;
}

/** Where a query stands: `next` is the position (in query order) among the filter's matches. */
interface Cursor {
  filter: string;
  order: 'asc' | 'desc';
  next: number;
  emptyLeft: number;
}

/** Filters whose matches are kept; the oldest is dropped beyond this. */
const FILTER_CACHE_SIZE = 256;

/**
 * The entries, sorted by time (stable: equal times keep their input order; `timestamp desc` is the exact
 * reverse), and the queries in progress. A filter is evaluated once per distinct string over every entry
 * (the entries never change), its matches kept; a page token remembers where its query stopped, so a
 * page, and a query asked again, cost only the entries they return.
 */
export class EntryStore {
  private readonly rows: IndexedEntry[];
  private readonly matches = new Map<string, number[]>();
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly original: readonly LogEntry[],
    private readonly emptyPagesBeforeData = 0,
  ) {
    const rows = original.map((entry) => ({ entry, time: canonicalTime(entry.timestamp) ?? '' }));
    const sorted = rows.every((row, i) => i === 0 || (rows[i - 1] as IndexedEntry).time <= row.time);
    this.rows = sorted ? rows : rows.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  /** The entries as given. */
  entries(): LogEntry[] {
    return [...this.original];
  }

  /** Answers one `entries.list` call. Throws {@link ApiError} or a filter error for a bad request. */
  list(query: ListQuery): Page {
    const cursor = query.pageToken === null ? this.start(query) : this.resume(query, query.pageToken);
    if (cursor.emptyLeft > 0) {
      return { entries: [], nextPageToken: this.issue({ ...cursor, emptyLeft: cursor.emptyLeft - 1 }) };
    }
    const matches = this.matching(query.filter);
    const n = matches.length;
    const desc = cursor.order === 'desc';
    const out: LogEntry[] = [];
    let k = cursor.next;
    for (; k < n && out.length < query.pageSize; k++) {
      out.push((this.rows[matches[desc ? n - 1 - k : k] as number] as IndexedEntry).entry);
    }
    if (k >= n) return { entries: out };
    return { entries: out, nextPageToken: this.issue({ ...cursor, next: k }) };
  }

  private start(query: ListQuery): Cursor {
    this.matching(query.filter);
    return { filter: query.filter, order: query.order, next: 0, emptyLeft: this.emptyPagesBeforeData };
  }

  private resume(query: ListQuery, token: string): Cursor {
    const cursor = this.cursors.get(token);
    if (!cursor) throw new ApiError(400, `Invalid page token ${JSON.stringify(token)}.`);
    if (cursor.filter !== query.filter || cursor.order !== query.order) {
      throw new ApiError(400, 'The page token was issued for a different filter or orderBy.');
    }
    return cursor;
  }

  private issue(cursor: Cursor): string {
    const token = randomBytes(18).toString('base64url');
    this.cursors.set(token, cursor);
    return token;
  }

  /** Positions (in time order) of the entries the filter matches; throws for a filter that does not parse. */
  private matching(filter: string): number[] {
    let found = this.matches.get(filter);
    if (!found) {
      const match: EntryPredicate = compileFilter(filter);
      found = [];
      for (let i = 0; i < this.rows.length; i++) if (match(this.rows[i] as IndexedEntry)) found.push(i);
      if (this.matches.size >= FILTER_CACHE_SIZE) {
        const oldest = this.matches.keys().next();
        if (!oldest.done) this.matches.delete(oldest.value);
      }
      this.matches.set(filter, found);
    }
    return found;
  }
}
