import { clip } from './blocks-limits';
import type { ButtonElement, ConfirmDialog } from './blocks-types';

/** Block Kit's limits for confirmation dialogs. */
const CONFIRM_LIMITS = { title: 100, text: 300, button: 30 } as const;

/** What a confirmation dialog asks: a title, the words shown (target and risk), and the confirming label. */
export interface Confirmation {
  title: string;
  text: string;
  confirm: string;
  style?: 'primary' | 'danger';
}

function confirmDialog(c: Confirmation): ConfirmDialog {
  const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max) });
  return {
    title: plain(c.title, CONFIRM_LIMITS.title),
    text: plain(c.text, CONFIRM_LIMITS.text),
    confirm: plain(c.confirm, CONFIRM_LIMITS.button),
    deny: plain('Cancel', CONFIRM_LIMITS.button),
    ...(c.style ? { style: c.style } : {}),
  };
}

/** A button carrying an opaque id, optionally asking for confirmation first. Texts must be redacted already. */
export function button(
  label: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
  confirmation?: Confirmation,
): ButtonElement {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
    ...(confirmation ? { confirm: confirmDialog(confirmation) } : {}),
  };
}

/** A fix's target and risk in the few words a confirmation dialog holds. */
export function confirmText(what: string, risk: string | undefined): string {
  const room = CONFIRM_LIMITS.text - what.length - 8;
  return risk && room > 40 ? `${what}\n\nRisk: ${clip(risk, room)}` : clip(what, CONFIRM_LIMITS.text);
}
