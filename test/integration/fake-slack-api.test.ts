import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient, WebClientEvent } from '@slack/web-api';
import type { FakeSlackApi } from '../fakes/slack-api';
import {
  FORM_CONTENT_TYPE,
  interactionBody,
  signSlackRequest,
  slashCommandBody,
  startFakeSlackApi,
} from '../fakes/slack-api';

const TOKEN = 'xoxb-fake-token';
const CHANNEL = 'C0MESHOPS1';
const FAST_RETRIES = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 };

let fake: FakeSlackApi;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlackApi({ usergroups: { S0ONCALL01: ['U0ALICE001', 'U0BOB00001'] } });
  client = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRIES, logLevel: LogLevel.ERROR });
});

afterEach(async () => {
  await fake.close();
});

describe('fake Slack Web API with the real WebClient', () => {
  it('records a post, a thread reply and an update, and keeps the thread', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*cart* is failing' } }];

    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'diagnosing cart', blocks });
    const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'found 1 problem', thread_ts: parent.ts });
    await client.chat.update({ channel: CHANNEL, ts: parent.ts ?? '', text: 'diagnosed cart' });

    expect(parent).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'diagnosing cart', blocks } });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(fake.calls('chat.postMessage')[0]).toMatchObject({ token: TOKEN, body: { channel: CHANNEL, blocks } });
    expect(fake.requests.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.update']);
    expect(fake.messages(CHANNEL)).toMatchObject([
      { ts: parent.ts, thread_ts: parent.ts, reply_count: 1, text: 'diagnosed cart', blocks, edited: {} },
      { ts: reply.ts, thread_ts: parent.ts, text: 'found 1 problem' },
    ]);
    expect(fake.threadOf(parent.ts ?? '').map((m) => m.ts)).toEqual([parent.ts, reply.ts]);
    expect(fake.unexpected).toEqual([]);
  });

  it('answers the directory methods, ephemeral messages and deletes', async () => {
    const auth = await client.auth.test();
    const group = await client.usergroups.users.list({ usergroup: 'S0ONCALL01' });
    const user = await client.users.info({ user: 'U0ALICE001' });
    const channel = await client.conversations.info({ channel: CHANNEL });
    const ephemeral = await client.chat.postEphemeral({ channel: CHANNEL, user: 'U0ALICE001', text: 'only you' });
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'oops' });
    await client.chat.delete({ channel: CHANNEL, ts: posted.ts ?? '' });

    expect(auth).toMatchObject({ ok: true, user_id: fake.identity.user_id, bot_id: fake.identity.bot_id });
    expect(group.users).toEqual(['U0ALICE001', 'U0BOB00001']);
    expect(user.user).toMatchObject({ id: 'U0ALICE001', is_bot: false });
    expect(channel.channel).toMatchObject({ id: CHANNEL, is_member: true });
    expect(fake.ephemerals(CHANNEL)).toEqual([
      { channel: CHANNEL, user: 'U0ALICE001', message_ts: ephemeral.message_ts, text: 'only you' },
    ]);
    expect(fake.messages()).toEqual([]);
  });

  it('gives Slack errors for unknown groups, unknown methods and injected errors', async () => {
    fake.faults.add({ method: 'chat.postMessage', error: 'channel_not_found' });

    const unknownGroup = client.usergroups.users.list({ usergroup: 'S0NOPE0001' });
    const unknownMethod = client.apiCall('mesh.nonsense');
    const injected = client.chat.postMessage({ channel: CHANNEL, text: 'hi' });

    await expect(unknownGroup).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
    await expect(unknownMethod).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    await expect(injected).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'channel_not_found' },
    });
    expect(fake.unexpected).toEqual(['mesh.nonsense']);
    expect(fake.messages()).toEqual([]);
  });

  it('reads JSON bodies and refuses calls without a token', async () => {
    const blocks = [{ type: 'divider' }];
    const send = (headers: Record<string, string>): Promise<unknown> =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: JSON.stringify({ channel: CHANNEL, text: 'json', blocks }),
      }).then((res) => res.json());

    const withToken = await send({ authorization: `Bearer ${TOKEN}` });
    const without = await send({});

    expect(withToken).toMatchObject({ ok: true, channel: CHANNEL, ts: '1716000000.000100' });
    expect(without).toEqual({ ok: false, error: 'not_authed' });
    expect(fake.requests).toMatchObject([
      { method: 'chat.postMessage', token: TOKEN, body: { channel: CHANNEL, blocks } },
      { method: 'chat.postMessage', token: null },
    ]);
    expect(fake.messages()).toHaveLength(1);
  });

  it('answers 429 with Retry-After, which the client waits for and retries', async () => {
    fake.faults.add({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 0 });
    const rateLimited: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));

    const result = await client.chat.postMessage({ channel: CHANNEL, text: 'after a pause' });

    expect(result.ok).toBe(true);
    expect(rateLimited).toEqual([0]);
    expect(fake.calls('chat.postMessage')).toHaveLength(2);
    expect(fake.messages()).toHaveLength(1);
  });

  it('fails with an HTTP error once retries are spent on 500s', async () => {
    fake.faults.add({ status: 500, times: 3 });

    const call = client.chat.postMessage({ channel: CHANNEL, text: 'never' });

    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    expect(fake.requests).toHaveLength(3);
  });

  it('serves the filesUploadV2 flow end to end', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'report follows' });
    const content = '{"findings":[]}\n';

    const result = await client.filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts ?? '',
      content,
      filename: 'report.json',
      title: 'Diagnosis report',
      initial_comment: 'full report',
    });

    expect(result.ok).toBe(true);
    expect(fake.requests.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const [upload] = fake.uploads();
    expect(upload).toMatchObject({
      filename: 'report.json',
      title: 'Diagnosis report',
      completed: true,
      channel_id: CHANNEL,
      thread_ts: parent.ts,
      initial_comment: 'full report',
    });
    expect(upload?.content?.toString('utf8')).toBe(content);
    expect(fake.threadOf(parent.ts ?? '')[1]).toMatchObject({
      text: 'full report',
      files: [{ id: upload?.fileId, name: 'report.json' }],
    });
  });
});

describe('signed requests to a Bolt app', () => {
  const signingSecret = 'fake-signing-secret';
  let app: App;
  let server: Server;
  let events: string;
  const commands: string[] = [];
  const actions: string[] = [];

  beforeEach(async () => {
    app = new App({
      token: TOKEN,
      receiver: new HTTPReceiver({ signingSecret, logLevel: LogLevel.ERROR }),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRIES },
      logLevel: LogLevel.ERROR,
    });
    app.command('/mesh', async ({ ack, command }) => {
      commands.push(command.text);
      await ack();
    });
    app.action('rerun', async ({ ack, action }) => {
      actions.push(action.type === 'button' ? (action.value ?? '') : action.type);
      await ack();
    });
    server = await app.start({ port: 0, host: '127.0.0.1' });
    events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await app.stop();
  });

  function post(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(events, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE, ...headers }, body });
  }

  it('accepts a signed slash command and refuses a forged or stale one', async () => {
    const body = slashCommandBody({ text: 'diagnose shop', user_id: 'U0ALICE001', channel_id: CHANNEL });
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;

    const signed = await post(body, { ...signSlackRequest(signingSecret, body) });
    const forged = await post(body, { ...signSlackRequest('not-the-secret', body) });
    const old = await post(body, { ...signSlackRequest(signingSecret, body, stale) });

    expect(signed.status).toBe(200);
    expect(forged.status).toBe(401);
    expect(old.status).toBe(401);
    expect(commands).toEqual(['diagnose shop']);
    expect(fake.calls('auth.test')).toMatchObject([{ token: TOKEN }]);
  });

  it('accepts a signed interaction payload', async () => {
    const body = interactionBody({
      type: 'block_actions',
      user: { id: 'U0ALICE001' },
      team: { id: fake.identity.team_id },
      api_app_id: 'A0FAKE0001',
      trigger_id: '1.1.fake',
      channel: { id: CHANNEL },
      actions: [{ type: 'button', action_id: 'rerun', block_id: 'b', value: 'p-1', action_ts: '1716000000.1' }],
    });

    const response = await post(body, { ...signSlackRequest(signingSecret, body) });

    expect(response.status).toBe(200);
    expect(actions).toEqual(['p-1']);
  });
});
