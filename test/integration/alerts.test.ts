import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { ALERT_BYTES_IN_FLIGHT, MAX_ALERT_BODY } from '../../handlers/webhooks/alert-endpoint';
import { alertFixture, alertmanagerGroup, alertStorm } from '../helpers/alert-payloads';
import { eventually, startBotHarness } from '../helpers/bot-harness';

const TOKEN = 'alert-token-0123456789abcdef0123';
const CHANNEL = 'C0ALERTS01';
const SHOP_CHANNEL = 'C0SHOPOPS1';

let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness(undefined, undefined, {
    alerts: {
      token: TOKEN,
      channel: CHANNEL,
      routes: `namespace=payments:${SHOP_CHANNEL}`,
      rediagnoseAfterSeconds: 1,
    },
  });
});

afterAll(async () => {
  await harness.stop();
});

function send(
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
  h: typeof harness = harness,
) {
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const roots = (channel: string, h: typeof harness = harness) =>
  h.slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const repliesTo = (ts: string) => harness.slack.threadOf(ts).filter((m) => m.ts !== ts);
const reportIn = (ts: string, runbook: string) =>
  repliesTo(ts).find((m) => JSON.stringify(m.blocks ?? []).includes(runbook));

/** A raw connection to the bot: what was written, and everything it answered. */
function rawClient(h: typeof harness = harness) {
  const { port } = new URL(h.url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  let reset = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => (reset = true));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    socket: socket as Socket,
    received: () => received,
    reset: () => reset,
    closed,
    head: (path: string, length: number, auth = `Bearer ${TOKEN}`) =>
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
      ),
  };
}

/** The connection still carries a second request (answered 400 here), and was never reset. */
async function expectReusable(client: ReturnType<typeof rawClient>) {
  client.head('/alerts/alertmanager', 11);
  client.socket.write('{"version":');
  await eventually(
    'a second answer on the same connection',
    () => /HTTP\/1\.1 400/.test(client.received()) || undefined,
    5_000,
  );
  expect(client.reset()).toBe(false);
  client.socket.destroy();
}

describe('alert webhooks: one thread per incident, diagnosis in it', () => {
  it('firing: answers 202 at once, posts one thread and the diagnosis of the alert target in it', async () => {
    const response = await send('/alerts/alertmanager', alertFixture('alertmanager-firing'));

    expect(response.status).toBe(202);
    const root = await eventually('the alert thread', () =>
      roots(CHANNEL).find((m) => String(m.text).includes('IstioHigh5xxRate')),
    );
    expect(JSON.stringify(root.blocks)).toContain('shop/cart');
    await eventually('the report in the thread', () => reportIn(root.ts, 'proxy-startup-econnrefused'));
    await harness.alertsIdle();
    expect(await (await fetch(`${harness.url}/metrics`)).text()).toMatch(/^mesh_doctor_alert_intake_jobs 0$/m);
  });

  it('a duplicate from an HA pair opens no second thread, and an unchanged re-diagnosis posts nothing new', async () => {
    const payload = alertFixture('alertmanager-firing') as { alerts: unknown[] };
    const root = await eventually('the alert thread', () =>
      roots(CHANNEL).find((m) => String(m.text).includes('IstioHigh5xxRate')),
    );
    await eventually('the first report', () => reportIn(root.ts, 'proxy-startup-econnrefused'));
    const before = repliesTo(root.ts).length;
    const jobsBefore = await harness.queue.count();

    const duplicate = await send('/alerts/alertmanager', { ...payload, alerts: [...payload.alerts].reverse() });
    await new Promise((r) => setTimeout(r, 1_200));
    const refired = await send('/alerts/alertmanager', payload);
    await harness.alertsIdle();
    await eventually(
      'the re-diagnosis to finish',
      async () => ((await harness.queue.getJobCounts('completed')).completed ?? 0) >= 2 || undefined,
    );

    expect([duplicate.status, refired.status]).toEqual([202, 202]);
    expect(roots(CHANNEL).filter((m) => String(m.text).includes('IstioHigh5xxRate'))).toHaveLength(1);
    expect(await harness.queue.count()).toBeLessThanOrEqual(jobsBefore + 1);
    expect(repliesTo(root.ts)).toHaveLength(before);
  });

  it('resolved: updates the root message in place', async () => {
    const root = await eventually('the alert thread', () =>
      roots(CHANNEL).find((m) => String(m.text).includes('IstioHigh5xxRate')),
    );

    const response = await send('/alerts/alertmanager', alertFixture('alertmanager-resolved'));

    expect(response.status).toBe(202);
    await eventually('the resolved root', () =>
      harness.slack.messages(CHANNEL).find((m) => m.ts === root.ts && String(m.text).startsWith('Resolved')),
    );
    expect(roots(CHANNEL).filter((m) => String(m.text).includes('IstioHigh5xxRate'))).toHaveLength(1);
  });

  it('Cloud Monitoring: an open incident gets a thread; closing it updates the root', async () => {
    const opened = await send('/alerts/cloud-monitoring', alertFixture('cloud-monitoring-open'));
    const root = await eventually('the incident thread', () =>
      roots(CHANNEL).find((m) => String(m.text).includes('Envoy 503 UC')),
    );

    const closed = await send('/alerts/cloud-monitoring', alertFixture('cloud-monitoring-closed'));

    expect([opened.status, closed.status]).toEqual([202, 202]);
    await eventually('the resolved root', () =>
      harness.slack.messages(CHANNEL).find((m) => m.ts === root.ts && String(m.text).startsWith('Resolved')),
    );
  });

  it('routes by namespace, and says which labels an alert without a target lacked', async () => {
    await send('/alerts/alertmanager', alertmanagerGroup('payments', 'ledger'));
    await send('/alerts/alertmanager', alertFixture('alertmanager-no-target'));

    await eventually('the routed thread', () =>
      roots(SHOP_CHANNEL).find((m) => JSON.stringify(m.blocks).includes('payments/ledger')),
    );
    const lacking = await eventually('the no-target thread', () =>
      roots(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('Target: unknown')),
    );
    expect(JSON.stringify(lacking.blocks)).toMatch(/lacked namespace/);
    await eventually('a report in the no-target thread', () =>
      repliesTo(lacking.ts).find((m) => Array.isArray(m.blocks) && m.blocks.length > 0),
    );
  });

  it('survives a client that hangs up in the middle of a body, and keeps answering', async () => {
    const { port } = new URL(harness.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /alerts/alertmanager HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"version":"4",`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on('error', () => resolve());
    });

    const after = await send('/alerts/alertmanager', '{"version":');

    expect(after.status).toBe(400);
  });

  it('refuses a missing or wrong token with 401, garbage with 400 and the reason, and 5 MB with 413', async () => {
    const jobsBefore = await harness.queue.count();

    const none = await send('/alerts/alertmanager', alertFixture('alertmanager-firing'), {});
    const wrong = await send('/alerts/alertmanager', alertFixture('alertmanager-firing'), {
      authorization: 'Bearer nope',
    });
    const notJson = await send('/alerts/alertmanager', '{"version":');
    const badShape = await send('/alerts/alertmanager', { version: '4', status: 'firing', alerts: [] });
    const huge = await send(
      '/alerts/cloud-monitoring',
      JSON.stringify({ incident: { summary: 'x'.repeat(5 * 1024 * 1024) } }),
    );

    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(notJson.status).toBe(400);
    expect(badShape.status).toBe(400);
    expect(((await badShape.json()) as { error: string }).error).toMatch(/groupKey|alerts/);
    expect(huge.status).toBe(413);
    expect(await harness.queue.count()).toBe(jobsBefore);
  });
});

describe('alert webhooks: bounded before and while reading', () => {
  it('the token in the query string is refused unless ALERT_ACCEPT_QUERY_TOKEN is set', async () => {
    const response = await send(
      `/alerts/cloud-monitoring?auth_token=${TOKEN}`,
      alertFixture('cloud-monitoring-open'),
      {},
    );
    expect(response.status).toBe(401);
  });

  it('a 401 to a client still sending: the body is read and dropped, the answer arrives and the connection stays usable', async () => {
    const client = rawClient();
    client.head('/alerts/alertmanager', 200_000, 'Bearer nope');
    client.socket.write('x'.repeat(50_000));
    await eventually('the 401', () => client.received().startsWith('HTTP/1.1 401') || undefined, 5_000);
    client.socket.write('x'.repeat(150_000));
    await new Promise((r) => setTimeout(r, 100));
    await expectReusable(client);
  });

  it('a 413 to a client still sending 3 MB: the answer arrives, no reset, and the connection stays usable', async () => {
    const client = rawClient();
    client.head('/alerts/alertmanager', 3 * 1024 * 1024);
    for (let i = 0; i < 48; i++) client.socket.write(Buffer.alloc(64 * 1024, 'x'));
    await eventually('the 413', () => client.received().startsWith('HTTP/1.1 413') || undefined, 5_000);
    await new Promise((r) => setTimeout(r, 200));
    await expectReusable(client);
  });

  it('bodies in flight beyond the byte budget are answered 429 with Retry-After; a slow body is dropped with 408', async () => {
    const held = Array.from({ length: ALERT_BYTES_IN_FLIGHT / MAX_ALERT_BODY }, () => rawClient());
    for (const c of held) {
      c.head('/alerts/alertmanager', MAX_ALERT_BODY);
      c.socket.write('{"version":"4",');
    }
    await new Promise((r) => setTimeout(r, 300));

    const over = await send('/alerts/alertmanager', alertFixture('alertmanager-firing'));

    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    await eventually(
      'the slow bodies dropped with 408',
      () => held.every((c) => c.received().startsWith('HTTP/1.1 408')) || undefined,
      10_000,
    );
    for (const c of held) c.socket.destroy();
    expect((await send('/alerts/alertmanager', alertFixture('alertmanager-firing'))).status).toBe(202);
  }, 20_000);
});

describe('an alert storm, with the default re-diagnosis window', () => {
  let stormy: typeof harness;
  beforeAll(async () => {
    stormy = await startBotHarness(undefined, undefined, {
      alerts: { token: TOKEN, channel: CHANNEL, acceptQueryToken: true },
    });
  });
  afterAll(async () => {
    await stormy.stop();
  });

  it('a storm of 1,000 notifications across 20 workloads: every request answered, at most 20 jobs and 20 threads', async () => {
    const storm = alertStorm(1000, 20);
    const threadsBefore = roots(CHANNEL, stormy).length;
    const jobsBefore = await stormy.queue.count();
    const countsBefore = await stormy.queue.getJobCounts('completed', 'failed');

    const statuses: number[] = [];
    for (let i = 0; i < storm.length; i += 50) {
      const batch = storm.slice(i, i + 50).map((s) => send(s.path, s.body, undefined, stormy).then((r) => r.status));
      statuses.push(...(await Promise.all(batch)));
    }
    await stormy.alertsIdle();

    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    const counts = await stormy.queue.getJobCounts('completed', 'failed');
    const jobs =
      (await stormy.queue.count()) -
      jobsBefore +
      (counts.completed ?? 0) -
      (countsBefore.completed ?? 0) +
      (counts.failed ?? 0) -
      (countsBefore.failed ?? 0);
    expect(jobs).toBeLessThanOrEqual(20);
    expect(jobs).toBeGreaterThan(0);
    expect(roots(CHANNEL, stormy).length - threadsBefore).toBe(20);
  }, 60_000);

  it('with ALERT_ACCEPT_QUERY_TOKEN, the token may come as ?auth_token=', async () => {
    const response = await send(
      `/alerts/cloud-monitoring?auth_token=${TOKEN}`,
      alertFixture('cloud-monitoring-open'),
      {},
      stormy,
    );
    expect(response.status).toBe(202);
  });
});
