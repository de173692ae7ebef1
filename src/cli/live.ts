import { collectLive } from '../collect/live/collect-live';
import { loadKubeConfig, makeLogging, resolveProject } from '../collect/live/clients';
import { makeKubeApis } from '../collect/live/kube-apis';
import { loadControlPlaneNamespaces } from '../config/load-config';
import type { Catalog } from '../runbooks/catalog';
import type { Check, Evidence } from '../diagnosis/evidence';
import type { DiagnoseArgs } from './args';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "1h", "2d" in milliseconds. */
export function durationMs(text: string): number {
  const unit = text.slice(-1);
  return Number(text.slice(0, -1)) * (UNIT_MS[unit] ?? 3_600_000);
}

/** Reads the live cluster (and Cloud Logging when a project is known) for the CLI. */
export async function collectForCli(
  args: DiagnoseArgs,
  catalog: Catalog,
  env: NodeJS.ProcessEnv,
): Promise<{ evidence: Evidence; checks: Check[] }> {
  const kube = makeKubeApis(loadKubeConfig(args.context, env));
  const projectId = resolveProject(args.project, env);
  const logging = projectId ? { client: makeLogging(projectId, env), projectId } : null;
  return collectLive({ kube, logging }, catalog, {
    namespace: args.namespace,
    controlPlaneNamespaces: loadControlPlaneNamespaces(env),
    sinceMs: durationMs(args.since),
    nowMs: Date.now(),
  });
}
