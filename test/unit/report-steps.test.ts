import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillStepNames } from '../../src/diagnosis/step-names';
import { diagnoseDir } from '../helpers/diagnose-dir';

const ROOT = join(__dirname, '..', '..');
const DIRS = [
  ...readdirSync(join(ROOT, 'examples')).map((d) => join(ROOT, 'examples', d)),
  ...readdirSync(join(ROOT, 'test', 'fixtures', 'near-miss')).map((d) =>
    join(ROOT, 'test', 'fixtures', 'near-miss', d),
  ),
];

/** The placeholders runbook steps use. */
const PLACEHOLDER =
  /\b(NAMESPACE|NAME|REVISION|OLD_REVISION|POD|GATEWAY|SERVICE_ACCOUNT|WORKLOAD|DEPLOYMENT|CONTAINER|NODE|KEY)\b/g;

/**
 * Placeholders left on purpose, per runbook: the value is the operator's choice or not in the evidence.
 */
const UNKNOWABLE: Record<string, { tokens: string[]; why: string }> = {
  'authz-policy-mismatch': {
    tokens: ['GATEWAY', 'NAMESPACE', 'SERVICE_ACCOUNT'],
    why: 'the callers and the gateway the policy should name are what the operator must decide',
  },
  'injector-webhook-invalid': {
    tokens: ['OLD_REVISION', 'NAME', 'REVISION'],
    why: 'which revision to keep and which injector to remove is the operator’s choice',
  },
  'istiod-apiserver-connection': { tokens: ['REVISION'], why: 'only the alternative for a revisioned install' },
  'namespace-injection-label-conflict': {
    tokens: ['REVISION'],
    why: 'which control plane should inject is the decision the step asks for',
  },
  'sidecar-not-injected': { tokens: ['REVISION'], why: 'the alternative for several revisions when one is proposed' },
  'sidecar-version-skew': { tokens: ['REVISION'], why: 'which installed revision to move to is the operator’s choice' },
  'waypoint-binding-rejected': { tokens: ['NAME'], why: 'the name of a waypoint to create' },
  'xds-config-rejected': { tokens: ['POD'], why: 'any one of the pods whose proxy rejected the configuration' },
  'ztunnel-certificate-failed': {
    tokens: ['REVISION'],
    why: 'the revision form of the istiod address, as an alternative',
  },
  'injector-cabundle-missing': { tokens: ['REVISION'], why: 'several istiod revisions may be installed' },
  'webhook-x509-unknown-authority': { tokens: ['REVISION'], why: 'several istiod revisions may be installed' },
  'webhook-service-not-found': {
    tokens: ['OLD_REVISION'],
    why: 'a revision no longer installed, in an example command',
  },
  'webhook-stale-configuration': {
    tokens: ['OLD_REVISION'],
    why: 'a revision no longer installed, in an example command',
  },
  'webhook-tag-service-not-found': {
    tokens: ['OLD_REVISION'],
    why: 'a revision no longer installed, in an example command',
  },
};

describe('runbook steps as a report shows them', () => {
  it.each(DIRS.map((d) => [d.slice(ROOT.length + 1), d]))(
    '%s: names filled in, no repeated step, durations for people',
    async (_name, dir) => {
      const report = await diagnoseDir(dir);
      for (const f of report.findings) {
        const allowed = new Set(UNKNOWABLE[f.runbook]?.tokens ?? []);
        const left = f.remediation.steps.flatMap((s) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
        expect({ runbook: f.runbook, left: left.filter((t) => !allowed.has(t)) }).toEqual({
          runbook: f.runbook,
          left: [],
        });
        const normal = f.remediation.steps.map((s) => s.replace(/\d+/g, 'N').replace(/\s+/g, ' ').trim().toLowerCase());
        expect(new Set(normal).size).toBe(normal.length);
        for (const s of f.remediation.steps) expect(s).not.toMatch(/\b\d{3,}h\d{2}m\b|\b\d+m\d{2}s\b/);
      }
    },
  );
});

describe('filling step names', () => {
  const deployment = { kind: 'Deployment', namespace: 'shop', name: 'cart' };

  it('fills the namespace, the workload and the restart commands it knows', () => {
    expect(
      fillStepNames(
        [
          'Restart it: kubectl -n NAMESPACE rollout restart deployment/NAME (statefulset/NAME, daemonset/NAME).',
          'Check NAME in NAMESPACE.',
        ],
        { resources: [deployment, { kind: 'StatefulSet', namespace: 'shop', name: 'db' }], patches: [] },
      ),
    ).toEqual([
      'Restart it: kubectl -n shop rollout restart deployment/cart; kubectl -n shop rollout restart statefulset/db.',
      'Check NAME in shop.',
    ]);
  });

  it('leaves a placeholder whose value is ambiguous, and takes the revision a patch moves to', () => {
    const steps = ['kubectl label namespace NAMESPACE istio.io/rev=REVISION --overwrite'];
    const label = {
      target: { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'ledger' },
      type: 'merge' as const,
      patch: { metadata: { labels: { 'istio.io/rev': 'asm-1233-2' } } },
    };
    expect(
      fillStepNames(steps, {
        resources: [
          { kind: 'Namespace', namespace: null, name: 'a' },
          { kind: 'Namespace', namespace: null, name: 'b' },
        ],
        patches: [label],
      }),
    ).toEqual(['kubectl label namespace NAMESPACE istio.io/rev=asm-1233-2 --overwrite']);
  });

  it('says each step once', () => {
    expect(
      fillStepNames(['Restart deployment/NAME.', 'Restart  deployment/cart.'], {
        resources: [deployment],
        patches: [],
      }),
    ).toEqual(['Restart deployment/cart.']);
    // NAME that names something else (a webhook) is never taken for the workload.
    expect(
      fillStepNames(['kubectl delete mutatingwebhookconfiguration NAME'], { resources: [deployment], patches: [] }),
    ).toEqual(['kubectl delete mutatingwebhookconfiguration NAME']);
  });
});
