import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { LogMatcher } from '../../src/collect/log-matcher';
import { closestNames, editDistance } from '../../src/diagnosis/target';
import type { Inventory } from '../../src/pipeline/inventory';
import { inventoryOf } from '../../src/pipeline/inventory';
import { INVENTORY_FRESH_MS, missingTargetAnswer } from '../../src/pipeline/target-check';

const NOW = Date.parse('2026-03-02T10:00:00Z');

function inventory(namespaces: string[] | null, workloads: Record<string, string[]> = {}, ageMs = 0): Inventory {
  const atMs = NOW - ageMs;
  return {
    namespaces: namespaces ? { names: namespaces, atMs } : null,
    workloads: async (ns) => (workloads[ns] ? { names: workloads[ns], atMs } : null),
  };
}

describe('near names', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('shpo', 'shop')).toBe(1);
    expect(editDistance('cart', 'cart')).toBe(0);
    expect(editDistance('cart', 'checkout')).toBeGreaterThan(3);
    expect(closestNames('shpo', ['shop', 'payments', 'istio-system'])).toEqual(['shop']);
  });
});

describe('answering a target the latest read did not show', () => {
  it('refuses a missing namespace or workload only on a fresh read', async () => {
    const fresh = inventory(['payments', 'shop'], { shop: ['cart', 'frontend'] });
    const old = inventory(['payments', 'shop'], { shop: ['cart'] }, INVENTORY_FRESH_MS + 1);

    expect(await missingTargetAnswer({ namespace: 'shop', workload: 'cart' }, fresh, NOW)).toBeNull();
    expect(await missingTargetAnswer({ namespace: 'shpo', workload: null }, fresh, NOW)).toMatch(
      /^As read less than a minute ago: namespace "shpo" does not exist; did you mean shop\? .* Nothing was queued\.$/,
    );
    expect(await missingTargetAnswer({ namespace: 'shop', workload: 'kart' }, fresh, NOW)).toMatch(
      /did you mean cart\?/,
    );
    expect(await missingTargetAnswer({ namespace: 'shpo', workload: null }, old, NOW)).toBeNull();
    expect(await missingTargetAnswer({ namespace: 'shop', workload: 'kart' }, old, NOW)).toBeNull();
  });

  it('claims nothing without a namespace list or with no workloads read for the namespace', async () => {
    expect(await missingTargetAnswer({ namespace: 'shpo', workload: null }, inventory(null), NOW)).toBeNull();
    expect(await missingTargetAnswer({ namespace: 'shop', workload: 'kart' }, inventory(['shop']), NOW)).toBeNull();
    expect(await missingTargetAnswer({ namespace: null, workload: null }, inventory([]), NOW)).toBeNull();
  });

  it('lists some names when none is near', async () => {
    const answer = await missingTargetAnswer({ namespace: 'zzz', workload: null }, inventory(['a1', 'b2']), NOW);

    expect(answer).toContain('does not exist (namespaces: a1, b2)');
  });
});

describe('what a read shows to exist', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'shop', name: 'cart' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop', name: 'debug-shell' } },
  ];
  const evidenceOf = (kinds: string[]) => {
    const builder = new EvidenceBuilder(new LogMatcher([]));
    for (const o of objects.filter((x) => kinds.includes(x.kind))) builder.addObject(o);
    for (const kind of kinds) builder.markCaptured(kind);
    return builder.build();
  };

  it('records every namespace, and the workloads of the namespaces read', () => {
    const update = inventoryOf(evidenceOf(['Namespace', 'Deployment', 'Pod']), { namespace: 'shop', workload: null });

    expect(update.namespaces).toEqual(['payments', 'shop']);
    expect([...update.workloads]).toEqual([['shop', ['cart', 'debug-shell']]]);
  });

  it('records an empty namespace as empty after a cluster-wide read, and nothing it did not read', () => {
    const all = inventoryOf(evidenceOf(['Namespace', 'Deployment', 'Pod']), { namespace: null, workload: null });
    const noPods = inventoryOf(evidenceOf(['Namespace', 'Deployment']), { namespace: 'shop', workload: null });
    const nothing = inventoryOf(evidenceOf([]), { namespace: 'shop', workload: null });

    expect(all.workloads.get('payments')).toEqual([]);
    expect(noPods.workloads.size).toBe(0);
    expect(nothing).toEqual({ namespaces: null, workloads: new Map() });
  });
});
