import type { App } from '@slack/bolt';
import { PATCH_ACTIONS } from '../../src/report/blocks';
import type { HandlerDeps } from '../deps';

/** Approve / Reject: until approvals are configured, they say so to the clicker only. */
export function registerPatchButtons(app: App, deps: HandlerDeps): void {
  for (const actionId of Object.values(PATCH_ACTIONS)) {
    app.action(actionId, async ({ ack, respond, body }) => {
      await ack();
      deps.log.info({ action: actionId, user: body.user.id }, 'patch button clicked');
      if (!deps.approvalsEnabled) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'Approvals are not configured: no patch is applied. Apply the proposed patch by hand, or set MESH_APPROVERS when approvals are available.',
        });
      }
    });
  }
}
