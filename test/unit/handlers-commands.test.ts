import { patchButton } from '../../handlers/actions/patch-buttons';
import { auditCommand } from '../../handlers/commands/audit';
import { diagnoseCommand } from '../../handlers/commands/diagnose';
import { helpCommand } from '../../handlers/commands/help';
import { meshCommand } from '../../handlers/commands/mesh';
import { runbookCommand } from '../../handlers/commands/runbook';
import { statusCommand } from '../../handlers/commands/status';
import { withDeadline } from '../../src/util/deadline';
import type { ApprovalDeps } from '../../src/bot/handler-deps';
import type { Trace } from '../helpers/bolt-args';
import { buttonArgs, commandArgs, commandAsk, memoryHandlerDeps } from '../helpers/bolt-args';

describe('/mesh sub-command callbacks', () => {
  it('diagnose: queues the target with a root text naming it and the asker', async () => {
    const trace: Trace = [];
    const { deps, asks } = memoryHandlerDeps(trace);
    await diagnoseCommand(
      commandAsk('diagnose shop/cart', trace),
      { kind: 'diagnose', cluster: null, namespace: 'shop', workload: 'cart' },
      deps,
    );
    expect(asks).toEqual([
      {
        target: { namespace: 'shop', workload: 'cart' },
        language: 'en',
        scope: 'all',
        requestedBy: 'U0SRE00001',
        team: 'T0FAKE0001',
        channel: 'C0INCIDENT',
        requestKey: 'slash:trigger-1',
        rootText: 'Diagnosing shop/cart, asked by <@U0SRE00001>',
      },
    ]);
    expect(trace).toEqual([]);
  });

  it('diagnose: a namespace the latest read did not show is answered with the near names; nothing is queued', async () => {
    const trace: Trace = [];
    const { deps, asks } = memoryHandlerDeps(trace, {
      inventory: { namespaces: ['istio-system', 'payments', 'shop'], ageMs: 4 * 60_000 },
    });
    await diagnoseCommand(
      commandAsk('diagnose shpo', trace),
      { kind: 'diagnose', cluster: null, namespace: 'shpo', workload: null },
      deps,
    );
    expect(asks).toEqual([]);
    expect(trace).toEqual([
      'respond: :grey_question: As read 4 min ago: namespace "shpo" does not exist; did you mean shop? (namespaces: istio-system, payments, shop). Nothing was queued.',
    ]);
  });

  it('diagnose: a workload missing from its namespace is answered; an old or absent read queues as usual', async () => {
    const trace: Trace = [];
    const inventory = { namespaces: ['shop'], workloads: { shop: ['cart', 'checkout', 'frontend'] } };
    const { deps, asks } = memoryHandlerDeps(trace, { inventory });
    const parsed = { kind: 'diagnose', cluster: null, namespace: 'shop', workload: 'carts' } as const;
    await diagnoseCommand(commandAsk('diagnose shop/carts', trace), parsed, deps);
    const stale = memoryHandlerDeps(trace, { inventory: { ...inventory, ageMs: 31 * 60_000 } });
    await diagnoseCommand(commandAsk('diagnose shop/carts', trace, { trigger_id: 't-2' }), parsed, stale.deps);
    const none = memoryHandlerDeps(trace);
    await diagnoseCommand(commandAsk('diagnose shop/carts', trace, { trigger_id: 't-3' }), parsed, none.deps);

    expect(asks).toEqual([]);
    expect(trace).toEqual([
      'respond: :grey_question: As read less than a minute ago: workload "carts" does not exist in namespace "shop"; did you mean cart? (workloads: cart, checkout, frontend). Nothing was queued.',
    ]);
    expect([...stale.asks, ...none.asks].map((a) => a.target)).toEqual([
      { namespace: 'shop', workload: 'carts' },
      { namespace: 'shop', workload: 'carts' },
    ]);
  });

  it('injection, webhooks and config narrow the scope; the webhooks check has no namespace', async () => {
    const trace: Trace = [];
    const { deps, asks } = memoryHandlerDeps(trace);
    await diagnoseCommand(
      commandAsk('injection shop', trace, { trigger_id: 't-inj' }),
      { kind: 'injection', cluster: null, namespace: 'shop' },
      deps,
    );
    await diagnoseCommand(
      commandAsk('webhooks', trace, { trigger_id: 't-wh' }),
      { kind: 'webhooks', cluster: null },
      deps,
    );
    await diagnoseCommand(
      commandAsk('config shop', trace, { trigger_id: 't-cfg' }),
      { kind: 'config', cluster: null, namespace: 'shop' },
      deps,
    );
    expect(asks.map((a) => [a.scope, a.target, a.rootText])).toEqual([
      [
        'injection',
        { namespace: 'shop', workload: null },
        'Diagnosing sidecar injection in shop, asked by <@U0SRE00001>',
      ],
      ['webhooks', { namespace: null, workload: null }, 'Diagnosing the mesh webhooks, asked by <@U0SRE00001>'],
      [
        'config',
        { namespace: 'shop', workload: null },
        'Diagnosing the mesh configuration of shop, asked by <@U0SRE00001>',
      ],
    ]);
  });

  it('a redelivered diagnose (same trigger id) is logged as a duplicate', async () => {
    const trace: Trace = [];
    const { deps } = memoryHandlerDeps(trace);
    const parsed = { kind: 'diagnose', cluster: null, namespace: 'shop', workload: null } as const;
    await diagnoseCommand(commandAsk('diagnose shop', trace), parsed, deps);
    await diagnoseCommand(commandAsk('diagnose shop', trace), parsed, deps);
    expect(trace).toEqual(['log.info: duplicate request ignored']);
  });

  it('runbook: the best match for a symptom, or a hint when nothing matches', async () => {
    const trace: Trace = [];
    const { deps } = memoryHandlerDeps(trace);
    await runbookCommand(commandAsk('runbook 503', trace), { kind: 'runbook', query: '503 upstream reset' }, deps);
    await runbookCommand(commandAsk('runbook zzz', trace), { kind: 'runbook', query: 'qwxzv' }, deps);
    expect(trace[0]).toContain('`upstream-reset-503`');
    expect(trace[1]).toBe('respond: No runbook matches "qwxzv". Try `/mesh runbook 503` or `/mesh runbook webhook`.');
  });

  it('status: queue counts, workers and recent failures', async () => {
    const trace: Trace = [];
    const { deps } = memoryHandlerDeps(trace, {
      status: { waiting: 3, active: 1, delayed: 2, failed: 4, workers: 2, recentFailures: ['shop/cart: timeout'] },
    });
    await statusCommand(commandAsk('status', trace), { kind: 'status' }, deps);
    expect(trace).toEqual([
      'respond: Queue: 3 waiting, 1 running, 2 delayed, 4 failed. Workers: 2.\nRecent failures:\n• shop/cart: timeout',
    ]);
  });

  it('audit: says when approvals are off, lists entries when on', async () => {
    const trace: Trace = [];
    const approvals: ApprovalDeps = {
      click: async () => null,
      latest: async (n) =>
        [
          {
            at: '2024-05-14T10:00:00.000Z',
            action: 'approved' as const,
            proposal: 'abcdefghijklmnop',
            actor: 'U0LEAD0001',
            target: 'Deployment shop/cart',
            detail: 'apply queued',
          },
        ].slice(0, n),
    };
    await auditCommand(commandAsk('audit', trace), { kind: 'audit', count: 5 }, memoryHandlerDeps(trace).deps);
    await auditCommand(
      commandAsk('audit', trace),
      { kind: 'audit', count: 5 },
      memoryHandlerDeps(trace, { approvals }).deps,
    );
    expect(trace[0]).toBe('respond: Approvals are not configured (MESH_APPROVERS), so there is no audit trail.');
    expect(trace[1]).toBe(
      'respond: *Latest 1 audit entries*\n• `2024-05-14T10:00:00.000Z` *approved* Deployment shop/cart by <@U0LEAD0001> (proposal `abcdefgh`): apply queued',
    );
  });

  it('help and usage: the usage, with what was wrong first', async () => {
    const trace: Trace = [];
    await helpCommand(commandAsk('frobnicate', trace), { kind: 'usage', problem: 'unknown sub-command `frobnicate`' });
    expect(trace[0]).toMatch(/^respond: :warning: unknown sub-command `frobnicate`\.\n\*Usage\*/);
    expect(trace[0]).toContain('Example: `/mesh diagnose shop/cart`');
  });
});

describe('/mesh', () => {
  it('acknowledges before any follow-up runs, then runs the parsed sub-command', async () => {
    const trace: Trace = [];
    const { deps, asks, drain } = memoryHandlerDeps(trace);
    await meshCommand(deps)(commandArgs('shop/cart', trace));
    expect(trace).toEqual(['ack']);
    expect(asks).toEqual([]);
    await drain();
    expect(asks.map((a) => a.target)).toEqual([{ namespace: 'shop', workload: 'cart' }]);
  });

  it('bad text gets the usage, and nothing is queued', async () => {
    const trace: Trace = [];
    const { deps, asks, drain } = memoryHandlerDeps(trace);
    await meshCommand(deps)(commandArgs('diagnose Shop!', trace));
    await drain();
    expect(asks).toEqual([]);
    expect(trace[1]).toContain('is not a valid namespace name');
  });

  it('a failing follow-up is logged and answered; a full backlog is answered busy', async () => {
    const trace: Trace = [];
    const failing = memoryHandlerDeps(trace);
    failing.deps.status = async () => {
      throw new Error('redis down');
    };
    await meshCommand(failing.deps)(commandArgs('status', trace));
    await failing.drain();
    expect(trace).toEqual([
      'ack',
      'log.error: mesh command failed',
      'respond: :x: mesh-doctor could not queue this request; try again in a minute.',
    ]);
    const busyTrace: Trace = [];
    const busy = memoryHandlerDeps(busyTrace, { backlogFull: true });
    await meshCommand(busy.deps)(commandArgs('shop/cart', busyTrace));
    expect(busy.asks).toEqual([]);
    expect(busyTrace).toEqual([
      'ack',
      'log.warn: mesh command refused: follow-up backlog full',
      'respond: :hourglass: mesh-doctor is handling a burst of requests; nothing was queued. Try again in a minute.',
    ]);
  });
});

describe('/mesh while Redis is unavailable', () => {
  it('help, usage and runbook search answer at once, without a follow-up slot', async () => {
    for (const text of ['help', 'diagnose Shop!', 'runbook 503']) {
      const trace: Trace = [];
      const { deps } = memoryHandlerDeps(trace, { redisDown: true, backlogFull: true });
      await meshCommand(deps)(commandArgs(text, trace));
      expect(trace[0]).toBe('ack');
      expect(trace[1]).toMatch(/^respond: /);
      expect(trace[1]).not.toContain('Redis');
    }
  });

  it('status and diagnose are answered "Redis is unavailable" at once, and nothing is queued', async () => {
    for (const text of ['status', 'shop/cart']) {
      const trace: Trace = [];
      const { deps, asks, drain } = memoryHandlerDeps(trace, { redisDown: true });
      await meshCommand(deps)(commandArgs(text, trace));
      await drain();
      expect(asks).toEqual([]);
      expect(trace).toEqual([
        'ack',
        'log.warn: mesh command refused: Redis unavailable',
        'respond: :warning: Redis is unavailable; try again in a minute. Nothing was queued.',
      ]);
    }
  });

  it('a Redis call past its deadline is answered "unavailable", not "failed"', async () => {
    const trace: Trace = [];
    const { deps, drain } = memoryHandlerDeps(trace);
    deps.status = () => withDeadline('Redis (reading the queue)', 10, new Promise<never>(() => undefined));
    await meshCommand(deps)(commandArgs('status', trace));
    await drain();
    expect(trace.at(-1)).toBe('respond: :warning: Redis is unavailable; try again in a minute. Nothing was queued.');
  });
});

describe('patch buttons', () => {
  it('without approvals, the clicker is told so and nothing else happens', async () => {
    const trace: Trace = [];
    const { deps, drain } = memoryHandlerDeps(trace);
    await patchButton('approve', deps)(buttonArgs('approve_patch', 'p_0123456789abcdef', 'U0LEAD0001', trace));
    await drain();
    expect(trace).toEqual([
      'ack',
      'log.info: patch button clicked',
      'respond: Approvals are not configured: no patch is applied. Apply the proposed patch by hand, or set MESH_APPROVERS.',
    ]);
  });

  it('with approvals, the click goes to the approval workflow and its refusal is answered', async () => {
    const trace: Trace = [];
    const clicks: string[] = [];
    const approvals: ApprovalDeps = {
      click: async (action, id, user) => {
        clicks.push(`${action} ${id} ${user}`);
        return ':no_entry: You are not an approver';
      },
      latest: async () => [],
    };
    const { deps, drain } = memoryHandlerDeps(trace, { approvals });
    await patchButton('rollback', deps)(buttonArgs('rollback_patch', 'p_0123456789abcdef', 'U0VISITOR1', trace));
    expect(clicks).toEqual([]);
    await drain();
    expect(clicks).toEqual(['rollback p_0123456789abcdef U0VISITOR1']);
    expect(trace.at(-1)).toBe('respond: :no_entry: You are not an approver');
  });

  it('while Redis is unavailable, a click is answered at once and nothing is recorded', async () => {
    const trace: Trace = [];
    const clicks: string[] = [];
    const approvals: ApprovalDeps = {
      click: async (action) => {
        clicks.push(action);
        return null;
      },
      latest: async () => [],
    };
    const { deps, drain } = memoryHandlerDeps(trace, { approvals, redisDown: true });
    await patchButton('approve', deps)(buttonArgs('approve_patch', 'p_0123456789abcdef', 'U0LEAD0001', trace));
    await drain();
    expect(clicks).toEqual([]);
    expect(trace.at(-1)).toBe(
      'respond: :warning: Redis is unavailable, so this click cannot be recorded; nothing was changed. Try again in a minute.',
    );
  });
});
