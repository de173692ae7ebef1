import { eventually, startBotHarness } from '../helpers/bot-harness';

// One channel, readers of several languages: each report is written in its asker's language. The worker
// serves the cluster `fake`, which every root message and headline names.
let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness(undefined, undefined, {
    slackUsers: {
      U0ESPANOL1: { locale: 'es-ES' },
      U0ENGLISH1: { locale: 'en-US' },
      U0TAIWAN01: { locale: 'zh-TW' },
      U0FRANCAIS: { locale: 'fr-FR' },
    },
    languages: { channels: 'C0SEOUL001:ko' },
  });
});

afterAll(async () => {
  await harness.stop();
});

/** Asks for a diagnosis and returns the text the root was posted with and the report's blocks, as JSON. */
async function diagnoseAs(user: string, channel: string): Promise<{ root: string; report: string }> {
  const posted = () => harness.slack.calls('chat.postMessage').filter((c) => c.body.channel === channel);
  const before = posted().filter((c) => !c.body.thread_ts).length;
  await harness.slash('diagnose shop/cart', { user, channel });
  const call = await eventually('the root message', () => posted().filter((c) => !c.body.thread_ts)[before]);
  const root = harness.slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts)[before];
  const report = await eventually('the report', () =>
    harness.slack
      .threadOf(root?.ts ?? '')
      .find((m) => m.ts !== root?.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')),
  );
  return { root: String(call.body.text), report: JSON.stringify(report.blocks) };
}

describe('reports in the reader’s language', () => {
  it('writes to an es-ES user in Spanish and to an en-US user in English, in the same channel', async () => {
    const spanish = await diagnoseAs('U0ESPANOL1', 'C0INCIDENT');
    const english = await diagnoseAs('U0ENGLISH1', 'C0INCIDENT');

    expect(spanish.root).toBe('Diagnosticando shop/cart en fake, solicitado por <@U0ESPANOL1>');
    expect(spanish.report).toContain('1 problema en shop/cart en fake');
    expect(spanish.report).toContain('*Qué hacer*');
    expect(spanish.report).not.toContain('*What to do*');
    expect(english.root).toBe('Diagnosing shop/cart in fake, asked by <@U0ENGLISH1>');
    expect(english.report).toContain('1 problem in shop/cart in fake');
    expect(english.report).toContain('*What to do*');
    // The runbook id is the same in every language.
    expect(spanish.report).toContain('`proxy-startup-econnrefused`');
  });

  it('serves Traditional Chinese in Simplified Chinese, and uses the channel’s language for a locale in none of the six', async () => {
    const chinese = await diagnoseAs('U0TAIWAN01', 'C0INCIDENT');
    const french = await diagnoseAs('U0FRANCAIS', 'C0SEOUL001');

    expect(chinese.root).toBe('正在诊断 fake 集群的 shop/cart，请求者：<@U0TAIWAN01>');
    expect(chinese.report).toContain('fake 集群的 shop/cart 中有 1 个问题');
    expect(french.root).toBe('fake의 shop/cart 진단 중, 요청자: <@U0FRANCAIS>');
  });

  it('asks Slack for each person’s locale once, not on every ask', async () => {
    const lookups = harness.slack.calls('users.info').filter((c) => c.body.user === 'U0ESPANOL1');

    expect(lookups.length).toBe(1);
    expect(lookups[0]?.body.include_locale).toBeTruthy();
  });

  it('/mesh lang chooses a language over the Slack locale, answers in it, and auto goes back', async () => {
    const answers = () => harness.responses.received.map((r) => String(r.text));
    const before = answers().length;

    await harness.slash('lang ko', { user: 'U0ENGLISH1' });
    const chosen = await eventually('the answer', () => answers()[before]);
    const korean = await diagnoseAs('U0ENGLISH1', 'C0INCIDENT');
    await harness.slash('lang', { user: 'U0ENGLISH1' });
    const current = await eventually('the answer', () => answers()[before + 1]);
    await harness.slash('lang auto', { user: 'U0ENGLISH1' });
    const auto = await eventually('the answer', () => answers()[before + 2]);
    await harness.slash('lang fr', { user: 'U0ENGLISH1' });
    const refused = await eventually('the answer', () => answers()[before + 3]);

    expect(chosen).toBe(
      '이제부터 mesh-doctor는 한국어(으)로 안내합니다. `/mesh lang auto`를 사용하면 다시 Slack 언어를 따릅니다.',
    );
    expect(korean.root).toBe('fake의 shop/cart 진단 중, 요청자: <@U0ENGLISH1>');
    expect(korean.report).toContain('fake의 shop/cart에서 문제 1개 발견');
    expect(current).toContain('선택하신 대로');
    expect(auto).toBe('mesh-doctor now writes to you in your Slack language (English).');
    expect(refused).toContain('`fr` is not a language: use one of en, es, ko, pt, zh, id, or auto');
  });
});
