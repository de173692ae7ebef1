import { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../fakes/slack-api/types';
import { eventually, startBotHarness } from '../helpers/bot-harness';

/** Asking mesh-doctor inside the incident's thread and in a direct message, through the whole bot. */
let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness();
});

afterAll(async () => {
  await harness.stop();
});

const reportIn = (channel: string, thread: string) =>
  harness.slack
    .messages(channel)
    .find(
      (m) =>
        m.thread_ts === thread &&
        m.ts !== thread &&
        JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused'),
    );
/** A person's message in a channel (posted through the fake's Web API), opening a thread. */
async function say(channel: string, text: string): Promise<{ ts: string }> {
  const client = new WebClient('xoxb-test-token', { slackApiUrl: harness.slack.apiUrl });
  const result = await client.chat.postMessage({ channel, text });
  return { ts: String(result.ts) };
}

const roots = (channel: string) => harness.slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);

describe('@mesh-doctor in a thread, and in a direct message', () => {
  it('a mention inside an incident thread is answered in that thread, with no new channel message', async () => {
    // The incident thread someone else started.
    const incident = await say('C0INCIDENT', 'checkout is failing, anyone?');
    const rootsBefore = roots('C0INCIDENT').length;
    const mention = {
      type: 'app_mention',
      user: 'U0SRE',
      channel: 'C0INCIDENT',
      text: '<@U0BOT00001> diagnose shop/cart',
      ts: '1715680100.000200',
      thread_ts: incident.ts,
    };

    const response = await harness.event(mention, { eventId: 'EvMENTION1' });
    expect(response.status).toBe(200);
    const report: SlackMessage = await eventually('the report in the incident thread', () =>
      reportIn('C0INCIDENT', incident.ts),
    );
    expect(report.thread_ts).toBe(incident.ts);
    expect(roots('C0INCIDENT').length).toBe(rootsBefore);

    // Slack redelivers the same event: nothing is queued or posted twice.
    const countBefore = await harness.queue.count();
    await harness.event(mention, { eventId: 'EvMENTION1', retry: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await harness.queue.count()).toBe(countBefore);
    expect(
      harness.slack
        .messages('C0INCIDENT')
        .filter(
          (m) => m.thread_ts === incident.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused'),
        ),
    ).toHaveLength(1);
  });

  it('help by mention is answered in the thread', async () => {
    const incident = await say('C0INCIDENT', 'what can the bot do?');
    await harness.event({
      type: 'app_mention',
      user: 'U0SRE',
      channel: 'C0INCIDENT',
      text: '<@U0BOT00001> help',
      ts: '1715680200.000300',
      thread_ts: incident.ts,
    });
    const answer = await eventually('the usage in the thread', () =>
      harness.slack
        .messages('C0INCIDENT')
        .find((m) => m.thread_ts === incident.ts && String(m.text).includes('*Usage*')),
    );
    expect(String(answer.text)).toContain('diagnose');
  });

  it('a direct message gets its report in a thread under it; the bot ignores its own messages there', async () => {
    const ts = '1715680300.000400';
    await harness.event({
      type: 'message',
      channel_type: 'im',
      user: 'U0SRE',
      channel: 'D0SRE00001',
      text: 'diagnose shop/cart',
      ts,
    });
    const report = await eventually('the report in the DM thread', () => reportIn('D0SRE00001', ts));
    expect(report.thread_ts).toBe(ts);
    const posted = harness.slack.messages('D0SRE00001').length;
    await harness.event({
      type: 'message',
      channel_type: 'im',
      subtype: 'bot_message',
      bot_id: 'B0BOT00001',
      channel: 'D0SRE00001',
      text: 'diagnose shop',
      ts: '1715680301.000500',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(harness.slack.messages('D0SRE00001').length).toBe(posted);
  });
});
