import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { PATCH_ACTIONS, PROPOSAL_ACTIONS } from '../../src/report/blocks';
import type { ClickAction } from '../../src/remediation/approval-service';
import type { HandlerDeps } from '../deps';

const ACTIONS: Record<string, ClickAction> = {
  [PATCH_ACTIONS.approve]: 'approve',
  [PATCH_ACTIONS.reject]: 'reject',
  [PROPOSAL_ACTIONS.rollback]: 'rollback',
  [PROPOSAL_ACTIONS.rediagnose]: 'rediagnose',
};

const NOT_CONFIGURED =
  'Approvals are not configured: no patch is applied. Apply the proposed patch by hand, or set MESH_APPROVERS.';

/**
 * Approve / Reject / Roll back / Re-diagnose: ack at once; the button carries only an opaque proposal id,
 * and who may do what is decided in src/remediation. Refusals are answered to the clicker only.
 */
export function registerPatchButtons(app: App, deps: HandlerDeps): void {
  for (const [actionId, action] of Object.entries(ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, respond, body, action: button }) => {
      await ack();
      const user = body.user.id;
      deps.log.info({ action: actionId, user }, 'patch button clicked');
      const answer = async (text: string) =>
        respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err: unknown) =>
          deps.log.warn({ err: (err as Error).message }, 'answering a button click failed'),
        );
      const approvals = deps.approvals;
      if (!approvals) return void (await answer(NOT_CONFIGURED));
      const queued = deps.defer(async () => {
        try {
          const reply = await approvals.click(action, String(button.value ?? ''), user);
          if (reply) await answer(reply);
        } catch (err) {
          deps.log.error({ err: (err as Error).message, action: actionId }, 'patch button failed');
          await answer(':x: mesh-doctor could not record this click; nothing was changed. Try again in a minute.');
        }
      });
      if (!queued) await answer(':hourglass: mesh-doctor is busy; nothing was changed. Try again in a minute.');
    });
  }
}
