import { remediationPipeline } from '../../src/pipeline/remediate';
import type { AuditEntry, AuditLog } from '../../src/remediation/audit';
import type { ObjectAccess } from '../../src/remediation/object-access';
import type { Proposal, ProposalSpec } from '../../src/remediation/proposal';
import { canMove } from '../../src/remediation/proposal';
import type { ProposalStore } from '../../src/remediation/proposal-store';
import { memoryPosted, memorySlack } from './memory-ports';

/** The clock of the in-memory stores. */
export const NOW = Date.parse('2025-06-01T12:00:00.000Z');
export const ID = 'p_0123456789abcdef';
export const REQUESTER = 'U0REQUESTER';

/** A proposal to patch shop/cart's proxy.istio.io/config annotation, as a diagnosis makes it. */
export function spec(overrides: Partial<ProposalSpec> = {}): ProposalSpec {
  return {
    id: ID,
    runbook: 'proxy-startup-econnrefused',
    title: 'App starts before the Envoy sidecar is ready',
    patch: {
      target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' },
      type: 'merge',
      patch: {
        spec: {
          template: {
            metadata: { annotations: { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}' } },
          },
        },
      },
    },
    resourceVersion: '48213',
    diagnosisTarget: { namespace: 'shop', workload: 'cart' },
    requester: REQUESTER,
    channel: 'C0INCIDENTS',
    threadTs: '1748779200.000100',
    createdAt: new Date(NOW - 5 * 60_000).toISOString(),
    expiresAt: new Date(NOW + 25 * 60_000).toISOString(),
    ...overrides,
  };
}

/** The Redis store's semantics in memory: compare-and-set moves, refused transitions throw. */
export function memoryProposalStore(): ProposalStore & {
  put(p: Proposal): void;
  drop(id: string): void;
  moves: string[];
} {
  const rows = new Map<string, Proposal>();
  const moves: string[] = [];
  return {
    moves,
    put(p) {
      rows.set(p.id, structuredClone(p));
    },
    drop(id) {
      rows.delete(id);
    },
    async create(s) {
      if (rows.has(s.id)) throw new Error(`proposal ${s.id} exists already`);
      rows.set(s.id, { ...structuredClone(s), state: 'proposed' });
    },
    async get(id) {
      const p = rows.get(id);
      return p ? structuredClone(p) : null;
    },
    async note(id, fields) {
      const p = rows.get(id);
      if (p) rows.set(id, { ...p, ...fields, state: p.state });
      return p !== undefined;
    },
    async move(id, from, to, fields = {}) {
      if (!canMove(from, to)) throw new Error(`a proposal cannot go from ${from} to ${to}`);
      const p = rows.get(id);
      if (!p || p.state !== from) return false;
      rows.set(id, { ...p, ...fields, state: to, updatedAt: new Date(NOW).toISOString() });
      moves.push(`${from}->${to}`);
      return true;
    },
  };
}

export function memoryAuditLog(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async record(entry) {
      entries.push({ at: new Date(NOW).toISOString(), ...entry });
    },
    async latest(n) {
      return [...entries].reverse().slice(0, n);
    },
  };
}

/**
 * The remediation pipeline over in-memory stores and Slack, changing `objects`; every re-diagnosis says
 * fixed, rollouts are not waited for.
 */
export function memoryRemediation(objects: ObjectAccess, cluster?: string) {
  const proposals = memoryProposalStore();
  const audit = memoryAuditLog();
  const slack = memorySlack();
  const run = remediationPipeline({
    proposals,
    audit,
    objects,
    slack,
    posted: memoryPosted(),
    keyPrefix: '{t}',
    verify: async () => ({ fixed: true, summary: 'No problems found now.' }),
    rollout: { timeoutMs: 0, pollMs: 1 },
    namespaces: { deny: ['kube-system', 'shop-frozen'], controlPlane: ['istio-system'] },
    ...(cluster ? { cluster } : {}),
  });
  return { run, proposals, audit, slack };
}
