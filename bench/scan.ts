/**
 * bench:scan — log matching speed of the engine against GNU grep -E -f over the same corpus.
 * Generates a deterministic 1,000,000-line corpus (Envoy access logs, app and istiod logs, about 1 %
 * matching the catalog's signatures), then measures in one run:
 *   - the engine: the snapshot loader reading the corpus as a `kubectl logs` file (the real code path),
 *   - grep: `grep -E -c -f` with the catalog's signatures exported as a pattern file.
 * The last line printed is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LogMatcher } from '../src/collect/log-matcher';
import { loadSnapshot } from '../src/collect/snapshot/load-snapshot';
import { loadCatalog } from '../src/runbooks/catalog';
import { packageRoot } from '../src/util/package-root';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const MATCH_RATE = 0.01;

/** A small deterministic PRNG (mulberry32) so every run reads the same corpus. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['cart', 'catalog', 'checkout', 'payments', 'search', 'reviews', 'ui', 'orders'];
const PATHS = ['/api/items', '/api/cart/42', '/healthz', '/v1/orders?page=3', '/static/app.js', '/graphql'];
const AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64)', 'okhttp/4.12.0', 'Go-http-client/1.1'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function noiseLine(rnd: () => number, i: number): string {
  const svc = pick(rnd, SERVICES);
  const r = rnd();
  if (r < 0.6) {
    const code = rnd() < 0.97 ? 200 : pick(rnd, [201, 204, 301, 404]);
    const flags = code === 404 ? 'NR route_not_found' : '- via_upstream';
    return `[2024-05-14T09:12:03.412Z] "GET ${pick(rnd, PATHS)} HTTP/1.1" ${code} ${flags} - "-" 0 ${Math.floor(rnd() * 5000)} ${Math.floor(rnd() * 90)} ${Math.floor(rnd() * 80)} "-" "${pick(rnd, AGENTS)}" "${(i * 2654435761).toString(16)}-4c1f" "${svc}.shop.svc.cluster.local:8080" "10.4.${i % 250}.${(i * 7) % 250}:8080" outbound|8080||${svc}.shop.svc.cluster.local 10.4.1.9:51234 10.8.3.21:8080 10.4.1.9:43210 - default`;
  }
  if (r < 0.8)
    return `{"level":"info","ts":"2024-05-14T09:12:03.412Z","msg":"handled request","service":"${svc}","route":"${pick(rnd, PATHS)}","latency_ms":${Math.floor(rnd() * 300)},"user":"u-${i % 9973}"}`;
  if (r < 0.9)
    return `info\tads\tPush debounce stable[${i % 1000}] ${Math.floor(rnd() * 20)} for config ServiceEntry/shop/${svc}.shop.svc.cluster.local: 100.2ms since last change, 100.2ms since last push, full=true`;
  return `warn\tenvoy config\tStreamAggregatedResources gRPC config stream to xds-grpc closed since ${Math.floor(rnd() * 3000)}s ago: 0, `;
}

async function writeCorpus(path: string, examples: string[]): Promise<number> {
  const rnd = prng(20241123);
  const out = createWriteStream(path);
  let expected = 0;
  let buffer: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const second = String(i % 60).padStart(2, '0');
    const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const stamp = `2024-05-14T10:${minute}:${second}.${String(i % 1e6).padStart(6, '0')}000Z`;
    const matching = rnd() < MATCH_RATE;
    if (matching) expected++;
    buffer.push(`${stamp} ${matching ? pick(rnd, examples) : noiseLine(rnd, i)}`);
    if (buffer.length === 10_000) {
      if (!out.write(`${buffer.join('\n')}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = [];
    }
  }
  out.write(buffer.length ? `${buffer.join('\n')}\n` : '');
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return expected;
}

async function countEngineMatches(matcher: LogMatcher, path: string): Promise<number> {
  let count = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: 1 << 20,
  }) as AsyncIterable<string>) {
    const text = carry + chunk;
    const cut = text.lastIndexOf('\n');
    count += matcher.countMatches(text.slice(0, cut + 1));
    carry = text.slice(cut + 1);
  }
  return count + (carry ? matcher.countMatches(carry) : 0);
}

async function main(): Promise<void> {
  const catalog = loadCatalog();
  const matcher = new LogMatcher(catalog.signatures);
  const examples = catalog.signatures.flatMap((s) => s.examples).filter((e) => !e.includes('\n'));
  if (examples.length === 0) throw new Error('the catalog has no signature examples to seed matching lines');
  const dir = join(packageRoot(), 'bench-data', 'scan');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'snapshot'), { recursive: true });
  const corpus = join(dir, 'snapshot', 'bench_corpus_app.log');
  const patterns = join(dir, 'signatures.grep');
  writeFileSync(patterns, `${catalog.signatures.map((s) => s.pattern).join('\n')}\n`);
  const seeded = await writeCorpus(corpus, examples);
  console.log(
    `corpus: ${LINES} lines, ${seeded} seeded from signature examples, ${catalog.signatures.length} signatures`,
  );

  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const evidence = await loadSnapshot(join(dir, 'snapshot'), matcher);
  const engineMs = performance.now() - t0;
  const rssMb = Math.max(process.resourceUsage().maxRSS * 1024, rssBefore) / (1024 * 1024);

  const t1 = performance.now();
  const grep = spawnSync('grep', ['-E', '-c', '-f', patterns, corpus], { encoding: 'utf8' });
  const grepMs = performance.now() - t1;
  if (grep.status !== 0 && grep.status !== 1) throw new Error(`grep failed: ${grep.stderr}`);

  const engineMatches = await countEngineMatches(matcher, corpus);
  const grepMatches = Number(grep.stdout.trim());
  console.log(
    `engine: ${evidence.logLinesRead} lines read, ${engineMatches} matching lines, ${evidence.logs.length} kept, ${engineMs.toFixed(0)} ms`,
  );
  console.log(`grep -E -f: ${grepMatches} matching lines, ${grepMs.toFixed(0)} ms`);
  if (engineMatches !== grepMatches)
    console.log(`warning: engine and grep disagree on matching lines (${engineMatches} vs ${grepMatches})`);
  const engineRate = LINES / (engineMs / 1000);
  const grepRate = LINES / (grepMs / 1000);
  console.log(
    JSON.stringify({
      bench: 'scan',
      lines: LINES,
      engine_lines_per_s: Math.round(engineRate),
      grep_lines_per_s: Math.round(grepRate),
      ratio: Math.round((engineRate / grepRate) * 100) / 100,
      rss_mb: Math.round(rssMb),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
