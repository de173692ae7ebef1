import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { HandlerDeps } from '../../src/bot/handler-deps';
import { errorMessage } from '../../src/util/errors';
import type { MeshAsk } from '../commands/args';
import { PICK_CLUSTER_ACTION } from '../commands/diagnose';
import { answerAsk } from '../commands/mesh';
import type { ButtonArgs } from './patch-buttons';

/**
 * The ask a cluster button stands for: its value is the text of a `/mesh` command with the cluster named,
 * run as the user who clicked (the picker was shown to them only), in the channel it was shown in, so it
 * meets every check a typed command meets. A redelivered click (same trigger id) is dropped like a
 * redelivered command.
 */
function pickedAsk(body: BlockAction<ButtonAction>, value: string, args: ButtonArgs): MeshAsk | null {
  const container = body.container as { channel_id?: string } | undefined;
  const channel = body.channel?.id ?? container?.channel_id;
  if (!channel) return null;
  const team = body.team?.id ?? body.user.team_id;
  return {
    text: value,
    user: body.user.id,
    ...(team ? { team } : {}),
    channel,
    requestKey: `pick:${body.trigger_id}`,
    reply: async (m) => {
      await args.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: m.text,
        ...(m.blocks ? { blocks: m.blocks } : {}),
      });
    },
  };
}

/** The buttons of "which cluster?": ack, replace the picker by the command chosen, then run it. */
export function registerClusterButtons(app: App, deps: HandlerDeps): void {
  const answer = answerAsk(deps);
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${PICK_CLUSTER_ACTION}:`), async (args) => {
    const { ack, body, action, respond } = args;
    await ack();
    const ask = pickedAsk(body, action.value ?? '', args);
    if (!ask) {
      deps.log.warn({ action: action.action_id }, 'cluster button without a channel ignored');
      return;
    }
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: `:point_right: \`/mesh ${ask.text}\``,
    }).catch((err: unknown) => deps.log.warn({ err: errorMessage(err) }, 'replacing the cluster picker failed'));
    await answer(ask);
  });
}
