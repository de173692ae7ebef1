/**
 * A fake Google Cloud Logging server for tests and benchmarks: `POST /v2/entries:list` over REST, as the real
 * `@google-cloud/logging` client (fallback: 'rest') calls it, with a subset of the query language, paging,
 * page tokens and injected faults. `connectLogging(fake)` builds the real client pointed at it.
 */
export { connectLogging } from './client';
export type { SnapshotEntryOptions } from './entries';
export { DEFAULT_PROJECT_ID, entriesFromSnapshot } from './entries';
export type { EntryPredicate, IndexedEntry } from './filter-eval';
export { compileFilter } from './filter-eval';
export type { CompareOp, FilterNode, FilterValue } from './filter-parser';
export { FilterError, MAX_FILTER_LENGTH, parseFilter } from './filter-parser';
export type { FaultRule } from './faults';
export type { RecordedRequest } from './list-request';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './list-request';
export type { LogEntry } from './log-entry';
export type { FakeLogging, FakeLoggingOptions } from './server';
export { startFakeLogging } from './server';
