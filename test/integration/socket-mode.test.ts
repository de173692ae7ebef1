import { slashCommandFields } from '../fakes/slack-api';
import { eventually, startBotHarness } from '../helpers/bot-harness';

let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness(undefined, undefined, { appToken: 'xapp-1-A0FAKEAPP1-1-test' });
});

afterAll(async () => {
  await harness.stop();
});

const command = (text: string, trigger: string) =>
  slashCommandFields({
    text,
    trigger_id: trigger,
    channel_id: 'C0SOCKET',
    user_id: 'U0SRE',
    response_url: harness.responses.url,
  });

describe('the bot over Socket Mode (app token, WebSocket from apps.connections.open)', () => {
  it('connects with the app token and serves health and metrics on its own HTTP port', async () => {
    await eventually('a Socket Mode connection', () => harness.slack.socketMode.connections() === 1);
    const opened = harness.slack.calls('apps.connections.open');
    expect(opened.at(-1)?.token).toBe('xapp-1-A0FAKEAPP1-1-test');

    const health = await fetch(`${harness.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${harness.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${harness.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('acknowledges a slash command envelope, then posts the root message and the threaded report', async () => {
    await eventually('a Socket Mode connection', () => harness.slack.socketMode.connections() === 1);

    const ack = await harness.slack.socketMode.send('slash_commands', command('diagnose shop/cart', 'sock-1'));

    expect(ack.envelope_id).toBe(harness.slack.socketMode.acked.at(-1));
    const root = await eventually('the root message', () =>
      harness.slack.messages('C0SOCKET').find((m) => String(m.text).startsWith('Diagnosing shop/cart')),
    );
    await eventually('the report in the thread', () =>
      harness.slack
        .threadOf(root.ts)
        .find((m) => m.ts !== root.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')),
    );
  });

  it('answers bad syntax through response_url and queues nothing', async () => {
    const before = await harness.queue.count();

    await harness.slack.socketMode.send('slash_commands', command('diagnose Not_A_Name', 'sock-2'));

    const answer = await eventually('the usage answer', () =>
      harness.responses.received.find((r) => String(r.text).includes('not a valid namespace name')),
    );
    expect(answer.response_type).toBe('ephemeral');
    expect(await harness.queue.count()).toBe(before);
  });

  it('reconnects after Slack asks it to, and keeps answering', async () => {
    const opensBefore = harness.slack.calls('apps.connections.open').length;

    harness.slack.socketMode.disconnectAll();

    await eventually(
      'a new connection',
      () =>
        harness.slack.calls('apps.connections.open').length > opensBefore &&
        harness.slack.socketMode.connections() === 1,
    );
    await harness.slack.socketMode.send('slash_commands', command('diagnose shop', 'sock-3'));
    await eventually('the root message after reconnecting', () =>
      harness.slack.messages('C0SOCKET').find((m) => m.text === 'Diagnosing shop in fake, asked by <@U0SRE>'),
    );
  });
});
