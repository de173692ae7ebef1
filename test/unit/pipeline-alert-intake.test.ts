import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { parseCloudMonitoring } from '../../src/alerts/cloud-monitoring';
import type { AlertNotification } from '../../src/alerts/types';
import { alertIntake } from '../../src/pipeline/alert-intake';
import { openDiagnosisThread } from '../../src/pipeline/open-thread';
import type { DiagnoseRequest } from '../../src/pipeline/request';
import { alertFixture, alertmanagerGroup } from '../helpers/alert-payloads';
import { memoryIncidents, memorySlack } from '../helpers/memory-ports';

const NOW = Date.parse('2024-05-14T10:00:00Z');

function notification(
  namespace: string,
  workload: string,
  status: 'firing' | 'resolved' = 'firing',
): AlertNotification {
  const parsed = parseAlertmanager(alertmanagerGroup(namespace, workload, { status }));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

function intake(channelLanguage?: (channel: string) => string) {
  const incidents = memoryIncidents();
  const slack = memorySlack();
  const queued: DiagnoseRequest[] = [];
  const run = alertIntake({
    incidents,
    routes: [{ namespace: 'payments', channel: 'C0PAYMENTS' }],
    defaultChannel: 'C0ALERTS01',
    slack,
    enqueue: async (r) => void queued.push(r),
    rediagnoseAfterSeconds: 300,
    now: () => NOW,
    ...(channelLanguage ? { channelLanguage } : {}),
  });
  return { run, incidents, slack, queued };
}

describe('alert intake', () => {
  it('opens one thread per incident, in the routed channel, and queues its diagnosis', async () => {
    const { run, slack, queued, incidents } = intake();
    const n = notification('payments', 'ledger');
    expect(await run(n)).toBe('thread-created');
    expect(slack.writes).toMatchObject([{ call: 'postRoot', channel: 'C0PAYMENTS' }]);
    const root = slack.writes[0];
    expect(root?.call === 'postRoot' && root.message.text).toMatch(/^Firing: IstioHigh5xxRate/);
    expect(queued).toEqual([
      {
        target: { namespace: 'payments', workload: 'ledger' },
        scope: 'all',
        requestedBy: 'alert',
        channel: 'C0PAYMENTS',
        threadTs: root?.call === 'postRoot' ? root.ts : '',
        requestKey: `alert:${n.incidentKey}:${Math.floor(NOW / 1000 / 300)}`,
        incidentKey: n.incidentKey,
      },
    ]);
    expect(incidents.rows.get(n.incidentKey)).toMatchObject({ channel: 'C0PAYMENTS', status: 'firing' });
  });

  it("queues a Cloud Monitoring incident for its cluster, with the cluster's gcloud context as another name", async () => {
    const { run, queued } = intake();
    const parsed = parseCloudMonitoring(alertFixture('cloud-monitoring-open'));
    if (!parsed.ok) throw new Error(parsed.reason);

    await run(parsed.notification);

    expect(queued).toMatchObject([
      {
        target: { namespace: 'shop', workload: 'cart' },
        cluster: 'shop-prod-eu',
        clusterAliases: ['gke_acme-shop-prod_europe-west1_shop-prod-eu'],
      },
    ]);
  });

  it('writes the diagnosis of an alert in the language of the channel its thread is in', async () => {
    const { run, queued } = intake((channel) => (channel === 'C0PAYMENTS' ? 'es' : 'en'));

    await run(notification('payments', 'ledger'));
    await run(notification('shop', 'cart'));

    expect(queued.map((r) => [r.channel, r.language])).toEqual([
      ['C0PAYMENTS', 'es'],
      ['C0ALERTS01', 'en'],
    ]);
  });

  it('a re-send within the window is a duplicate; after it, one more diagnosis in the same thread', async () => {
    const { run, slack, queued, incidents } = intake();
    const n = notification('shop', 'cart');
    await run(n);
    expect(await run(n)).toBe('duplicate');
    expect(queued).toHaveLength(1);
    incidents.expireClaims();
    expect(await run(n)).toBe('rediagnosed');
    expect(queued).toHaveLength(2);
    expect(queued[1]?.threadTs).toBe(queued[0]?.threadTs);
    expect(slack.writes.filter((w) => w.call === 'postRoot')).toHaveLength(1);
    expect(queued[0]?.channel).toBe('C0ALERTS01');
  });

  it('an HA duplicate arriving while the first opens the thread is told to come back, not dropped', async () => {
    const { run, slack, queued } = intake();
    const n = notification('shop', 'cart');
    expect((await Promise.all([run(n), run(n)])).sort()).toEqual(['thread-created', 'thread-pending']);
    expect(slack.writes.filter((w) => w.call === 'postRoot')).toHaveLength(1);
    expect(queued).toHaveLength(1);
    expect(await run(n)).toBe('duplicate');
  });

  it('resolved updates the root in place; firing again reopens it; an unknown resolve is only counted', async () => {
    const { run, slack } = intake();
    expect(await run(notification('shop', 'cart', 'resolved'))).toBe('resolved-unknown');
    expect(slack.writes).toEqual([]);
    await run(notification('shop', 'cart'));
    expect(await run(notification('shop', 'cart', 'resolved'))).toBe('resolved');
    expect(await run(notification('shop', 'cart', 'resolved'))).toBe('resolved');
    const updates = slack.writes.filter((w) => w.call === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.message.text).toMatch(/^Resolved: /);
    await run(notification('shop', 'cart'));
    expect(slack.writes.filter((w) => w.call === 'update').at(-1)?.message.text).toMatch(/^Firing: /);
  });
});

describe('opening a diagnosis thread', () => {
  const ask = {
    target: { namespace: 'shop', workload: 'cart' },
    scope: 'all' as const,
    requestedBy: 'U0SRE00001',
    channel: 'C0INCIDENT',
    requestKey: 'slash:trigger-1',
    rootText: 'Diagnosing shop/cart, asked by <@U0SRE00001>',
  };

  it('claims the ask, posts the root message, then queues the request for its thread', async () => {
    const slack = memorySlack();
    const queued: DiagnoseRequest[] = [];
    const claims = new Set<string>();
    const open = openDiagnosisThread({
      claim: async (key) => !claims.has(key) && Boolean(claims.add(key)),
      slack,
      enqueue: async (r) => {
        queued.push(r);
        return { jobId: 'j', queued: true };
      },
    });
    expect(await open(ask)).toBe('queued');
    expect(await open(ask)).toBe('duplicate');
    expect(slack.writes).toEqual([
      { call: 'postRoot', channel: 'C0INCIDENT', ts: '1.000001', message: { text: ask.rootText } },
    ]);
    const { rootText: _rootText, ...request } = ask;
    expect(queued).toEqual([{ ...request, threadTs: '1.000001', rootTs: '1.000001' }]);
  });

  it('asked inside a thread: posts no root message and queues the request for that thread, without a root to update', async () => {
    const slack = memorySlack();
    const queued: DiagnoseRequest[] = [];
    const open = openDiagnosisThread({
      claim: async () => true,
      slack,
      enqueue: async (r) => {
        queued.push(r);
        return { jobId: 'j', queued: true };
      },
    });
    const { rootText: _rootText, ...request } = ask;
    expect(await open({ ...request, inThread: '1714000000.000300' })).toBe('queued');
    expect(slack.writes).toEqual([]);
    expect(queued).toEqual([{ ...request, threadTs: '1714000000.000300' }]);
  });

  it('queues nothing when the root message cannot be posted', async () => {
    const queued: DiagnoseRequest[] = [];
    const open = openDiagnosisThread({
      claim: async () => true,
      slack: {
        postRoot: async () => {
          throw new Error('not_in_channel');
        },
      },
      enqueue: async (r) => {
        queued.push(r);
        return { jobId: 'j', queued: true };
      },
    });
    await expect(open(ask)).rejects.toThrow('not_in_channel');
    expect(queued).toEqual([]);
  });
});
