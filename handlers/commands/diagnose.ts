import type { HandlerDeps } from '../../src/bot/handler-deps';
import type { ClusterChoice } from '../../src/pipeline/clusters';
import { formatDuration } from '../../src/util/time';
import type { Translate } from '../../src/i18n/translate';
import { translator } from '../../src/i18n/translate';
import { requestLocale } from '../../src/pipeline/reader-language';
import { buildRootText } from '../../src/report/blocks';
import type { SlackBlock } from '../../src/report/blocks-types';
import type { MeshAsk, Parsed, Reply } from './args';
import { answer } from './args';

/** The action id of the buttons that pick a cluster (one per cluster: `pick_cluster:0`, `pick_cluster:1`, …). */
export const PICK_CLUSTER_ACTION = 'pick_cluster';
/** Buttons offered at most; the others are named in the text. */
const MAX_PICKS = 10;

type DiagnoseKind = Parsed<'diagnose' | 'injection' | 'webhooks' | 'config'>;

function what(parsed: DiagnoseKind, t: Translate): string {
  if (parsed.kind === 'webhooks') return t('ask.what.webhooks');
  if (parsed.kind === 'injection') return t('ask.what.injection', { namespace: parsed.namespace });
  if (parsed.kind === 'config') return t('ask.what.config', { namespace: parsed.namespace });
  return parsed.workload ? `${parsed.namespace}/${parsed.workload}` : parsed.namespace;
}

/** The same ask with a cluster named: the text after `/mesh`. */
function withCluster(parsed: DiagnoseKind, cluster: string): string {
  if (parsed.kind === 'webhooks') return `webhooks ${cluster}`;
  const target =
    parsed.kind === 'diagnose' && parsed.workload ? `${parsed.namespace}/${parsed.workload}` : parsed.namespace;
  return `${parsed.kind} ${cluster}:${target}`;
}

/**
 * Which cluster: the clusters served, a command to copy for each of the first, and a button per cluster
 * whose value is that command's text (a click runs it as the clicker, with every check a typed command has).
 */
function clusterPicker(clusters: string[], parsed: DiagnoseKind, t: Translate): Reply {
  const examples = clusters
    .slice(0, 3)
    .map((c) => `\`/mesh ${withCluster(parsed, c)}\``)
    .join(', ');
  const text = t('ask.pick-cluster', { clusters: clusters.join(', '), examples });
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    {
      type: 'actions',
      block_id: PICK_CLUSTER_ACTION,
      elements: clusters.slice(0, MAX_PICKS).map((cluster, i) => ({
        type: 'button',
        action_id: `${PICK_CLUSTER_ACTION}:${i}`,
        text: { type: 'plain_text', text: cluster.length > 75 ? `${cluster.slice(0, 74)}…` : cluster },
        value: withCluster(parsed, cluster),
      })),
    },
  ];
  return { text, blocks };
}

/** What to say when the cluster cannot be used: which are served, and how to name one. */
function refusal(
  choice: Exclude<ClusterChoice, { kind: 'cluster' | 'none' }>,
  parsed: DiagnoseKind,
  nowMs: number,
  t: Translate,
): Reply {
  if (choice.kind === 'ask') return clusterPicker(choice.clusters, parsed, t);
  const seen =
    choice.lastSeenMs === null
      ? t('ask.seen-never')
      : t('ask.seen-ago', { ago: formatDuration(nowMs - choice.lastSeenMs) });
  const served = choice.served.length
    ? t('ask.served-now', { clusters: choice.served.join(', ') })
    : t('ask.no-worker-running');
  return { text: `${t('ask.unserved', { cluster: choice.cluster, seen })} ${served}` };
}

/**
 * `diagnose`, `injection`, `config` and `webhooks`: the cluster chosen (named, the only one served, the
 * channel's default), then a visible root message and the diagnosis queued for its thread in that cluster's
 * queue, or, asked inside a conversation (a mention, a direct message), queued for that thread. A cluster no
 * live worker serves, or an ask that must name one, is answered at once. A redelivered ask (same trigger id
 * or message) is dropped before anything is posted.
 */
export async function diagnoseCommand(ask: MeshAsk, parsed: DiagnoseKind, deps: HandlerDeps): Promise<void> {
  // The asker's language: answers, the report, and the root message everyone in the channel sees, are in it.
  const reader = await deps.readerLanguage(ask.user, ask.channel);
  const t = translator(reader.language);
  const choice = await deps.chooseCluster(parsed.cluster, ask.channel);
  if (choice.kind !== 'cluster' && choice.kind !== 'none') {
    await ask.reply(refusal(choice, parsed, Date.now(), t));
    return;
  }
  // `none`: no worker announced a cluster (older workers): queued as before, for the unnamed cluster.
  const cluster = choice.kind === 'cluster' ? choice.cluster : undefined;
  const target =
    parsed.kind === 'webhooks'
      ? { namespace: null, workload: null }
      : { namespace: parsed.namespace, workload: parsed.kind === 'diagnose' ? parsed.workload : null };
  const missing = await deps.missingTarget(target, cluster);
  if (missing) {
    await answer(ask, `:grey_question: ${missing}`);
    return;
  }
  const subject = cluster ? t('target.in-cluster', { target: what(parsed, t), cluster }) : what(parsed, t);
  const outcome = await deps.requestDiagnosis({
    target,
    ...(cluster ? { cluster } : {}),
    scope: parsed.kind === 'diagnose' ? 'all' : parsed.kind,
    requestedBy: ask.user,
    ...(ask.team ? { team: ask.team } : {}),
    channel: ask.channel,
    requestKey: ask.requestKey,
    language: requestLocale(reader),
    ...(ask.thread !== undefined ? { inThread: ask.thread } : { rootText: buildRootText(subject, ask.user, t) }),
  });
  if (outcome === 'duplicate') deps.log.info({ request: ask.requestKey }, 'duplicate request ignored');
}
