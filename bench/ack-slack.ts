/** Child process of bench:ack and bench:alerts: the fake Slack Web API, off the bot's event loop (real Slack is remote). */
import { startFakeSlackApi } from '../test/fakes/slack-api';

async function main(): Promise<void> {
  const slack = await startFakeSlackApi();
  process.on('message', (m: { cmd: string; channel?: string; rule?: unknown; method?: string }) => {
    if (m.cmd === 'messages')
      process.send?.({
        messages: slack
          .messages(m.channel)
          .map((x) => ({ ts: x.ts, text: x.text, thread_ts: x.thread_ts, blocks: x.blocks })),
      });
    if (m.cmd === 'fault') {
      slack.faults.add(m.rule as never);
      process.send?.({ ok: true });
    }
    if (m.cmd === 'calls') process.send?.({ count: slack.calls(String(m.method)).length });
    if (m.cmd === 'stop') void slack.close().then(() => process.exit(0));
  });
  process.send?.({ apiUrl: slack.apiUrl });
}

void main();
