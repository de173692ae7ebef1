/** The few Block Kit shapes the reports use, as plain JSON. */

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export type TextObject = PlainText | Mrkdwn;

/** The dialog Slack shows before a button's click is sent (Block Kit confirmation dialog object). */
export interface ConfirmDialog {
  /** At most 100 characters. */
  title: PlainText;
  /** At most 300 characters. */
  text: PlainText;
  /** Button labels, at most 30 characters each. */
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  /** An opaque id the action handler looks up; never the patch itself. */
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text: Mrkdwn;
}

export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: TextObject[];
}

export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}

export interface DividerBlock {
  type: 'divider';
}

/** Standard Markdown (not mrkdwn), up to 12,000 characters for all markdown blocks of a message together. */
export interface MarkdownBlock {
  type: 'markdown';
  block_id?: string;
  text: string;
}

export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock | MarkdownBlock;

/** Action ids of the patch buttons, for the handlers that answer them. */
export const PATCH_ACTIONS = { approve: 'approve_patch', reject: 'reject_patch' } as const;

/** Action ids of the buttons on a proposal message after it was decided. */
export const PROPOSAL_ACTIONS = { rollback: 'rollback_patch', rediagnose: 'rediagnose' } as const;
