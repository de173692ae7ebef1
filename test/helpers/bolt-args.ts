import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { ButtonArgs } from '../../handlers/actions/patch-buttons';
import type { CommandArgs, MeshAsk } from '../../handlers/commands/args';
import { slashAsk } from '../../handlers/commands/args';
import type { ApprovalDeps, HandlerDeps } from '../../src/bot/handler-deps';
import type { Inventory } from '../../src/pipeline/inventory';
import { missingTargetAnswer } from '../../src/pipeline/target-check';
import type { QueueStatus } from '../../src/queue/queue-status';
import { catalog } from './diagnose-dir';
import type { ClusterPresence } from '../../src/pipeline/clusters';
import { chooseCluster } from '../../src/pipeline/clusters';
import type { Language } from '../../src/i18n/languages';

/** Everything a listener did, in order: acks, answers, log lines. */
export type Trace = string[];

const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as never,
  setName: () => undefined,
};

/** The arguments Bolt passes a `/mesh` listener, built directly (no HTTP), recording ack and respond. */
export function commandArgs(text: string, trace: Trace, overrides: Partial<SlashCommand> = {}): CommandArgs {
  const command: SlashCommand = {
    token: 'verification-token',
    command: '/mesh',
    text,
    response_url: 'https://hooks.slack.invalid/commands/T0/1/abc',
    trigger_id: 'trigger-1',
    user_id: 'U0SRE00001',
    user_name: 'sre',
    team_id: 'T0FAKE0001',
    team_domain: 'fake',
    channel_id: 'C0INCIDENT',
    channel_name: 'incident',
    api_app_id: 'A0FAKE0001',
    ...overrides,
  };
  return {
    payload: command,
    command,
    body: command,
    ack: async () => void trace.push('ack'),
    respond: async (message) => {
      trace.push(`respond: ${typeof message === 'string' ? message : (message.text ?? '')}`);
      return undefined as never;
    },
    say: async () => ({}) as never,
    client: new WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/' }),
    context: { isEnterpriseInstall: false },
    logger: quietLogger,
    next: async () => undefined,
  };
}

/** A `/mesh` command as the ask the sub-commands answer, recording what is answered. */
export function commandAsk(text: string, trace: Trace, overrides: Partial<SlashCommand> = {}): MeshAsk {
  return slashAsk(commandArgs(text, trace, overrides));
}

/** The arguments Bolt passes a button listener, built directly. */
export function buttonArgs(actionId: string, value: string, user: string, trace: Trace): ButtonArgs {
  const action: ButtonAction = {
    type: 'button',
    action_id: actionId,
    block_id: 'proposal-proposed',
    value,
    text: { type: 'plain_text', text: actionId },
    action_ts: '1715680000.000300',
  };
  const body = {
    type: 'block_actions',
    user: { id: user, name: user.toLowerCase() },
    actions: [action],
    team: { id: 'T0FAKE0001', domain: 'fake' },
    api_app_id: 'A0FAKE0001',
    token: 'verification-token',
    trigger_id: 'click-1',
    response_url: 'https://hooks.slack.invalid/actions/T0/1/abc',
    container: { type: 'message', message_ts: '1.000001', channel_id: 'C0INCIDENT', is_ephemeral: false },
  } as unknown as BlockAction<ButtonAction>;
  return {
    payload: action,
    action,
    body,
    ack: async () => void trace.push('ack'),
    respond: async (message) => {
      trace.push(`respond: ${typeof message === 'string' ? message : (message.text ?? '')}`);
      return undefined as never;
    },
    say: async () => ({}) as never,
    complete: undefined,
    fail: undefined,
    inputs: undefined,
    client: new WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/' }),
    context: { isEnterpriseInstall: false },
    logger: quietLogger,
    next: async () => undefined,
  } as ButtonArgs;
}

const NOW_MS = Date.parse('2026-03-02T10:00:00Z');

/** Handler dependencies in memory: follow-ups run when `drain` is awaited, asks are recorded. */
export function memoryHandlerDeps(
  trace: Trace,
  o: {
    backlogFull?: boolean;
    approvals?: ApprovalDeps;
    status?: QueueStatus;
    redisDown?: boolean;
    /** What the latest read showed to exist (nothing known when absent), read at `nowMs`. */
    inventory?: { namespaces: string[]; workloads?: Record<string, string[]>; ageMs?: number };
    /** Clusters the workers announced (none when absent: asks are queued for the unnamed cluster). */
    clusters?: ClusterPresence[];
    channelClusters?: Record<string, string>;
    /** Each user's language (English when absent), as readerLanguage answers it. */
    languages?: Record<string, Language>;
  } = {},
) {
  const pending: Array<() => Promise<void>> = [];
  const asks: Parameters<HandlerDeps['requestDiagnosis']>[0][] = [];
  const seen = new Set<string>();
  const deps: HandlerDeps = {
    catalog,
    chooseCluster: async (asked, channel) =>
      chooseCluster(asked, o.channelClusters?.[channel], o.clusters ?? [], Date.now()),
    clusters: async () => o.clusters ?? [],
    readerLanguage: async (user) => ({ language: o.languages?.[user] ?? 'en', chosen: false }),
    chooseLanguage: async (user, language) => {
      trace.push(`language ${user} ${language ?? 'auto'}`);
    },
    requestDiagnosis: async (ask) => {
      asks.push(ask);
      if (seen.has(ask.requestKey)) return 'duplicate';
      seen.add(ask.requestKey);
      return 'queued';
    },
    missingTarget: async (target) => {
      const inv = o.inventory;
      if (!inv) return null;
      const atMs = NOW_MS - (inv.ageMs ?? 0);
      const inventory: Inventory = {
        namespaces: { names: inv.namespaces, atMs },
        workloads: async (ns) => (inv.workloads?.[ns] ? { names: inv.workloads[ns], atMs } : null),
      };
      return missingTargetAnswer(target, inventory, NOW_MS);
    },
    status: async () => o.status ?? { waiting: 0, active: 0, delayed: 0, failed: 0, workers: 0, recentFailures: [] },
    redisReady: () => !o.redisDown,
    defer: (task) => {
      if (o.backlogFull) return false;
      pending.push(task);
      return true;
    },
    ...(o.approvals ? { approvals: o.approvals } : {}),
    log: {
      info: (_d, msg) => void trace.push(`log.info: ${msg}`),
      warn: (_d, msg) => void trace.push(`log.warn: ${msg}`),
      error: (_d, msg) => void trace.push(`log.error: ${msg}`),
    },
  };
  return {
    deps,
    asks,
    /** Runs the follow-ups queued so far, as the work limiter would after the ack. */
    drain: async () => {
      while (pending.length > 0) await pending.shift()?.();
    },
  };
}
