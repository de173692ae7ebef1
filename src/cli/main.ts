import { LogMatcher } from '../collect/log-matcher';
import { readSnapshot, SnapshotError } from '../collect/snapshot/load-snapshot';
import { join } from 'node:path';
import { CaptureOutputError } from '../collect/capture/capture';
import { checkTarget, missingTargetLine, uncheckedTargetLine } from '../diagnosis/target';
import type { CliConfig, ConfigSources } from '../config/load-config';
import { ConfigError, ConfigFileError, loadConfig } from '../config/load-config';
import { diagnose } from '../diagnosis/engine';
import type { Catalog } from '../runbooks/catalog';
import { loadCatalog } from '../runbooks/catalog';
import { renderJson } from '../report/json';
import { renderText } from '../report/text';
import type { CaptureArgs, DiagnoseArgs } from './args';
import type * as LiveMode from './live';
import { parseCommand, UsageError } from './args';
import { helpFor } from './usage';
import type { Check, Evidence, Report } from '../diagnosis/evidence';
import { LANGUAGES, matchLanguage } from '../i18n/languages';

/** Where the command writes; injected so tests run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The working directory; the bot and worker read its `.env` file, when there is one, beneath the environment. */
  cwd?: string;
}

const VERSION = '0.1.0';

/** The long-running processes, given by the entry point (the bot needs the Slack handlers, outside src/). */
export interface Processes {
  bot(env: NodeJS.ProcessEnv, sources: ConfigSources): Promise<void>;
  worker(env: NodeJS.ProcessEnv, sources: ConfigSources): Promise<void>;
}

function sourcesOf(io: CliIo): ConfigSources {
  return io.cwd ? { envFile: join(io.cwd, '.env') } : {};
}

/** Runs the mesh-doctor command; resolves to the exit status. */
export async function main(argv: string[], io: CliIo, processes?: Processes): Promise<number> {
  try {
    const parsed = parseCommand(argv);
    if (parsed.command === 'help') {
      io.stdout.write(helpFor(parsed.topic));
      return 0;
    }
    if (parsed.command === 'version') {
      io.stdout.write(`mesh-doctor ${VERSION}\n`);
      return 0;
    }
    if (parsed.command === 'bot' || parsed.command === 'worker') {
      if (!processes) throw new UsageError(`${parsed.command} is run by the mesh-doctor command, not this entry point`);
      await processes[parsed.command](io.env, sourcesOf(io));
      return 0;
    }
    if (parsed.command === 'capture') return await runCapture(parsed.args, io);
    return await runDiagnose(parsed.args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`mesh-doctor: ${err.message} (see mesh-doctor --help)\n`);
      return 2;
    }
    if (err instanceof TargetError || err instanceof CaptureOutputError) {
      io.stderr.write(`mesh-doctor: ${err.message}\n`);
      return 2;
    }
    if (err instanceof SnapshotError) {
      io.stderr.write(`mesh-doctor: ${err.file}: ${err.problem}\n`);
      return 2;
    }
    // `bot` and `worker` keep running until SIGTERM; a bad configuration is one clear message and status 2.
    if (err instanceof ConfigError || err instanceof ConfigFileError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** A diagnosis target that does not exist; the message names what does. */
class TargetError extends Error {}

/** Live mode loads the cluster and logging clients only when it is used. */
async function withLiveClients<T>(work: (live: typeof LiveMode) => Promise<T>): Promise<T> {
  const live = await import('./live.js');
  const { ClientConfigError } = await import('../collect/live/clients.js');
  try {
    return await work(live);
  } catch (err) {
    if (err instanceof ClientConfigError) throw new UsageError(err.message);
    throw err;
  }
}

async function readEvidence(
  args: DiagnoseArgs,
  catalog: Catalog,
  config: CliConfig,
  io: CliIo,
): Promise<{ evidence: Evidence; checks: Check[]; cluster: string | null }> {
  if (args.snapshot === null) return withLiveClients((live) => live.collectForCli(args, catalog, config));
  const loaded = await readSnapshot(args.snapshot, new LogMatcher(catalog.signatures));
  for (const w of loaded.warnings) io.stderr.write(`mesh-doctor: warning: ${w.file}: ${w.problem}\n`);
  return { evidence: loaded.evidence, checks: loaded.checks, cluster: null };
}

async function runCapture(args: CaptureArgs, io: CliIo): Promise<number> {
  const config = loadConfig(io.env, 'cli');
  const catalog = loadCatalog();
  const { counts, checks } = await withLiveClients((live) => live.captureForCli(args, catalog, config));
  const skipped = checks.filter((c) => c.status === 'skipped').length;
  const errors = checks.filter((c) => c.status === 'error');
  const scope = args.namespace ? `namespace ${args.namespace} and the control plane` : 'all namespaces';
  io.stderr.write(
    `mesh-doctor: captured ${counts.objects} objects of ${counts.kinds} kinds, ${counts.events} events, ${counts.logEntries} Cloud Logging entries and ${counts.containerLogs} container logs (${scope}, last ${args.since}) into ${args.output}: ${counts.files} files; ${skipped} reads skipped, ${errors.length} failed${errors[0] ? ` (${errors[0].id}: ${errors[0].detail})` : ''}\n`,
  );
  return 0;
}

/**
 * The locale the report is written for: --lang, else the environment's as POSIX reads it (the first set of
 * LC_ALL, LC_MESSAGES, LANG). One in none of the six languages is said on stderr; the report is then English.
 */
function reportLocale(given: string | null, io: CliIo): string | null {
  const env = io.env;
  const locale = given ?? ([env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') || null);
  if (given !== null && !matchLanguage(given)) {
    io.stderr.write(
      `mesh-doctor: reports are written in ${LANGUAGES.join(', ')}; "${given}" is none of them, so this one is in English\n`,
    );
  }
  return locale;
}

async function runDiagnose(args: DiagnoseArgs, io: CliIo): Promise<number> {
  // The command line reads only its own settings, from its environment (no .env: it may run anywhere).
  const config = loadConfig(io.env, args.snapshot === null ? 'cli' : 'snapshot');
  const catalog = loadCatalog();
  args = { ...args, lang: reportLocale(args.lang, io) };
  // Output is pasted into tickets: redacted unless the user asks for --no-redact on their own terminal.
  const printing = { redact: args.redact, clientIps: config.redaction.clientIps };
  if (!args.allContexts) {
    const report = await diagnoseOne(args, catalog, config, io);
    io.stdout.write(args.format === 'json' ? renderJson(report, printing) : renderText(report, printing));
    return 0;
  }
  // Every context of the kubeconfig, one after the other: one report each (a JSON array with --format json).
  const contexts = await withLiveClients(async (live) => live.contextsForCli(config));
  if (contexts.length === 0) throw new UsageError('--all-contexts: the kubeconfig has no contexts');
  const reports: Report[] = [];
  for (const context of contexts) reports.push(await diagnoseOne({ ...args, context }, catalog, config, io));
  if (args.format === 'json') {
    io.stdout.write(`[\n${reports.map((r) => renderJson(r, printing).trimEnd()).join(',\n')}\n]\n`);
  } else {
    io.stdout.write(reports.map((r) => renderText(r, printing)).join(`\n${'='.repeat(72)}\n\n`));
  }
  return 0;
}

/** One diagnosis: read (a snapshot, or the live cluster of `args.context`), check the target, diagnose. */
async function diagnoseOne(args: DiagnoseArgs, catalog: Catalog, config: CliConfig, io: CliIo): Promise<Report> {
  const { evidence, checks, cluster } = await readEvidence(args, catalog, config, io);
  const target = { namespace: args.namespace, workload: args.workload };
  const status = checkTarget(evidence, target);
  const where = args.allContexts && cluster ? `${cluster}: ` : '';
  if (status.status === 'missing') {
    // With several clusters, a target missing in one is said, not fatal: the others are still diagnosed.
    if (!args.allContexts) throw new TargetError(missingTargetLine(status));
    io.stderr.write(`mesh-doctor: ${where}${missingTargetLine(status)}\n`);
  }
  if (status.status === 'unknown') io.stderr.write(`mesh-doctor: warning: ${where}${uncheckedTargetLine(status)}\n`);
  return diagnose(evidence, catalog, {
    target: cluster ? { ...target, cluster } : target,
    ...(args.lang ? { lang: args.lang } : {}),
    collectionChecks: checks,
    controlPlaneNamespaces: config.kube.controlPlaneNamespaces,
  });
}
