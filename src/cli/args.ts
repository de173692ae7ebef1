import { parseArgs } from 'node:util';
import type { CommandName } from './commands';
import { COMMANDS } from './commands';
import { errorMessage, MeshError } from '../util/errors';

/** A validated `diagnose` invocation. */
export interface DiagnoseArgs {
  snapshot: string | null;
  namespace: string | null;
  workload: string | null;
  format: 'text' | 'json';
  /** --lang as given; null: the environment's locale (LC_ALL, LC_MESSAGES, LANG) decides. */
  lang: string | null;
  context: string | null;
  /** `--all-contexts`: every context of the kubeconfig, one report each. */
  allContexts: boolean;
  project: string | null;
  since: string;
  /** Redact secrets, client IPs and user agents from the output (default); `--no-redact` turns it off. */
  redact: boolean;
}

/** A validated `capture` invocation. */
export interface CaptureArgs {
  output: string;
  namespace: string | null;
  context: string | null;
  project: string | null;
  since: string;
}

export type ParsedCommand =
  | { command: 'help'; topic?: CommandName }
  | { command: 'version' }
  | { command: 'bot' }
  | { command: 'worker' }
  | { command: 'diagnose'; args: DiagnoseArgs }
  | { command: 'capture'; args: CaptureArgs };

export class UsageError extends MeshError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const SINCE = /^[0-9]+[smhd]$/;

/** Parses argv (without node and script). Throws UsageError with a one-line message. */
export function parseCommand(argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        snapshot: { type: 'string' },
        output: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        workload: { type: 'string', short: 'w' },
        format: { type: 'string', short: 'o' },
        lang: { type: 'string' },
        context: { type: 'string' },
        'all-contexts': { type: 'boolean' },
        project: { type: 'string' },
        since: { type: 'string' },
        'no-redact': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError(errorMessage(err).split('\n')[0] ?? 'invalid arguments');
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  const known = (name: string | undefined): name is CommandName => (COMMANDS as readonly string[]).includes(name ?? '');
  // `mesh-doctor bot --help` is the bot's help; `mesh-doctor help worker` the worker's.
  if (values.help)
    return known(command) && command !== 'help' ? { command: 'help', topic: command } : { command: 'help' };
  if (values.version || command === 'version') return { command: 'version' };
  if (!command) throw new UsageError('missing command: try "mesh-doctor diagnose --snapshot DIR"');
  if (!known(command)) {
    throw new UsageError(`unknown command "${command}": the commands are ${COMMANDS.join(', ')}`);
  }
  if (command === 'help') {
    const [topic] = extra;
    if (topic !== undefined && !known(topic))
      throw new UsageError(`no help for "${topic}": the commands are ${COMMANDS.join(', ')}`);
    return topic !== undefined ? { command: 'help', topic } : { command: 'help' };
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (command === 'bot' || command === 'worker') return { command };
  checkCommon(values);
  if (command === 'capture') return { command, args: captureArgs(values) };
  if (values.output !== undefined) throw new UsageError('--output is an option of capture, not of diagnose');
  if (values.snapshot !== undefined) {
    const live = LIVE_ONLY.filter((flag) => values[flag] !== undefined);
    if (live.length > 0)
      throw new UsageError(
        `${live.map((f) => `--${f}`).join(', ')} read${live.length === 1 ? 's' : ''} a live cluster and cannot be used with --snapshot`,
      );
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  if (values.workload !== undefined && !DNS_SUBDOMAIN.test(values.workload)) {
    throw new UsageError(`--workload "${values.workload}" is not a valid Kubernetes object name`);
  }
  if (values['all-contexts'] && values.context !== undefined)
    throw new UsageError('--all-contexts reads every context of the kubeconfig: leave out --context');
  if (values.lang !== undefined && !LANG.test(values.lang))
    throw new UsageError(`--lang "${values.lang}" is not a language code such as en or pt-BR`);
  if (values.snapshot !== undefined && values.snapshot.trim() === '')
    throw new UsageError('--snapshot needs a directory');
  return {
    command: 'diagnose',
    args: {
      snapshot: values.snapshot ?? null,
      namespace: values.namespace ?? null,
      workload: values.workload ?? null,
      format,
      lang: values.lang ?? null,
      context: values.context ?? null,
      allContexts: values['all-contexts'] === true,
      project: values.project ?? null,
      since: values.since ?? '1h',
      redact: values['no-redact'] !== true,
    },
  };
}

type Values = Partial<Record<string, string | boolean>> & {
  namespace?: string;
  since?: string;
  output?: string;
  context?: string;
  project?: string;
};

/** Options that only a live read uses. */
const LIVE_ONLY = ['context', 'all-contexts', 'project', 'since'] as const;

/** Options `capture` does not take (it writes a snapshot, it does not diagnose or print a report). */
const NOT_FOR_CAPTURE = ['snapshot', 'workload', 'format', 'lang', 'no-redact', 'all-contexts'] as const;

/** Checks shared by the commands that read a cluster. */
function checkCommon(values: Values): void {
  if (values.namespace !== undefined && !DNS_LABEL.test(values.namespace)) {
    throw new UsageError(
      `--namespace "${values.namespace}" is not a valid namespace name (lower-case letters, digits and '-', at most 63)`,
    );
  }
  if (values.since !== undefined && !SINCE.test(values.since))
    throw new UsageError(`--since "${values.since}" must look like 30m, 1h or 2d`);
}

function captureArgs(values: Values): CaptureArgs {
  const other = NOT_FOR_CAPTURE.find((flag) => values[flag] !== undefined);
  if (other) throw new UsageError(`--${other} is not an option of capture`);
  if (values.output === undefined || values.output.trim() === '')
    throw new UsageError('capture needs --output DIR (a new or empty directory)');
  return {
    output: values.output,
    namespace: values.namespace ?? null,
    context: values.context ?? null,
    project: values.project ?? null,
    since: values.since ?? '1h',
  };
}
