import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Check, Finding, Report } from '../../src/diagnosis/evidence';
import { buildProgressBlocks, buildReportBlocks, buildRootText, PATCH_ACTIONS } from '../../src/report/blocks';
import type { SlackBlock } from '../../src/report/blocks';
import { diagnoseDir } from '../helpers/diagnose-dir';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const KNOWN_TYPES = new Set(['header', 'section', 'context', 'actions', 'divider']);

/** Every Block Kit rule the builders promise; returns what is wrong, empty when the blocks are valid. */
function validate(blocks: SlackBlock[], proposalIds: readonly string[] = []): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const text = (where: string, value: string, max: number) => {
    if (value.length === 0) fail(where, 'empty text');
    if (value.length > max) fail(where, `text of ${value.length} > ${max}`);
  };
  if (blocks.length > 50) fail('message', `${blocks.length} blocks`);
  const ids = blocks.flatMap((b) => (b.type !== 'divider' && b.block_id ? [b.block_id] : []));
  if (new Set(ids).size !== ids.length) fail('message', 'duplicate block_id');
  let total = 0;
  for (const [i, b] of blocks.entries()) {
    const where = `block ${i} (${b.type})`;
    if (!KNOWN_TYPES.has(b.type)) fail(where, 'unknown type');
    if (b.type === 'header') {
      if (b.text.type !== 'plain_text') fail(where, 'header text must be plain_text');
      text(where, b.text.text, 150);
      total += b.text.text.length;
    }
    if (b.type === 'section') {
      text(where, b.text.text, 3000);
      total += b.text.text.length;
    }
    if (b.type === 'context') {
      if (b.elements.length < 1 || b.elements.length > 10) fail(where, `${b.elements.length} elements`);
      for (const e of b.elements) {
        text(where, e.text, 3000);
        total += e.text.length;
      }
    }
    if (b.type === 'actions') {
      if (b.elements.length < 1 || b.elements.length > 25) fail(where, `${b.elements.length} elements`);
      for (const e of b.elements) {
        text(where, e.text.text, 75);
        total += e.text.text.length;
        if (e.value.length > 2000) fail(where, 'button value > 2000');
        if (!proposalIds.includes(e.value)) fail(where, `button value ${e.value.slice(0, 40)} is not a proposal id`);
        if (e.action_id !== PATCH_ACTIONS.approve && e.action_id !== PATCH_ACTIONS.reject) fail(where, 'action_id');
        if (!e.confirm) fail(where, 'a button that changes the cluster must ask for confirmation');
        else {
          text(where, e.confirm.title.text, 100);
          text(where, e.confirm.text.text, 300);
          text(where, e.confirm.confirm.text, 30);
          text(where, e.confirm.deny.text, 30);
        }
      }
    }
  }
  if (total > 12_000) fail('message', `${total} characters of text`);
  return problems;
}

function allText(blocks: SlackBlock[]): string {
  return JSON.stringify(blocks);
}

function finding(n: number, overrides: Partial<Finding> = {}): Finding {
  return {
    runbook: 'proxy-startup-econnrefused',
    title: `Problem number ${n}`,
    severity: 'critical',
    confidence: 0.9,
    resources: [{ kind: 'Deployment', namespace: 'shop', name: `cart-${n}` }],
    evidence: [
      {
        source: 'log',
        timestamp: '2024-05-14T09:11:52.710Z',
        text: `shop/cart-${n}: connect ECONNREFUSED 10.0.0.${n}:6379`,
      },
      { source: 'event', timestamp: null, text: 'Warning Unhealthy Readiness probe failed' },
    ],
    remediation: {
      steps: ['Add the annotation.', 'Restart the workload.'],
      patches: [
        {
          target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: `cart-${n}` },
          type: 'merge',
          patch: { spec: { template: { metadata: { annotations: { a: `${n}` } } } } },
        },
      ],
    },
    ...overrides,
  };
}

const okChecks: Check[] = [
  { id: 'proxy-startup-econnrefused', status: 'finding', detail: '1 finding' },
  { id: 'sidecar-not-injected', status: 'ok', detail: '8 pods checked' },
];

function report(findings: Finding[], checks: Check[] = okChecks): Report {
  return { target: { namespace: 'shop', workload: 'cart' }, findings, checks };
}

describe('buildReportBlocks on example snapshots', () => {
  it('renders the proxy-startup example with its evidence, steps, patch and buttons', async () => {
    const diagnosed = await diagnoseDir(join(EXAMPLES, 'proxy-startup-econnrefused'));
    const proposalIds = new Map([[0, 'prop-7f3a']]);

    const out = buildReportBlocks(diagnosed, {
      requestedBy: 'U123',
      target: 'shop/cart',
      proposalIds,
      approvalsEnabled: true,
    });

    expect(validate(out.blocks, ['prop-7f3a'])).toEqual([]);
    expect(out.blocks[0]).toMatchObject({ type: 'header', text: { text: ':rotating_light: 1 problem in shop/cart' } });
    expect(out.text).toBe('1 problem in shop/cart: Application connects before the sidecar is ready');
    expect(out.overflow).toBeNull();
    const text = allText(out.blocks);
    expect(text).toContain('Asked by <@U123>');
    expect(text).toContain(':red_circle: *Application connects before the sidecar is ready*');
    expect(text).toContain('runbook `proxy-startup-econnrefused` · confidence 0.90');
    expect(text).toContain('*Resources:* Deployment shop/cart');
    // A start-up race reads as a timeline: the sidecar started, the application failed 0.71 s later.
    expect(text).toContain(
      '*Timeline* from <!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14 09:11:52 UTC>',
    );
    expect(text.indexOf('+0.000 s    event  sidecar started')).toBeLessThan(
      text.indexOf('+0.710 s    log    first application error'),
    );
    // No raw nanosecond times in the steps: a date token with the UTC time to the millisecond as fallback.
    expect(text).toContain(
      'refused a connection at <!date^1715677912^{date_short_pretty} {time_secs}|2024-05-14 09:11:52.710 UTC>',
    );
    expect(text).not.toContain('09:11:52.710142951Z');
    expect(text).toContain('\\n1. In pod cart-pcvpnpffgp-q7xkz');
    expect(text).toContain(
      '• set pod template annotation proxy.istio.io/config: terminationDrainDuration=20s, holdApplicationUntilProxyStarts=true on Deployment shop/cart',
    );
    expect(text).toContain('kubectl -n shop patch deployment cart --type merge -p');
    // The full JSON is the proposal's: the report shows the summary and the command only.
    expect(text).not.toContain('\\n  \\"spec\\": {');
    const count = (status: string) => diagnosed.checks.filter((c) => c.status === status).length;
    expect(count('finding')).toBe(1);
    expect(count('ok')).toBeGreaterThan(10);
    const line = /Checks: [^"\\]*/.exec(text)?.[0] ?? '';
    expect(line.split(', ').sort()).toEqual(
      [`Checks: ${count('ok')} ok`, `${count('skipped')} skipped`, '1 finding'].sort(),
    );
    const actions = out.blocks.filter((b) => b.type === 'actions');
    expect(actions).toEqual([
      expect.objectContaining({
        elements: [
          expect.objectContaining({
            action_id: 'approve_patch',
            value: 'prop-7f3a',
            text: { type: 'plain_text', text: 'Approve' },
          }),
          expect.objectContaining({
            action_id: 'reject_patch',
            value: 'prop-7f3a',
            text: { type: 'plain_text', text: 'Reject' },
          }),
        ],
      }),
    ]);
  });

  it.each(readdirSync(EXAMPLES).sort())('renders example %s within the limits', async (name) => {
    const diagnosed = await diagnoseDir(join(EXAMPLES, name));
    const proposalIds = new Map(
      diagnosed.findings.flatMap((f, i) => (f.remediation.patches.length > 0 ? [[i, `p-${i}`] as const] : [])),
    );
    const ids = [...proposalIds.values()];

    const out = buildReportBlocks(diagnosed, { proposalIds, approvalsEnabled: true });

    expect(validate(out.blocks, ids)).toEqual([]);
    expect(out.blocks.filter((b) => b.type === 'actions')).toHaveLength(ids.length);
    expect(out.overflow).toBeNull();
  });

  it('says so when nothing was found', async () => {
    const diagnosed = await diagnoseDir(join(EXAMPLES, 'healthy-mesh'));

    const out = buildReportBlocks(diagnosed, { target: 'shop', approvalsEnabled: false });

    expect(out.blocks[0]).toMatchObject({ text: { text: ':white_check_mark: No problems found in shop' } });
    expect(out.text).toBe('No problems found in shop');
    expect(out.blocks.map((b) => b.type)).toEqual(['header', 'context', 'context']);
    expect(JSON.stringify(out.blocks[1])).toContain(
      'Mesh: Istio with istiod in the cluster. Data plane of the workloads: 6 pods with a sidecar.',
    );
  });
});

describe('buildReportBlocks limits', () => {
  it('cuts 40 findings with huge evidence to the limits and returns the whole report as overflow', () => {
    const huge = 'x'.repeat(20_000);
    const findings = Array.from({ length: 40 }, (_, i) =>
      finding(i, {
        title: `Problem number ${i} ${'t'.repeat(400)}`,
        evidence: Array.from({ length: 9 }, (_, k) => ({
          source: 'log' as const,
          timestamp: `2024-05-14T09:00:0${k}Z`,
          text: huge,
        })),
        resources: Array.from({ length: 30 }, (_, k) => ({ kind: 'Pod', namespace: 'shop', name: `cart-${i}-${k}` })),
      }),
    );
    const checks: Check[] = Array.from({ length: 30 }, (_, i) => ({
      id: `read:kind-${i}`,
      status: 'error',
      detail: huge,
    }));
    const proposalIds = new Map(findings.map((_, i) => [i, `id-${i}`]));

    const out = buildReportBlocks(report(findings, checks), { proposalIds, approvalsEnabled: true });

    expect(validate(out.blocks, [...proposalIds.values()])).toEqual([]);
    const shown = out.blocks.filter((b) => b.type === 'section' && b.block_id?.match(/^finding-\d+$/)).length;
    expect(shown).toBeGreaterThan(0);
    expect(allText(out.blocks)).toContain(`… ${40 - shown} more findings in the attached report`);
    expect(allText(out.blocks)).toContain('… 4 more evidence lines in the attached report');
    expect(allText(out.blocks)).toContain('… 22 more in the attached report');
    expect(out.overflow).not.toBeNull();
    for (let i = 0; i < 40; i += 1) expect(out.overflow).toContain(`${i + 1}. [CRITICAL] Problem number ${i} `);
    expect(out.overflow).toContain(huge);
  });

  it('shows a first finding that alone exceeds the message budget, squeezed', () => {
    const big = finding(0, {
      evidence: [{ source: 'log', timestamp: null, text: 'e'.repeat(9000) }],
      remediation: {
        steps: ['s'.repeat(9000)],
        patches: [
          {
            target: { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'shop' },
            type: 'merge',
            patch: { v: 'p'.repeat(9000) },
          },
        ],
      },
    });

    const out = buildReportBlocks(report([big]), { proposalIds: new Map([[0, 'only']]), approvalsEnabled: true });

    expect(validate(out.blocks, ['only'])).toEqual([]);
    expect(out.blocks.some((b) => b.type === 'section' && b.block_id === 'finding-0')).toBe(true);
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(true);
    expect(allText(out.blocks)).toContain('Fix mesh-doctor can apply');
    expect(out.overflow).toContain('p'.repeat(9000));
    expect(out.overflow).toContain('e'.repeat(9000));
  });

  it('cuts a long header and leaves out a button whose id is too long for Slack', () => {
    const out = buildReportBlocks(report([finding(1)]), {
      target: `ns/${'w'.repeat(300)}`,
      proposalIds: new Map([[0, 'i'.repeat(2001)]]),
      approvalsEnabled: true,
    });

    expect(validate(out.blocks)).toEqual([]);
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});

describe('buildReportBlocks content', () => {
  it('never shows a secret planted anywhere in the report', () => {
    const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJmYWtlLXVzZXIifQ', 'ZmFrZS1zaWduYXR1cmUtZmFrZQ'].join('.');
    const slack = ['xox', 'p-1234567890-FAKEfakeFAKEfake'].join('');
    const secrets = [jwt, slack, 'hunter2', 's3cr3tPa55', 'MIIEvFAKEPRIVATEKEYBODY'];
    const planted = finding(1, {
      title: `Token ${slack} leaked`,
      evidence: [
        { source: 'log', timestamp: '2024-05-14T09:00:00Z', text: `Authorization: Bearer ${jwt}` },
        { source: 'log', timestamp: '2024-05-14T09:00:01Z', text: 'dial postgres://app:hunter2@db:5432' },
        {
          source: 'object',
          timestamp: null,
          text: '-----BEGIN PRIVATE KEY-----\nMIIEvFAKEPRIVATEKEYBODY\n-----END PRIVATE KEY-----',
        },
      ],
      remediation: {
        steps: ['Rotate password=s3cr3tPa55 now.'],
        patches: [
          {
            target: { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' },
            type: 'merge',
            patch: { stringData: { password: 's3cr3tPa55' } },
          },
        ],
      },
    });
    const checks: Check[] = [{ id: 'read:logs', status: 'error', detail: `GET ?access_token=${slack} failed` }];

    const out = buildReportBlocks(report([planted], checks), {
      target: `shop/cart?token=hunter2`,
      requestedBy: 'U123',
      proposalIds: new Map([[0, 'p1']]),
      approvalsEnabled: true,
    });
    const overflowed = buildReportBlocks(
      report(
        Array.from({ length: 20 }, () => planted),
        checks,
      ),
      { approvalsEnabled: true },
    );

    for (const output of [JSON.stringify(out), JSON.stringify(overflowed)]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).toContain('[REDACTED]');
    }
    expect(overflowed.overflow).not.toBeNull();
  });

  it('shows buttons when approvals are not configured, with a note', () => {
    const input = report([finding(1)]);
    const proposalIds = new Map([[0, 'p1']]);

    const disabled = buildReportBlocks(input, { proposalIds, approvalsEnabled: false });
    const enabled = buildReportBlocks(input, { proposalIds, approvalsEnabled: true });

    expect(disabled.blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
    expect(allText(disabled.blocks)).toContain('Patch approvals are not configured here');
    expect(allText(enabled.blocks)).not.toContain('Patch approvals are not configured');
  });

  it('shows patches without buttons when no proposal ids were given', () => {
    const out = buildReportBlocks(report([finding(1)]), { approvalsEnabled: true });

    expect(allText(out.blocks)).toContain('*Fix mesh-doctor can apply* (1 step, after approval)');
    expect(allText(out.blocks)).toContain('on Deployment shop/cart-1');
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('lists the checks that could not run and warns at the top', () => {
    const checks: Check[] = [
      ...okChecks,
      { id: 'read:pods', status: 'error', detail: 'forbidden: grant list pods in shop' },
      { id: 'read:envoyfilters', status: 'skipped', detail: 'CRD not installed' },
    ];

    const out = buildReportBlocks(report([], checks), { approvalsEnabled: true });

    const text = allText(out.blocks);
    expect(text).toContain(':warning: 1 check could not run; this covers only what could be read.');
    expect(text).toContain('Checks: 1 finding, 1 ok, 1 error, 1 skipped');
    expect(text).toContain('• `error` read:pods: forbidden: grant list pods in shop');
    expect(text).toContain('• `skipped` read:envoyfilters: CRD not installed');
  });

  it('escapes mrkdwn control characters so evidence cannot mention or link', () => {
    const out = buildReportBlocks(
      report([
        finding(1, { evidence: [{ source: 'log', timestamp: null, text: '<!channel> a & b <http://x|y> ```' }] }),
      ]),
      { approvalsEnabled: true },
    );

    const text = allText(out.blocks);
    expect(text).toContain('&lt;!channel&gt; a &amp; b &lt;http://x|y&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('is deterministic', () => {
    const input = report(Array.from({ length: 12 }, (_, i) => finding(i)));
    const options = { proposalIds: new Map([[3, 'a']]), approvalsEnabled: true, requestedBy: 'U1' };

    const first = buildReportBlocks(input, options);
    const second = buildReportBlocks(structuredClone(input), options);

    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe('progress and root messages', () => {
  it('builds the progress context and the root text', () => {
    const progress = buildProgressBlocks('Reading <logs> token=abc123');
    const root = buildRootText('shop/cart', 'U123');
    const fromAlert = buildRootText('shop', 'Alertmanager <alerts>');

    expect(progress).toEqual([
      {
        type: 'context',
        block_id: 'progress',
        elements: [{ type: 'mrkdwn', text: ':hourglass_flowing_sand: Reading &lt;logs&gt; token=[REDACTED]' }],
      },
    ]);
    expect(root).toBe('Diagnosing shop/cart, asked by <@U123>');
    expect(fromAlert).toBe('Diagnosing shop, asked by Alertmanager &lt;alerts&gt;');
  });
});
