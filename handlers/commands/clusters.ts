import type { HandlerDeps } from '../../src/bot/handler-deps';
import { isLive, isLiveWorker } from '../../src/pipeline/clusters';
import { formatDuration } from '../../src/util/time';
import type { MeshAsk, Parsed } from './args';
import { answer } from './args';

/** `/mesh clusters`: each cluster the workers announced, its workers, and when it was last seen. */
export async function clustersCommand(ask: MeshAsk, _parsed: Parsed<'clusters'>, deps: HandlerDeps): Promise<void> {
  const nowMs = Date.now();
  const list = await deps.clusters();
  if (list.length === 0) {
    await answer(
      ask,
      'No worker has announced a cluster yet: start one (`mesh-doctor worker`) with MESH_CLUSTER_NAME or MESH_CLUSTERS set, or check `/mesh status`.',
    );
    return;
  }
  const lines = list.map((p) => {
    const live = p.workers.filter((w) => isLiveWorker(w, nowMs)).length;
    const state = isLive(p, nowMs)
      ? `:large_green_circle: ${live} worker${live === 1 ? '' : 's'}`
      : `:red_circle: no worker, last seen ${formatDuration(nowMs - p.lastSeenMs)} ago`;
    return `• *${p.cluster}*: ${state}`;
  });
  await answer(
    ask,
    `Clusters:\n${lines.join('\n')}\nName one with \`/mesh diagnose <cluster>:<namespace>[/<workload>]\`.`,
  );
}
