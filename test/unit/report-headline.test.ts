import type { Check, Report } from '../../src/diagnosis/evidence';
import { buildReportBlocks } from '../../src/report/blocks';
import { renderJson } from '../../src/report/json';
import { renderText } from '../../src/report/text';

const TARGET = { namespace: 'shop', workload: 'cart' };

function failed(id: string, detail = 'pods is forbidden: User "system:serviceaccount:mesh:doctor" cannot list'): Check {
  return { id, status: 'error', detail };
}

function ok(id: string): Check {
  return { id, status: 'ok', detail: '12 objects' };
}

function report(checks: Check[]): Report {
  return { target: TARGET, findings: [], checks };
}

/** The Slack header, its notification text, and the text report's first line. */
function headlines(r: Report): { header: string; notification: string; text: string } {
  const blocks = buildReportBlocks(r, { approvalsEnabled: true });
  const header = blocks.blocks[0];
  return {
    header: header?.type === 'header' ? header.text.text : '',
    notification: blocks.text,
    text: renderText(r).split('\n')[0] ?? '',
  };
}

describe('the headline of a report with nothing found', () => {
  it('says the target does not exist instead of "no problems" about it', () => {
    const r = report([
      ok('read:pods'),
      failed('target', 'workload "carts" does not exist in namespace shop; did you mean cart?'),
    ]);

    expect(headlines(r)).toEqual({
      header: ':grey_question: Workload "carts" does not exist in namespace shop; did you mean cart?',
      notification: 'Workload "carts" does not exist in namespace shop; did you mean cart?',
      text: 'mesh-doctor: Workload "carts" does not exist in namespace shop; did you mean cart?',
    });
  });

  it('says the cluster could not be read when every read failed (403s, timeouts), naming a few checks', () => {
    const r = report([
      failed('read:pods'),
      failed('read:events', 'context deadline exceeded'),
      failed('read:services'),
      failed('read:cloud-logging', 'PERMISSION_DENIED'),
      { id: 'sidecar-not-injected', status: 'ok', detail: '0 pods checked' },
    ]);

    const out = headlines(r);

    const verdict = 'Could not read the cluster: 4 checks failed (read:pods, read:events, read:services, +1 more)';
    expect(out).toEqual({ header: `:x: ${verdict}`, notification: verdict, text: `mesh-doctor: ${verdict}` });
    expect(JSON.stringify(out)).not.toMatch(/no problems found/i);
  });

  it('says the all-clear covers only what could be read when some reads worked', () => {
    const r = report([ok('read:pods'), failed('read:events'), failed('read:cloud-logging')]);

    const out = headlines(r);

    const verdict = 'No problems found in what could be read of shop/cart; 2 checks could not run';
    expect(out).toEqual({ header: `:warning: ${verdict}`, notification: verdict, text: `mesh-doctor: ${verdict}` });
  });

  it('says the same when only a detector failed', () => {
    const r = report([ok('read:pods'), failed('upstream-reset-503', 'detector failed: boom')]);

    expect(headlines(r).text).toBe(
      'mesh-doctor: No problems found in what could be read of shop/cart; 1 check could not run',
    );
  });

  it('gives a plain all-clear only when every check ran', () => {
    const r = report([ok('read:pods'), { id: 'read:envoyfilters', status: 'skipped', detail: 'CRD not installed' }]);

    expect(headlines(r)).toEqual({
      header: ':white_check_mark: No problems found in shop/cart',
      notification: 'No problems found in shop/cart',
      text: 'mesh-doctor: No problems found in shop/cart',
    });
  });

  it('keeps the JSON report shape: the failed checks are in checks, nothing is added', () => {
    const r = report([failed('read:pods')]);

    const json = JSON.parse(renderJson(r));

    expect(Object.keys(json)).toEqual(['target', 'language', 'findings', 'checks']);
    expect(json.findings).toEqual([]);
    expect(json.checks).toEqual([{ id: 'read:pods', status: 'error', detail: expect.any(String) }]);
  });
});
