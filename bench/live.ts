/**
 * bench:live — a live diagnosis of a generated cluster (2,000 pods, 200 Deployments, 20 namespaces,
 * 200,000 log entries) through the fake Kubernetes API and Cloud Logging, against the time to merely
 * fetch the same data with the client libraries. The last line printed is one JSON object.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { makeLogging } from '../src/collect/live/clients';
import type { KindSpec } from '../src/collect/live/cluster-reader';
import { KIND_SPECS } from '../src/collect/live/cluster-reader';
import { CRD_SPEC } from '../src/collect/live/kind-specs';
import { collectLive } from '../src/collect/live/collect-live';
import type { KubeApis } from '../src/collect/live/kube-apis';
import { makeKubeApis } from '../src/collect/live/kube-apis';
import { buildLogFilters } from '../src/collect/live/log-query';
import { limiter } from '../src/collect/live/retry';
import { diagnose } from '../src/diagnosis/engine';
import { loadCatalog } from '../src/runbooks/catalog';
import { toIso } from '../src/util/time';
import { BENCH_NOW } from './fixtures/fake-cluster';

interface Ready {
  kubeconfigYaml: string;
  loggingUrl: string;
  projectId: string;
}

const SINCE_MS = 2 * 3_600_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
const CONTROL_PLANE = 'istio-system';

function ask<T>(child: ReturnType<typeof fork>, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ cmd });
  });
}

/** Every page of one list call. */
async function listPages(kube: KubeApis, spec: KindSpec, namespace: string | undefined): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await spec.list(kube, {
      limit: 500,
      ...(namespace ? { namespace } : {}),
      ...(token ? { _continue: token } : {}),
    });
    items.push(...page.items);
    token = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
  } while (token);
  return items;
}

/**
 * The same lists and log pages as a diagnosis, through the same clients, with nothing done with them:
 * built-in kinds at once, custom ones once the CRDs say which version is served (none when not installed).
 */
async function fetchOnly(
  kube: KubeApis,
  logging: ReturnType<typeof makeLogging>,
  projectId: string,
  filters: readonly string[],
): Promise<void> {
  const run = limiter(6);
  type Crd = {
    spec?: { group?: string; names?: { plural?: string }; versions?: { name?: string; served?: boolean }[] };
  };
  const served = run(() => listPages(kube, CRD_SPEC, undefined)).then(
    (crds) =>
      new Set(
        (crds as Crd[]).flatMap((c) =>
          (c.spec?.versions ?? [])
            .filter((v) => v.served)
            .map((v) => `${c.spec?.group}/${v.name}/${c.spec?.names?.plural}`),
        ),
      ),
  );
  const list = (spec: KindSpec) =>
    run(() => listPages(kube, spec, spec.scope === 'control-plane' ? CONTROL_PLANE : undefined));
  const lists = KIND_SPECS.filter((alternatives) => alternatives[0] !== CRD_SPEC).map(async (alternatives) => {
    if (alternatives[0]?.typed) return list(alternatives[0]);
    const versions = await served;
    const spec = alternatives.find((s) => versions.has(`${s.apiVersion}/${s.resource}`));
    return spec ? list(spec) : undefined;
  });
  const logs = filters.map(async (filter) => {
    let pageToken: string | undefined;
    do {
      const [, next] = (await logging.getEntries({
        filter,
        orderBy: 'timestamp desc',
        pageSize: 1000,
        autoPaginate: false,
        resourceNames: [`projects/${projectId}`],
        ...(pageToken ? { pageToken } : {}),
      })) as unknown as [unknown[], { pageToken?: string } | null];
      pageToken = next?.pageToken || undefined;
    } while (pageToken);
  });
  await Promise.all([...lists, ...logs]);
}

async function main(): Promise<void> {
  const child = fork(join(__dirname, 'live-fakes.js'), { stdio: 'inherit' });
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m) => resolve(m as Ready)));
  const catalog = loadCatalog();
  const kc = new KubeConfig();
  kc.loadFromString(ready.kubeconfigYaml);
  const kube = makeKubeApis(kc);
  const client = makeLogging(ready.projectId, {
    project: ready.projectId,
    credentialsFile: undefined,
    loggingApiEndpoint: ready.loggingUrl,
  });
  const sources = { kube, logging: { client, projectId: ready.projectId } };
  const diagnoseLive = async (namespace: string | null) => {
    const { evidence, checks } = await collectLive(sources, catalog, {
      namespace,
      controlPlaneNamespaces: [CONTROL_PLANE],
      sinceMs: SINCE_MS,
      nowMs: BENCH_NOW,
    });
    return diagnose(evidence, catalog, { target: { namespace, workload: null }, collectionChecks: checks });
  };

  // The filters of the recent window, read side by side as the diagnosis reads them.
  const filters = buildLogFilters(catalog.signatures, { namespaces: null, sinceIso: toIso(BENCH_NOW - SINCE_MS) });
  console.log(`Cloud Logging filters of the recent window: ${filters.length}`);
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const result = await work();
    return [result, performance.now() - t];
  };
  await diagnoseLive(null);
  await fetchOnly(kube, client, ready.projectId, filters);
  await ask(child, 'reset');
  const [allReport] = await timed(() => diagnoseLive(null));
  const counts = await ask<{ k8s: number; logging: number }>(child, 'counts');
  // Peak memory of this process through the warm-up and one full diagnosis (later rounds only add garbage).
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const nsRuns: number[] = [];
  const allRuns: number[] = [];
  const fetchRuns: number[] = [];
  const diagnoseRuns: number[] = [];
  let nsReport = allReport;
  for (let round = 0; round < ROUNDS; round++) {
    const [ns, nsMs] = await timed(() => diagnoseLive('team-07'));
    nsReport = ns;
    nsRuns.push(nsMs);
    // Alternate which goes first, so that neither always runs on a warmer server.
    const all = () => timed(() => diagnoseLive(null)).then(([, ms]) => allRuns.push(ms));
    const fetch = () =>
      timed(() => fetchOnly(kube, client, ready.projectId, filters)).then(([, ms]) => fetchRuns.push(ms));
    if (round % 2 === 0) await all().then(fetch);
    else await fetch().then(all);
    const { evidence, checks } = await collectLive(sources, catalog, {
      namespace: null,
      controlPlaneNamespaces: [CONTROL_PLANE],
      sinceMs: SINCE_MS,
      nowMs: BENCH_NOW,
    });
    diagnoseRuns.push((await timed(async () => diagnose(evidence, catalog, { collectionChecks: checks })))[1]);
  }
  const nsMs = median(nsRuns);
  const allMs = median(allRuns);
  const fetchMs = median(fetchRuns);
  if (process.env.BENCH_VERBOSE) console.log(JSON.stringify({ nsRuns, allRuns, fetchRuns, diagnoseRuns }));
  console.log(
    `medians of ${ROUNDS} rounds: diagnosis engine alone ${Math.round(median(diagnoseRuns))} ms of the ${Math.round(allMs)} ms all-namespaces run`,
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'stop' });
  await exited;

  const errors = allReport.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.detail}`);
  console.log(
    `namespace team-07: ${nsReport.findings.length} finding(s); all namespaces: ${allReport.findings.length} finding(s) (${[...new Set(allReport.findings.map((f) => f.runbook))].join(', ')})`,
  );
  if (errors.length) console.log(`collection errors: ${errors.join('; ')}`);
  console.log(
    `calls of one all-namespaces diagnosis: ${counts.k8s} Kubernetes API, ${counts.logging} Cloud Logging; diagnosis / fetch-only time ${Math.round((allMs / fetchMs) * 100) / 100}`,
  );
  console.log(
    JSON.stringify({
      bench: 'live',
      ns_ms: Math.round(nsMs),
      all_ms: Math.round(allMs),
      fetch_only_ms: Math.round(fetchMs),
      ratio: Math.round((allMs / fetchMs) * 100) / 100,
      k8s_calls: counts.k8s,
      logging_calls: counts.logging,
      rss_mb: Math.round(rssMb),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
