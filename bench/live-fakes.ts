/**
 * Child process of bench:live: serves the generated cluster from the fake Kubernetes API and Cloud
 * Logging, so that the measuring process holds only what mesh-doctor itself holds. Talks over IPC:
 * sends {ready, kubeconfigYaml, loggingUrl, projectId}; answers {cmd: 'counts'} and {cmd: 'reset'}.
 */
import { startFakeLogging } from '../test/fakes/cloud-logging';
import { startFakeKubeApi } from '../test/fakes/kube-api';
import type { ClusterSize } from './fixtures/fake-cluster';
import { BENCH_NOW, BENCH_SIZE, generateEntries, generateObjects } from './fixtures/fake-cluster';

/** BENCH_SIZE, or the size the parent passes in BENCH_CLUSTER_SIZE (JSON), as bench:scale does. */
function size(): ClusterSize {
  const given = process.env.BENCH_CLUSTER_SIZE;
  return given ? (JSON.parse(given) as ClusterSize) : BENCH_SIZE;
}

async function main(): Promise<void> {
  const projectId = 'bench-project';
  const [kube, logging] = await Promise.all([
    startFakeKubeApi({ objects: generateObjects(size()), now: new Date(BENCH_NOW).toISOString() }),
    startFakeLogging({ entries: generateEntries(size(), projectId) as never, projectId }),
  ]);
  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'counts') process.send?.({ k8s: kube.requests.length, logging: logging.requests.length });
    if (message.cmd === 'reset') {
      kube.requests.length = 0;
      logging.requests.length = 0;
      process.send?.({ reset: true });
    }
    if (message.cmd === 'stop') void Promise.all([kube.close(), logging.close()]).then(() => process.exit(0));
  });
  process.send?.({ ready: true, kubeconfigYaml: kube.kubeconfigYaml, loggingUrl: logging.url, projectId });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
