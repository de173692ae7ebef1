import type { App } from '@slack/bolt';
import { isDeadlineExceeded } from '../../src/util/deadline';
import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { MeshCommand } from '../../src/commands/parse-mesh';
import { parseMesh } from '../../src/commands/parse-mesh';
import { slackRefusalAnswer } from '../../src/slack/platform-errors';
import { errorFields } from '../../src/util/errors';
import type { CommandArgs, MeshAsk } from './args';
import { answer, slashAsk } from './args';
import { auditCommand } from './audit';
import { clustersCommand } from './clusters';
import { diagnoseCommand } from './diagnose';
import { helpCommand } from './help';
import { langCommand } from './lang';
import { runbookCommand } from './runbook';
import { statusCommand } from './status';

const FAILED = ':x: mesh-doctor could not queue this request; try again in a minute.';
const UNAVAILABLE = ':warning: Redis is unavailable; try again in a minute. Nothing was queued.';
const BUSY = ':hourglass: mesh-doctor is handling a burst of requests; nothing was queued. Try again in a minute.';

/** The sub-command callback for a parsed `/mesh` text. */
function subcommand(parsed: MeshCommand, deps: HandlerDeps): (ask: MeshAsk) => Promise<void> {
  switch (parsed.kind) {
    case 'help':
    case 'usage':
      return (ask) => helpCommand(ask, parsed);
    case 'runbook':
      return (ask) => runbookCommand(ask, parsed, deps);
    case 'status':
      return (ask) => statusCommand(ask, parsed, deps);
    case 'clusters':
      return (ask) => clustersCommand(ask, parsed, deps);
    case 'lang':
      return (ask) => langCommand(ask, parsed, deps);
    case 'audit':
      return (ask) => auditCommand(ask, parsed, deps);
    case 'diagnose':
    case 'injection':
    case 'config':
    case 'webhooks':
      return (ask) => diagnoseCommand(ask, parsed, deps);
  }
}

/** Whether a sub-command reads or writes Redis (help, usage and runbook search never do). */
function needsRedis(parsed: MeshCommand, deps: HandlerDeps): boolean {
  if (parsed.kind === 'help' || parsed.kind === 'usage' || parsed.kind === 'runbook') return false;
  return parsed.kind !== 'audit' || deps.approvals !== undefined;
}

/**
 * Answers one ask, whichever way it came. Sub-commands that need no Redis answer right away; the others
 * run a few at a time, and are answered "Redis is unavailable" at once while it is (each of their Redis
 * calls has a deadline, so a follow-up slot is never held long). A failure is logged and answered to the
 * asker (what to do when Slack refused the post: invite the bot, or use an active channel); a full backlog
 * is answered "busy" and nothing is queued.
 */
export function answerAsk(deps: HandlerDeps): (ask: MeshAsk) => Promise<void> {
  return async (ask) => {
    const { text } = ask;
    const parsed = parseMesh(text);
    const run = subcommand(parsed, deps);
    const unavailable = async () => {
      deps.log.warn({ text }, 'mesh command refused: Redis unavailable');
      await answer(ask, UNAVAILABLE).catch(() => undefined);
    };
    const guarded = async () => {
      try {
        await run(ask);
      } catch (err) {
        const refused = slackRefusalAnswer(err);
        if (refused) {
          deps.log.warn({ ...errorFields(err), text, channel: ask.channel }, 'mesh command refused by Slack');
          await answer(ask, refused).catch(() => undefined);
          return;
        }
        const redisDown = isDeadlineExceeded(err) || !deps.redisReady();
        deps.log.error({ ...errorFields(err), text }, 'mesh command failed');
        await answer(ask, redisDown ? UNAVAILABLE : FAILED).catch(() => undefined);
      }
    };
    if (!needsRedis(parsed, deps)) return guarded();
    if (!deps.redisReady()) return unavailable();
    const followUp = () => (deps.redisReady() ? guarded() : unavailable());
    if (!deps.defer(followUp)) {
      deps.log.warn({ text }, 'mesh command refused: follow-up backlog full');
      await answer(ask, BUSY).catch(() => undefined);
    }
  };
}

/** `/mesh`: acknowledge at once, then answer the ask (only the asker sees the answers). */
export function meshCommand(deps: HandlerDeps): (args: CommandArgs) => Promise<void> {
  const answerIt = answerAsk(deps);
  return async (args) => {
    await args.ack();
    await answerIt(slashAsk(args));
  };
}

export function registerMeshCommand(app: App, deps: HandlerDeps): void {
  app.command('/mesh', meshCommand(deps));
}
