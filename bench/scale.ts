/**
 * bench:scale — live diagnoses of generated clusters of 200, 2,000 and 20,000 pods (10× steps, log entries
 * growing alike) through the fake Kubernetes API and Cloud Logging. Each size runs in a fresh process, so
 * its peak RSS is its own; per size: the time of an all-namespaces diagnosis (after one warm-up), the
 * Kubernetes API and Cloud Logging calls it made, and the peak RSS. The last line printed is one JSON
 * object; growth_2k_to_20k is ms(20,000) / ms(2,000) (10 would be linear).
 *
 * The fake Cloud Logging evaluates a filter once over all its entries and keeps the matches, so the measured
 * run (the warm-up asked the same queries) times mesh-doctor's reading and diagnosis, not the fake's filter
 * evaluation over a million entries, which the real service does on its side.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { makeLogging } from '../src/collect/live/clients';
import { collectLive } from '../src/collect/live/collect-live';
import { makeKubeApis } from '../src/collect/live/kube-apis';
import { diagnose } from '../src/diagnosis/engine';
import { loadCatalog } from '../src/runbooks/catalog';
import type { ClusterSize } from './fixtures/fake-cluster';
import { BENCH_NOW } from './fixtures/fake-cluster';

const SINCE_MS = 2 * 3_600_000;
/** Pods per step: namespaces grow 10×, each with 10 Deployments of 10 pods; 100 log entries per pod. */
const STEPS: ClusterSize[] = [2, 20, 200].map((namespaces) => ({
  namespaces,
  deploymentsPerNamespace: 10,
  podsPerDeployment: 10,
  logEntries: namespaces * 10 * 10 * 50,
}));

interface StepResult {
  pods: number;
  ms: number;
  rssMb: number;
  calls: { k8s: number; logging: number };
  findings: number;
  errors: string[];
}

function ask<T>(child: ReturnType<typeof fork>, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ cmd });
  });
}

/** One size, in this process: fakes in a child of their own, one warm-up, then the measured diagnosis. */
async function measure(size: ClusterSize): Promise<StepResult> {
  const fakes = fork(join(__dirname, 'live-fakes.js'), {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CLUSTER_SIZE: JSON.stringify(size) },
  });
  const ready = await new Promise<{ kubeconfigYaml: string; loggingUrl: string; projectId: string }>((resolve) =>
    fakes.once('message', (m) => resolve(m as never)),
  );
  const catalog = loadCatalog();
  const kc = new KubeConfig();
  kc.loadFromString(ready.kubeconfigYaml);
  const client = makeLogging(ready.projectId, {
    project: ready.projectId,
    credentialsFile: undefined,
    loggingApiEndpoint: ready.loggingUrl,
  });
  const sources = { kube: makeKubeApis(kc), logging: { client, projectId: ready.projectId } };
  const run = async () => {
    const { evidence, checks } = await collectLive(sources, catalog, {
      namespace: null,
      controlPlaneNamespaces: ['istio-system'],
      sinceMs: SINCE_MS,
      nowMs: BENCH_NOW,
    });
    return diagnose(evidence, catalog, { target: { namespace: null, workload: null }, collectionChecks: checks });
  };
  await run();
  await ask(fakes, 'reset');
  const started = performance.now();
  const report = await run();
  const ms = performance.now() - started;
  const calls = await ask<{ k8s: number; logging: number }>(fakes, 'counts');
  const exited = new Promise((resolve) => fakes.once('exit', resolve));
  fakes.send({ cmd: 'stop' });
  await exited;
  return {
    pods: size.namespaces * size.deploymentsPerNamespace * size.podsPerDeployment,
    ms: Math.round(ms),
    rssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    calls,
    findings: report.findings.length,
    errors: report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.detail}`),
  };
}

async function main(): Promise<void> {
  const step = process.env.BENCH_SCALE_STEP;
  if (step !== undefined) {
    const result = await measure(STEPS[Number(step)] as ClusterSize);
    // Exit only once the result reached the parent.
    await new Promise<void>((resolve) => process.send?.(result, () => resolve()));
    return;
  }
  const results: StepResult[] = [];
  for (let i = 0; i < STEPS.length; i++) {
    const child = fork(__filename, { stdio: 'inherit', env: { ...process.env, BENCH_SCALE_STEP: String(i) } });
    const result = await new Promise<StepResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as StepResult));
      child.once('exit', (code) => reject(new Error(`step ${i} exited with ${code}`)));
    });
    results.push(result);
    console.log(
      `${result.pods} pods: ${result.ms} ms, ${result.calls.k8s} Kubernetes API and ${result.calls.logging} Cloud Logging calls, peak RSS ${result.rssMb} MB, ${result.findings} findings${result.errors.length ? `; errors: ${result.errors.join('; ')}` : ''}`,
    );
  }
  const [, twoK, twentyK] = results;
  console.log(
    JSON.stringify({
      bench: 'scale',
      pods: results.map((r) => r.pods),
      ms: results.map((r) => r.ms),
      rss_mb: results.map((r) => r.rssMb),
      growth_2k_to_20k: twoK && twentyK ? Math.round((twentyK.ms / twoK.ms) * 100) / 100 : null,
      calls: results.map((r) => r.calls.k8s + r.calls.logging),
    }),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
