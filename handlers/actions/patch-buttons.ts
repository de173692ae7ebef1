import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ApprovalDeps, HandlerDeps } from '../../src/bot/handler-deps';
import type { ClickAction, ClickOrigin } from '../../src/pipeline/approval-clicks';
import { PATCH_ACTIONS, PROPOSAL_ACTIONS } from '../../src/report/blocks';
import { PROPOSAL_BLOCK_PREFIX } from '../../src/report/blocks-proposal';
import { errorFields, errorMessage } from '../../src/util/errors';

const ACTIONS: Record<string, ClickAction> = {
  [PATCH_ACTIONS.approve]: 'approve',
  [PATCH_ACTIONS.reject]: 'reject',
  [PROPOSAL_ACTIONS.rollback]: 'rollback',
  [PROPOSAL_ACTIONS.rediagnose]: 'rediagnose',
};

const NOT_CONFIGURED =
  'Approvals are not configured: no patch is applied. Apply the proposed patch by hand, or set MESH_APPROVERS.';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The click's handling, told where the click came from. */
type ClickFrom = ApprovalDeps['click'];

const REDIS_UNAVAILABLE =
  ':warning: Redis is unavailable, so this click cannot be recorded; nothing was changed. Try again in a minute.';

/**
 * Where a click came from, from Slack's signed payload: the workspace, the channel, the thread of the
 * clicked message and, for a proposal message's buttons, that message (to redraw it if its proposal is gone).
 */
export function clickOrigin(body: BlockAction<ButtonAction>, blockId: string): ClickOrigin {
  const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string } | undefined;
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const messageTs = container?.message_ts ?? message?.ts;
  const threadTs = container?.thread_ts ?? message?.thread_ts;
  const team = body.team?.id ?? body.user.team_id;
  const channel = body.channel?.id ?? container?.channel_id;
  return {
    ...(team ? { team } : {}),
    ...(channel ? { channel } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(messageTs && blockId.startsWith(PROPOSAL_BLOCK_PREFIX) ? { messageTs } : {}),
  };
}

/**
 * Approve / Reject / Roll back / Re-diagnose: ack at once; the button carries only an opaque proposal id,
 * and who may do what is decided in src/pipeline/approval-clicks.ts. Refusals are answered to the clicker only.
 */
export function patchButton(action: ClickAction, deps: HandlerDeps): (args: ButtonArgs) => Promise<void> {
  return async ({ ack, respond, body, action: button }) => {
    await ack();
    const user = body.user.id;
    const actionId = button.action_id;
    deps.log.info({ action: actionId, user }, 'patch button clicked');
    const answer = async (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err: unknown) =>
        deps.log.warn({ err: errorMessage(err) }, 'answering a button click failed'),
      );
    const approvals = deps.approvals;
    if (!approvals) return void (await answer(NOT_CONFIGURED));
    // Without Redis a click cannot be recorded: say so now rather than hold a follow-up slot.
    if (!deps.redisReady()) return void (await answer(REDIS_UNAVAILABLE));
    const click: ClickFrom = approvals.click;
    const origin = clickOrigin(body, button.block_id);
    const queued = deps.defer(async () => {
      try {
        const reply = await click(action, String(button.value ?? ''), user, origin);
        if (reply) await answer(reply);
      } catch (err) {
        deps.log.error({ ...errorFields(err), action: actionId }, 'patch button failed');
        await answer(':x: mesh-doctor could not record this click; nothing was changed. Try again in a minute.');
      }
    });
    if (!queued) await answer(':hourglass: mesh-doctor is busy; nothing was changed. Try again in a minute.');
  };
}

export function registerPatchButtons(app: App, deps: HandlerDeps): void {
  for (const [actionId, action] of Object.entries(ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, patchButton(action, deps));
  }
}
