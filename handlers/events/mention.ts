import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { MeshAsk } from '../commands/args';
import { answerAsk } from '../commands/mesh';

/** A mention of a user (`<@U0BOT>`, `<@U0BOT|mesh-doctor>`). */
const MENTION = /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g;

/**
 * The text of a message addressed to mesh-doctor: the bot's own mentions removed, anything else (a
 * mention of another user) kept; surrounding space trimmed.
 */
export function askText(text: string, botUserId: string | undefined): string {
  return text
    .replace(MENTION, (m) => (botUserId && m.startsWith(`<@${botUserId}`) ? ' ' : m))
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a mention or a direct message carries, as the Events API sends it. */
export interface MessageEventFields {
  text?: string;
  user?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  team?: string;
}

/**
 * A message addressed to mesh-doctor as an ask: the diagnosis and every answer go into the thread the
 * message is in (a new thread under it when it is not in one). Answers are thread replies everyone in the
 * conversation sees, which is where the incident is discussed.
 */
export function eventAsk(
  event: MessageEventFields,
  botUserId: string | undefined,
  post: (message: { channel: string; thread_ts: string; text: string; blocks?: unknown[] }) => Promise<unknown>,
): MeshAsk | null {
  if (!event.user) return null;
  const thread = event.thread_ts ?? event.ts;
  return {
    text: askText(event.text ?? '', botUserId),
    user: event.user,
    ...(event.team ? { team: event.team } : {}),
    channel: event.channel,
    // The message's own ts: the same across Slack's redeliveries of the event.
    requestKey: `message:${event.channel}:${event.ts}`,
    thread,
    reply: async (m) => {
      await post({
        channel: event.channel,
        thread_ts: thread,
        text: m.text,
        ...(m.blocks ? { blocks: m.blocks } : {}),
      });
    },
  };
}

type EventArgs<E extends 'app_mention' | 'message'> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/**
 * `@mesh-doctor diagnose shop/cart` in any channel or thread the bot is in, and any message in a direct
 * conversation with it: the same sub-commands, parser, rules and queue as `/mesh`, answered in the thread.
 */
export function registerMentions(app: App, deps: HandlerDeps): void {
  const answer = answerAsk(deps);
  const handle = async (event: MessageEventFields, args: AllMiddlewareArgs) => {
    const ask = eventAsk(event, args.context.botUserId, (m) => args.client.chat.postMessage(m));
    if (!ask) return;
    await answer(ask);
  };
  app.event('app_mention', async (args: EventArgs<'app_mention'>) => {
    await handle(args.event, args);
  });
  app.event('message', async (args: EventArgs<'message'>) => {
    const { event } = args;
    // Only what a person writes in a direct conversation; edits, joins and bots' messages have a subtype.
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    await handle(event, args);
  });
}
