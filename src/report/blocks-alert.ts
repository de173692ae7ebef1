import type { AlertNotification } from '../alerts/types';
import type { AlertTarget } from '../alerts/target';
import { clip, escapeMrkdwn } from './blocks-limits';
import type { SlackBlock } from './blocks-types';
import { redactSecrets } from './redact';

function targetLine(t: AlertTarget): string {
  if (t.namespace && t.workload) return `Target: \`${t.namespace}/${t.workload}\` (from ${t.from.join(', ')})`;
  if (t.namespace) return `Target: namespace \`${t.namespace}\` (from ${t.from.join(', ')})`;
  return `Target: unknown, so the whole mesh is diagnosed. The alert lacked ${t.lacking.join('; ')}.`;
}

/**
 * The root message of an alert's thread: what fired, where, and whether it is still firing. Updated in
 * place when the alert resolves; the diagnosis goes into its thread.
 */
export function buildAlertRootBlocks(
  n: AlertNotification,
  target: AlertTarget,
): { text: string; blocks: SlackBlock[] } {
  const icon = n.status === 'resolved' ? ':white_check_mark: Resolved' : ':rotating_light: Firing';
  const severity = n.severity ? ` · ${escapeMrkdwn(n.severity)}` : '';
  const head = `${icon}: *${escapeMrkdwn(clip(n.title, 200))}*${severity} · ${n.alertCount} alert${n.alertCount === 1 ? '' : 's'} from ${n.source}`;
  const summary = n.summary ? `\n${escapeMrkdwn(clip(redactSecrets(n.summary), 1_500))}` : '';
  const link = n.url && /^https?:\/\//.test(n.url) ? ` · <${n.url.replace(/[<>|]/g, '')}|source>` : '';
  return {
    text: `${n.status === 'resolved' ? 'Resolved' : 'Firing'}: ${clip(n.title, 200)}`,
    blocks: [
      { type: 'section', block_id: 'alert-head', text: { type: 'mrkdwn', text: `${head}${summary}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: clip(`${escapeMrkdwn(targetLine(target))}${link}`, 2_000) }],
      },
    ],
  };
}
