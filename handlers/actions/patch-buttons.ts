import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { ClickAction } from '../../src/pipeline/approval-clicks';
import { PATCH_ACTIONS, PROPOSAL_ACTIONS } from '../../src/report/blocks';
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
    const queued = deps.defer(async () => {
      try {
        const reply = await approvals.click(action, String(button.value ?? ''), user);
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
