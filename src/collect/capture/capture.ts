import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Check } from '../../diagnosis/evidence';
import type { Catalog } from '../../runbooks/catalog';
import { MeshError } from '../../util/errors';
import { toIso } from '../../util/time';
import { EvidenceBuilder } from '../evidence-builder';
import type { LiveOptions, LiveSources } from '../live/collect-live';
import { collectLive } from '../live/collect-live';
import { LogMatcher } from '../log-matcher';
import type { CaptureManifest } from './manifest';
import { CAPTURE_FILE, CAPTURE_MARKER, CAPTURE_VERSION } from './manifest';
import type { RecordedCounts } from './snapshot-recorder';
import { SnapshotRecorder } from './snapshot-recorder';

/** The output directory cannot be used: it is not empty, not a directory, or cannot be made. */
export class CaptureOutputError extends MeshError {
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super('USAGE', `${dir}: ${problem}`);
  }
}

/** Makes `dir` when it does not exist; refuses one that holds anything, so no earlier capture is mixed in. */
export async function prepareOutput(dir: string): Promise<void> {
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new CaptureOutputError(dir, `cannot use it (${err.code ?? err.message})`);
  });
  if (info && !info.isDirectory()) throw new CaptureOutputError(dir, 'exists and is not a directory');
  if (info && (await readdir(dir)).length > 0)
    throw new CaptureOutputError(dir, 'is not empty; capture into a new or empty directory');
  await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CaptureOutputError(dir, `cannot create it (${err.code ?? err.message})`);
  });
}

/** What a capture read and wrote. */
export interface CaptureResult {
  counts: RecordedCounts;
  checks: Check[];
  manifest: CaptureManifest;
}

/** A capture: the live read's options, and what `capture.json` records about them. */
export interface CaptureOptions extends Omit<LiveOptions, 'builder'> {
  output: string;
  /** The `--since` text, recorded as given. */
  since: string;
  /** The Cloud Logging project read, or null for pod logs. */
  project: string | null;
}

/**
 * Reads the cluster and logs exactly as a live diagnosis does (the same `collectLive`), recording what
 * the evidence builder is given, and writes it to `options.output` as a snapshot with `capture.json`.
 * `diagnose --snapshot` of the result gives the live diagnosis of that moment.
 */
export async function captureSnapshot(
  sources: LiveSources,
  catalog: Catalog,
  options: CaptureOptions,
): Promise<CaptureResult> {
  await prepareOutput(options.output);
  const recorder = new SnapshotRecorder();
  const builder = new EvidenceBuilder(new LogMatcher(catalog.signatures), undefined, recorder);
  const { output, since, project, ...live } = options;
  const { checks } = await collectLive(sources, catalog, { ...live, builder });
  const counts = await recorder.write(output);
  const manifest: CaptureManifest = {
    [CAPTURE_MARKER]: CAPTURE_VERSION,
    capturedAt: toIso(options.nowMs),
    namespace: options.namespace,
    controlPlaneNamespaces: [...options.controlPlaneNamespaces],
    since,
    logs: project ? { source: 'cloud-logging', project } : { source: 'pod-logs' },
    checks,
  };
  await writeFile(join(output, CAPTURE_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { counts: { ...counts, files: counts.files + 1 }, checks, manifest };
}
