/**
 * Stable codes of the errors mesh-doctor raises on purpose. Logs, metrics and tests match on the code;
 * the message is for people and may be reworded.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_FILE'
  | 'CATALOG_INVALID'
  | 'USAGE'
  | 'SNAPSHOT_UNREADABLE'
  | 'JSON_STREAM'
  | 'JSON_LINES'
  | 'TIMEOUT'
  | 'CLIENT_CONFIG'
  | 'CLUSTER_UNREACHABLE'
  | 'SLACK_API'
  | 'KUBE_UNSUPPORTED_KIND'
  | 'PROPOSAL_TRANSITION'
  | 'PROGRAMMING'
  | 'UNEXPECTED';

/** The base of every error mesh-doctor throws on purpose. */
export class MeshError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The message of anything thrown: an Error's message (also of errors from another realm, which fail
 * `instanceof Error`), else its string form. Never the contents of a thrown object, which may reach
 * people and could carry anything.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** A MeshError as it is, or an unknown throw wrapped as UNEXPECTED (the original kept as its cause). */
export function asMeshError(err: unknown): MeshError {
  return err instanceof MeshError ? err : new MeshError('UNEXPECTED', errorMessage(err), { cause: err });
}

/** Fields for a log line about a failure: the code (when known) and the message. */
export function errorFields(err: unknown): { code: ErrorCode; err: string } {
  const e = asMeshError(err);
  return { code: e.code, err: e.message };
}
