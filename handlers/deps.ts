import type { Catalog } from '../src/runbooks/catalog';
import type { DiagnoseJob } from '../src/queue/jobs';
import type { AuditEntry } from '../src/remediation/audit';
import type { ClickAction } from '../src/remediation/approval-service';

/** Patch approvals, when configured (MESH_APPROVERS). */
export interface ApprovalDeps {
  /** Handles a button click; returns the ephemeral answer for the clicker, or null. */
  click(action: ClickAction, proposalId: string, userId: string): Promise<string | null>;
  /** The latest audit entries, newest first. */
  latest(n: number): Promise<AuditEntry[]>;
}

/** Queue state for `/mesh status`. */
export interface QueueStatus {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  workers: number;
  recentFailures: string[];
}

/** What the Slack handlers may do; the bot's composition root provides it. */
export interface HandlerDeps {
  catalog: Catalog;
  /** Claims a request key once (a redelivered command gets false) — before anything is posted. */
  claim(requestKey: string): Promise<boolean>;
  enqueue(job: DiagnoseJob): Promise<{ jobId: string; queued: boolean }>;
  status(): Promise<QueueStatus>;
  /**
   * Runs a command's follow-up after the ack, a few at a time (see src/util/work-limiter.ts);
   * false when the backlog is full.
   */
  defer(task: () => Promise<void>): boolean;
  /** Present when approvals are configured. */
  approvals?: ApprovalDeps;
  log: {
    info(data: object, msg: string): void;
    warn(data: object, msg: string): void;
    error(data: object, msg: string): void;
  };
}
