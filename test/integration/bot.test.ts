import { eventually, startBotHarness } from '../helpers/bot-harness';
import { fuzzTexts, MESH_VERBS } from '../helpers/fuzz';

let harness: Awaited<ReturnType<typeof startBotHarness>>;

beforeAll(async () => {
  harness = await startBotHarness();
});

afterAll(async () => {
  await harness.stop();
});

const rootsIn = (channel: string) =>
  harness.slack.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);

const answered = new Set<Record<string, unknown>>();

describe('the /mesh bot with real Redis, a real worker and fake Slack and Kubernetes APIs', () => {
  it('acknowledges, posts a root message and puts the report naming the runbook in its thread', async () => {
    const response = await harness.slash('diagnose shop/cart', { trigger: 'trigger-1' });

    expect(response.status).toBe(200);
    const root = await eventually('the root message', () =>
      rootsIn('C0INCIDENT').find((m) => String(m.text).startsWith('Diagnosing shop/cart')),
    );
    expect(root.text).toBe('Diagnosing shop/cart in fake, asked by <@U0SRE>');
    const report = await eventually('the report in the thread', () =>
      harness.slack
        .threadOf(root.ts)
        .find((m) => m.ts !== root.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')),
    );
    expect(JSON.stringify(report.blocks)).toContain('approve_patch');
  });

  it('rejects a forged signature and a stale timestamp with 401 and queues nothing', async () => {
    const before = await harness.queue.count();

    const forged = await harness.slash('diagnose shop/cart', { secret: 'not-the-secret' });
    const stale = await harness.slash('diagnose shop/cart', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });

    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(await harness.queue.count()).toBe(before);
  });

  it('queues the same command delivered twice only once', async () => {
    const rootsBefore = rootsIn('C0INCIDENT').length;

    await harness.slash('diagnose shop', { trigger: 'trigger-dup' });
    await harness.slash('diagnose shop', { trigger: 'trigger-dup' });

    await eventually('the root message', () => rootsIn('C0INCIDENT').length > rootsBefore);
    await new Promise((r) => setTimeout(r, 300));
    // Once its report is posted the root shows the verdict instead of "Diagnosing shop, …": count roots.
    expect(rootsIn('C0INCIDENT').length - rootsBefore).toBe(1);
  });

  it('answers bad syntax with an ephemeral usage message and queues nothing', async () => {
    const before = await harness.queue.count();

    const response = await harness.slash('diagnose Bad_Namespace');

    expect(response.status).toBe(200);
    const answer = await eventually('the usage answer', () =>
      harness.responses.received.find((r) => String(r.text).includes('not a valid namespace name')),
    );
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.text)).toContain('/mesh diagnose shop/cart');
    expect(await harness.queue.count()).toBe(before);
  });

  it('looks up runbooks and queue status ephemerally', async () => {
    await harness.slash('runbook 503 keep-alive');
    await harness.slash('status');

    const runbook = await eventually('the runbook answer', () =>
      harness.responses.received.find((r) => String(r.text).includes('upstream-reset-503')),
    );
    const status = await eventually('the status answer', () =>
      harness.responses.received.find((r) => String(r.text).startsWith('Queue: ')),
    );
    expect(runbook).toMatchObject({ response_type: 'ephemeral' });
    expect(String(status.text)).toMatch(/^Queue: \d+ waiting, \d+ running, \d+ delayed, \d+ failed\. Workers: 1\./);
  });

  it('answers a namespace the workers did not see at once, with the near names, and queues nothing', async () => {
    // The first test's diagnosis read the cluster, so the workers have recorded which namespaces exist.
    const before = await harness.queue.count();

    await harness.slash('diagnose shpo', { trigger: 'trigger-unknown' });

    const answer = await eventually('the answer', () =>
      harness.responses.received.find((r) => String(r.text).includes('namespace "shpo" does not exist')),
    );
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.text)).toContain('did you mean shop?');
    expect(rootsIn('C0INCIDENT').some((m) => String(m.text).startsWith('Diagnosing shpo'))).toBe(false);
    expect(await harness.queue.count()).toBe(before);
  });

  it.each([
    ['not_in_channel', 'Invite it with `/invite @mesh-doctor`'],
    ['channel_not_found', 'Invite it with `/invite @mesh-doctor`'],
    ['is_archived', 'This channel is archived'],
  ])('answers a %s refusal of the root message with what to do, and queues nothing', async (error, advice) => {
    harness.slack.faults.add({ method: 'chat.postMessage', error, times: 1 });
    const before = await harness.queue.count();

    await harness.slash('diagnose shop/cart', { trigger: `trigger-${error}` });

    const reply = await eventually('the answer', () =>
      harness.responses.received.find((r) => String(r.text).includes(advice) && !answered.has(r)),
    );
    answered.add(reply);
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.text)).toContain('Nothing was queued.');
    expect(await harness.queue.count()).toBe(before);
  });

  it('retries Slack 429s after Retry-After without duplicating or losing the messages', async () => {
    harness.slack.faults.add({ method: 'chat.update', status: 429, retryAfterSeconds: 0, times: 1 });
    harness.slack.faults.add({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 0, times: 1 });
    const updatesBefore = harness.slack.calls('chat.update').length;
    const rootsBefore = rootsIn('C0INCIDENT').length;

    await harness.slash('diagnose shop/cart', { trigger: 'trigger-429' });

    const root = await eventually('the root message', () => rootsIn('C0INCIDENT').at(rootsBefore));
    const report = await eventually('the report', () =>
      harness.slack
        .threadOf(root.ts)
        .find((m) => m.ts !== root.ts && JSON.stringify(m.blocks ?? []).includes('proxy-startup-econnrefused')),
    );
    expect(report).toBeDefined();
    expect(harness.slack.threadOf(root.ts)).toHaveLength(2);
    expect(rootsIn('C0INCIDENT').length - rootsBefore).toBe(1);
    await eventually(
      'the verdict on the root',
      () => String(rootsIn('C0INCIDENT').at(rootsBefore)?.text).includes('in shop/cart (1 problem)') || undefined,
    );
    expect(harness.slack.calls('chat.update').length - updatesBefore).toBeGreaterThanOrEqual(2);
  });

  it('answers 1,000 fuzzed /mesh texts, each with a usage message or a queued diagnosis', async () => {
    const texts = fuzzTexts(
      1000,
      [...MESH_VERBS, 'shop', 'Shop', 'a/b/c', '💥', '<@U1>', '"', '--x', 'x'.repeat(70), '%', '&=', '\\', 'ok'],
      7,
      5,
    );
    const answersBefore = harness.responses.received.length;
    const rootsBefore = rootsIn('C0INCIDENT').length;

    const statuses: number[] = [];
    for (let i = 0; i < texts.length; i += 25) {
      const batch = texts
        .slice(i, i + 25)
        .map((text, j) => harness.slash(text, { trigger: `fuzz-${i + j}` }).then((r) => r.status));
      statuses.push(...(await Promise.all(batch)));
    }

    expect(statuses.every((s) => s === 200)).toBe(true);
    await eventually(
      'an answer to every text',
      () => harness.responses.received.length - answersBefore + rootsIn('C0INCIDENT').length - rootsBefore >= 1000,
      30_000,
    );
    expect(harness.responses.received.length - answersBefore + rootsIn('C0INCIDENT').length - rootsBefore).toBe(1000);
  }, 60_000);
});

describe('patch buttons without approvals configured', () => {
  it('answers the clicker only that approvals are not configured, and changes nothing', async () => {
    const patchesBefore = harness.kube.requests.filter((r) => r.method === 'PATCH').length;

    const response = await harness.click('approve_patch', 'AbCdEfGhIjKlMnOpQrStUvWx', 'U0LEAD0001');

    expect(response.status).toBe(200);
    const answer = await eventually('the answer', () =>
      harness.responses.received.find((r) =>
        String(r.text).startsWith('Approvals are not configured: no patch is applied'),
      ),
    );
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.replace_original).toBe(false);
    expect(harness.kube.requests.filter((r) => r.method === 'PATCH')).toHaveLength(patchesBefore);
  });
});

describe('a bot whose follow-up backlog is full', () => {
  let busy: typeof harness;
  beforeAll(async () => {
    busy = await startBotHarness(undefined, undefined, { followUpBacklog: 0 });
  });
  afterAll(async () => {
    await busy.stop();
  });

  it('still acknowledges, tells the user to retry, and posts or queues nothing', async () => {
    const response = await busy.slash('diagnose shop/cart');

    expect(response.status).toBe(200);
    const answer = await eventually('the busy answer', () =>
      busy.responses.received.find((r) => String(r.text).includes('nothing was queued')),
    );
    expect(answer.response_type).toBe('ephemeral');
    expect(await busy.queue.count()).toBe(0);
    expect(busy.slack.messages('C0INCIDENT')).toHaveLength(0);
  });
});

describe('a /mesh diagnose of a namespace in ambient mode', () => {
  let ambient: typeof harness;
  beforeAll(async () => {
    ambient = await startBotHarness('ambient-healthy', '2026-12-02T15:45:00Z');
  });
  afterAll(async () => {
    await ambient.stop();
  });

  it('states the data plane of the namespace: its pods in ambient mode behind their waypoint, and no problem', async () => {
    await ambient.slash('diagnose shop', { trigger: 'trigger-ambient' });

    const root = await eventually('the root message', () =>
      ambient.slack.messages('C0INCIDENT').find((m) => String(m.text).startsWith('Diagnosing shop')),
    );
    const report = await eventually('the report in the thread', () =>
      ambient.slack
        .threadOf(root.ts)
        .find((m) => m.ts !== root.ts && JSON.stringify(m.blocks ?? []).includes('Data plane of shop')),
    );
    const posted = JSON.stringify(report.blocks);
    expect(posted).toContain(
      'Mesh: Istio with istiod in the cluster. Data plane of shop: 5 pods ambient with waypoint shop/waypoint.',
    );
    expect(posted).not.toContain('with a sidecar');
    expect(posted).not.toContain('approve_patch');
  });
});

describe("a worker's probes and metrics", () => {
  it("is alive but not ready while its cluster's API does not answer, and ready again once it does", async () => {
    expect(await (await fetch(`${harness.workerUrl}/readyz`)).json()).toMatchObject({ status: 'ok' });

    harness.kube.faults.add({ path: '/version', status: 503 });
    const down = await fetch(`${harness.workerUrl}/readyz`);
    const body = (await down.json()) as { status: string; detail: string };
    const alive = await fetch(`${harness.workerUrl}/healthz`);
    harness.kube.faults.clear();

    expect(down.status).toBe(503);
    expect(body.status).toBe('unavailable');
    expect(body.detail).toContain('Kubernetes API');
    expect(alive.status).toBe(200);
    expect((await fetch(`${harness.workerUrl}/readyz`)).status).toBe(200);
  });

  it('counts the diagnoses it ran, the calls they made, and the jobs running now', async () => {
    const metrics = await (await fetch(`${harness.workerUrl}/metrics`)).text();

    expect(metrics).toMatch(/^mesh_doctor_diagnoses_total\{cluster="fake",outcome="reported"\} [1-9]/m);
    expect(metrics).toMatch(
      /^mesh_doctor_api_call_duration_seconds_count\{cluster="fake",source="kubernetes",outcome="ok"\} [1-9]/m,
    );
    // Jobs of earlier tests may still run; once they end, none is counted as running.
    await eventually(
      'no job running',
      async () =>
        /^mesh_doctor_worker_active_jobs\{queue="diagnose"\} 0$/m.test(
          await (await fetch(`${harness.workerUrl}/metrics`)).text(),
        ) || undefined,
    );
  });
});
