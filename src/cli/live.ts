import type { CaptureResult } from '../collect/capture/capture';
import { captureSnapshot } from '../collect/capture/capture';
import type { LiveSources } from '../collect/live/collect-live';
import { collectLive } from '../collect/live/collect-live';
import { loadKubeConfig, makeLogging, resolveProject } from '../collect/live/clients';
import { makeKubeApis } from '../collect/live/kube-apis';
import type { CliConfig } from '../config/load-config';
import type { Catalog } from '../runbooks/catalog';
import type { Check, Evidence } from '../diagnosis/evidence';
import type { CaptureArgs, DiagnoseArgs } from './args';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "1h", "2d" in milliseconds. */
export function durationMs(text: string): number {
  const unit = text.slice(-1);
  return Number(text.slice(0, -1)) * (UNIT_MS[unit] ?? 3_600_000);
}

/** The cluster and logging clients of a live read; flags win over settings. */
function liveSources(
  flags: { context: string | null; project: string | null },
  config: CliConfig,
): { sources: LiveSources; projectId: string | null; cluster: string | null } {
  const kubeConfig = loadKubeConfig(flags.context, config.kube.kubeconfig);
  const kube = makeKubeApis(kubeConfig);
  const projectId = resolveProject(flags.project, config.google);
  const logging = projectId ? { client: makeLogging(projectId, config.google), projectId } : null;
  return { sources: { kube, logging }, projectId, cluster: kubeConfig.getCurrentContext() || null };
}

/** The contexts of the kubeconfig, for `--all-contexts`. */
export function contextsForCli(config: CliConfig): string[] {
  return loadKubeConfig(null, config.kube.kubeconfig)
    .getContexts()
    .map((c) => c.name);
}

/** Reads the live cluster (and Cloud Logging when a project is known) for the CLI; names the cluster read. */
export async function collectForCli(
  args: DiagnoseArgs,
  catalog: Catalog,
  config: CliConfig,
): Promise<{ evidence: Evidence; checks: Check[]; cluster: string | null }> {
  const { sources, cluster } = liveSources(args, config);
  const read = await collectLive(sources, catalog, {
    namespace: args.namespace,
    workload: args.workload,
    controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
    sinceMs: durationMs(args.since),
    nowMs: Date.now(),
  });
  return { evidence: read.evidence, checks: read.checks, cluster };
}

/** `mesh-doctor capture`: the same live read, written to `args.output` as a snapshot. */
export async function captureForCli(args: CaptureArgs, catalog: Catalog, config: CliConfig): Promise<CaptureResult> {
  const { sources, projectId } = liveSources(args, config);
  return captureSnapshot(sources, catalog, {
    output: args.output,
    namespace: args.namespace,
    controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
    sinceMs: durationMs(args.since),
    since: args.since,
    project: projectId,
    nowMs: Date.now(),
  });
}
