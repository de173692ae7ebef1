import type { AlertNotification } from '../alerts/types';
import type { AlertTarget } from '../alerts/target';
import { clip, escapeMrkdwn } from './blocks-limits';
import type { RootVerdict } from './blocks-root';
import { rootVerdictLine, rootVerdictText } from './blocks-root';
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
 * The root message of an alert's thread: what fired, where, whether it is still firing, and the verdict
 * of the latest diagnosis in its thread (or that one is running). Redrawn in place when the alert
 * resolves or fires again and when a diagnosis changes the verdict; the report goes into its thread.
 */
export function buildAlertRootBlocks(
  notification: AlertNotification,
  alertTarget: AlertTarget,
  verdict: RootVerdict | null = null,
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
  const diagnosis = verdict
    ? `*Diagnosis:* ${rootVerdictLine(verdict)}`
    : n.status === 'resolved'
      ? '*Diagnosis:* none was posted.'
      : '*Diagnosis:* :hourglass_flowing_sand: running; the report follows in the thread.';
  const state = `${n.status === 'resolved' ? 'Resolved' : 'Firing'}: ${clip(n.title, 200)}`;
  return {
    text: verdict ? `${state} · ${clip(rootVerdictText(verdict), 200)}` : state,
    blocks: [
      { type: 'section', block_id: 'alert-head', text: { type: 'mrkdwn', text: `${head}${summary}` } },
      { type: 'section', block_id: 'alert-verdict', text: { type: 'mrkdwn', text: clip(diagnosis, 2_000) } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: clip(`${escapeMrkdwn(targetLine(target))}${link}`, 2_000) }],
      },
    ],
  };
}
