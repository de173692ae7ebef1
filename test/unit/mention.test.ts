import { askText, eventAsk } from '../../handlers/events/mention';

describe('asking by mention or direct message', () => {
  it('takes the text after the bot mention, wherever it is, and keeps other mentions', () => {
    expect(askText('<@U0BOT00001> diagnose shop/cart', 'U0BOT00001')).toBe('diagnose shop/cart');
    expect(askText('hey <@U0BOT00001|mesh-doctor>   diagnose   shop', 'U0BOT00001')).toBe('hey diagnose shop');
    expect(askText('<@U0BOT00001> help <@U0ALICE01>', 'U0BOT00001')).toBe('help <@U0ALICE01>');
    expect(askText('<@U0BOT00001>', 'U0BOT00001')).toBe('');
  });

  it('answers in the thread the message is in, or starts one under it, keyed by the message', async () => {
    const posted: unknown[] = [];
    const post = async (m: unknown) => void posted.push(m);
    const inThread = eventAsk(
      { text: '<@U0BOT00001> diagnose shop', user: 'U0SRE', channel: 'C1', ts: '200.2', thread_ts: '100.1' },
      'U0BOT00001',
      post,
    );
    expect(inThread).toMatchObject({
      text: 'diagnose shop',
      user: 'U0SRE',
      thread: '100.1',
      requestKey: 'message:C1:200.2',
    });
    await inThread?.reply({ text: 'hi' });
    expect(posted).toEqual([{ channel: 'C1', thread_ts: '100.1', text: 'hi' }]);
    const topLevel = eventAsk({ text: 'status', user: 'U0SRE', channel: 'D1', ts: '300.3' }, 'U0BOT00001', post);
    expect(topLevel?.thread).toBe('300.3');
    // A message without a user (a bot's, a system message) is no ask.
    expect(eventAsk({ text: 'x', channel: 'C1', ts: '1.1' }, 'U0BOT00001', post)).toBeNull();
  });
});
