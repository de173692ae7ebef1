import type { Check } from '../../diagnosis/evidence';

/** Marker and version of `capture.json`, the file `mesh-doctor capture` writes to say what it read. */
export const CAPTURE_MARKER = 'meshDoctorCapture';
export const CAPTURE_VERSION = 1;
export const CAPTURE_FILE = 'capture.json';

/** `capture.json`: what a capture read, when, and what could not be read (docs/snapshot-format.md). */
export interface CaptureManifest {
  [CAPTURE_MARKER]: typeof CAPTURE_VERSION;
  /** The moment of the read (RFC 3339): the snapshot's "now", as it was the live diagnosis's. */
  capturedAt: string;
  /** Target namespace, or null for every namespace. */
  namespace: string | null;
  controlPlaneNamespaces: string[];
  /** How far back logs were read (`1h`). */
  since: string;
  /** `cloud-logging` (with its project) or `pod-logs`. */
  logs: { source: 'cloud-logging'; project: string } | { source: 'pod-logs' };
  /** One check per source read, as live mode reports them. */
  checks: Check[];
}

const STATUSES = new Set(['ok', 'finding', 'skipped', 'error']);

function isCheck(value: unknown): value is Check {
  const c = value as Partial<Check> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    typeof c.id === 'string' &&
    typeof c.detail === 'string' &&
    STATUSES.has(String(c.status))
  );
}

/** True for a JSON object that is a capture manifest (whatever its file is called). */
export function isCaptureManifest(value: Record<string, unknown>): boolean {
  return CAPTURE_MARKER in value;
}

/** The parts of a manifest the loader uses; a problem is described for the error that names the file. */
export function readManifest(
  value: Record<string, unknown>,
): { capturedAtMs: number; checks: Check[] } | { problem: string } {
  if (value[CAPTURE_MARKER] !== CAPTURE_VERSION)
    return { problem: `capture manifest version ${String(value[CAPTURE_MARKER])} is not ${CAPTURE_VERSION}` };
  const capturedAtMs = typeof value.capturedAt === 'string' ? Date.parse(value.capturedAt) : Number.NaN;
  if (!Number.isFinite(capturedAtMs)) return { problem: 'capture manifest without a valid capturedAt time' };
  const checks = Array.isArray(value.checks) ? value.checks.filter(isCheck) : [];
  return { capturedAtMs, checks };
}
