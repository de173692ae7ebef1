import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { MeshCommand } from '../../src/commands/parse-mesh';

/** What Bolt passes a slash-command listener. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A `/mesh` text parsed to one sub-command kind. */
export type Parsed<K extends MeshCommand['kind']> = Extract<MeshCommand, { kind: K }>;

/** Answers only the asker sees. */
export async function answer(args: Pick<CommandArgs, 'respond'>, text: string): Promise<void> {
  await args.respond({ response_type: 'ephemeral', text });
}
