import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { MeshCommand } from '../../src/commands/parse-mesh';
import type { SlackBlock } from '../../src/report/blocks-types';

/** What Bolt passes a slash-command listener. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A `/mesh` text parsed to one sub-command kind. */
export type Parsed<K extends MeshCommand['kind']> = Extract<MeshCommand, { kind: K }>;

/** A reply: text, with blocks when it has them. */
export interface Reply {
  text: string;
  blocks?: SlackBlock[];
}

/**
 * One ask of mesh-doctor, however it came (the `/mesh` command, a mention, a direct message): who asked,
 * where, the text after the command or mention, and how to answer the asker.
 */
export interface MeshAsk {
  text: string;
  user: string;
  team?: string;
  channel: string;
  /** What makes this ask unique across Slack's redeliveries (a trigger id, a message ts). */
  requestKey: string;
  /** Set when asked inside a conversation: the diagnosis goes into this thread, with no root message. */
  thread?: string;
  /** Answers the asker: only to them for a slash command, in the thread for a mention. */
  reply(message: Reply): Promise<void>;
}

/** A slash command as an ask: answers go to the asker only (ephemeral, through response_url). */
export function slashAsk(args: Pick<CommandArgs, 'command' | 'respond'>): MeshAsk {
  const { command } = args;
  return {
    text: command.text ?? '',
    user: command.user_id,
    team: command.team_id,
    channel: command.channel_id,
    requestKey: `slash:${command.trigger_id}`,
    reply: async (m) => {
      await args.respond({ response_type: 'ephemeral', text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}) });
    },
  };
}

/** Answers the asker with text. */
export async function answer(ask: Pick<MeshAsk, 'reply'>, text: string): Promise<void> {
  await ask.reply({ text });
}
