import type { AlertNotification } from '../alerts/types';
import type { AlertTarget } from '../alerts/target';
import { clip, escapeMrkdwn } from './blocks-limits';
import type { SlackBlock } from './blocks-types';
import { redactDeep, redactSecrets } from './redact';

function targetLine(t: AlertTarget): string {
  if (t.namespace && t.workload) return `Target: \`${t.namespace}/${t.workload}\` (from ${t.from.join(', ')})`;
  if (t.namespace) return `Target: namespace \`${t.namespace}\` (from ${t.from.join(', ')})`;
  return `Target: unknown, so the whole mesh is diagnosed. The alert lacked ${t.lacking.join('; ')}.`;
}

/**
 * A link as it may be shown: http(s) only, without user name or password (Alertmanager's externalURL
 * may carry basic-auth credentials), the rest redacted; null when there is none to show.
 */
export function shownLink(url: string | null): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  let link: string;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    link = parsed.href;
  } catch {
    return null;
  }
  return redactSecrets(link).replace(/[<>|]/g, '');
}

/**
 * The root message of an alert's thread: what fired, where, and whether it is still firing. Updated in
 * place when the alert resolves; the diagnosis goes into its thread.
 */
export function buildAlertRootBlocks(
  notification: AlertNotification,
  alertTarget: AlertTarget,
): { text: string; blocks: SlackBlock[] } {
  // Everything shown is redacted: titles and summaries are free text from the alert's author.
  const { url, ...shown } = notification;
  const n = redactDeep(shown);
  const target = redactDeep(alertTarget);
  const icon = n.status === 'resolved' ? ':white_check_mark: Resolved' : ':rotating_light: Firing';
  const severity = n.severity ? ` · ${escapeMrkdwn(n.severity)}` : '';
  const head = `${icon}: *${escapeMrkdwn(clip(n.title, 200))}*${severity} · ${n.alertCount} alert${n.alertCount === 1 ? '' : 's'} from ${n.source}`;
  const summary = n.summary ? `\n${escapeMrkdwn(clip(n.summary, 1_500))}` : '';
  const href = shownLink(url);
  const link = href ? ` · <${href}|source>` : '';
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
