import { collectLive } from '../collect/live/collect-live';
import { loadKubeConfig, makeLogging, resolveProject } from '../collect/live/clients';
import { makeKubeApis } from '../collect/live/kube-apis';
import type { CliConfig } from '../config/load-config';
import type { Catalog } from '../runbooks/catalog';
import type { Check, Evidence } from '../diagnosis/evidence';
import type { DiagnoseArgs } from './args';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "1h", "2d" in milliseconds. */
export function durationMs(text: string): number {
  const unit = text.slice(-1);
  return Number(text.slice(0, -1)) * (UNIT_MS[unit] ?? 3_600_000);
}

/** Reads the live cluster (and Cloud Logging when a project is known) for the CLI; flags win over settings. */
export async function collectForCli(
  args: DiagnoseArgs,
  catalog: Catalog,
  config: CliConfig,
): Promise<{ evidence: Evidence; checks: Check[] }> {
  const kube = makeKubeApis(loadKubeConfig(args.context, config.kube.kubeconfig));
  const projectId = resolveProject(args.project, config.google);
  const logging = projectId ? { client: makeLogging(projectId, config.google), projectId } : null;
  return collectLive({ kube, logging }, catalog, {
    namespace: args.namespace,
    controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
    sinceMs: durationMs(args.since),
    nowMs: Date.now(),
  });
}
