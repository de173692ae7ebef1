import { execFileSync } from 'node:child_process';
import { buildCatalog, loadCatalog, runbooksInScope, runbookText } from '../../src/runbooks/catalog';

/** The runbook ids users and scripts rely on (docs/runbooks.md): stable, never renamed. */
const STABLE_IDS = [
  'virtualservice-rule-shadowed',
  'ingress-bypasses-subset-routing',
  'virtualservice-destination-missing',
  'virtualservice-host-conflict',
  'destinationrule-host-unknown',
  'destinationrule-subset-no-pods',
  'virtualservice-subset-missing',
  'proxy-startup-econnrefused',
  'vault-injection-race',
  'istiod-apiserver-connection',
  'istiod-rbac-forbidden',
  'istio-init-failure',
  'upstream-reset-503',
  'legacy-mixer-unavailable',
  'sidecar-not-injected',
  'injector-cabundle-missing',
  'pod-creation-failed',
  'xds-no-healthy-upstream',
  'xds-config-rejected',
  'webhook-connect-timeout',
  'webhook-no-endpoints',
  'webhook-service-not-found',
  'webhook-x509-unknown-authority',
  'webhook-stale-configuration',
  'webhook-deadline-private-cluster',
  'native-sidecar-startup-blocked',
  'csm-control-plane-unhealthy',
  'namespace-injection-label-conflict',
  'sidecar-version-skew',
  'injector-webhook-invalid',
  'image-auto-not-injected',
  'meshnetworks-registry-unknown',
  'envoyfilter-patch-fragile',
  'istio-annotation-ineffective',
  'virtualservice-gateway-mismatch',
  'gateway-selector-no-workload',
  'gateway-port-not-exposed',
  'gateway-tls-credential-invalid',
  'gateway-server-conflict',
  'jwt-claim-route-without-authn',
  'gateway-api-crd-too-old',
  'config-status-negative',
  'port-protocol-undeclared',
  'app-runs-as-proxy-uid',
  'sidecar-resource-conflict',
  'authz-policy-mismatch',
  'port-protocol-conflict',
  'serviceentry-address-missing',
  'localhost-listener',
  'ambient-l7-config-without-waypoint',
  'istio-node-agent-quota',
  'waypoint-not-ready',
  'waypoint-binding-rejected',
  'ambient-enrollment-failed',
  'ambient-probe-blocked',
  'ambient-no-healthy-upstream',
  'ztunnel-policy-denied',
  'ztunnel-xds-unreachable',
  'ztunnel-certificate-failed',
  'ztunnel-version-skew',
  'ambient-hbone-blocked',
];

const catalog = loadCatalog();

function minimalEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'example-problem',
    severity: 'warning',
    sources: ['Istio docs: Sidecar injection problems'],
    signatures: [],
    text: {
      en: {
        title: 'An example problem',
        summary: 'Something happens for a reason worth explaining.',
        cause: 'The cause, described in enough words.',
        symptoms: ['a symptom'],
        detection: 'How the engine decides this problem is present.',
        confirm: [{ description: 'look', command: 'kubectl get pods' }],
        steps: ['fix it'],
      },
    },
    ...overrides,
  };
}

describe('runbook catalog', () => {
  it('holds every stable id, with complete English text and its sources', () => {
    const ids = [...catalog.entries.keys()];

    expect(ids.sort()).toEqual([...STABLE_IDS].sort());
    for (const entry of catalog.entries.values()) {
      expect(entry.sources.length).toBeGreaterThan(0);
      expect(runbookText(entry).steps.length).toBeGreaterThan(0);
      expect(runbookText(entry).confirm.length).toBeGreaterThan(0);
    }
  });

  it('offers patch templates exactly where a safe scoped patch exists', () => {
    const withPatch = [...catalog.entries.values()].filter((e) => e.patch).map((e) => e.id);

    expect(withPatch.sort()).toEqual(
      [
        'injector-cabundle-missing',
        'namespace-injection-label-conflict',
        'image-auto-not-injected',
        'istio-annotation-ineffective',
        'port-protocol-undeclared',
        'proxy-startup-econnrefused',
        'sidecar-not-injected',
        'sidecar-version-skew',
        'upstream-reset-503',
        'vault-injection-race',
        'ambient-enrollment-failed',
        'ambient-hbone-blocked',
      ].sort(),
    );
  });

  it('reports for /mesh injection and /mesh webhooks exactly the runbooks scoped so in their YAML', () => {
    const injection = runbooksInScope(catalog, 'injection');
    const webhooks = runbooksInScope(catalog, 'webhooks');

    expect([...injection].sort()).toEqual(
      [
        'sidecar-not-injected',
        'injector-cabundle-missing',
        'pod-creation-failed',
        'vault-injection-race',
        'istio-init-failure',
        'native-sidecar-startup-blocked',
        'csm-control-plane-unhealthy',
        'namespace-injection-label-conflict',
        'sidecar-version-skew',
        'injector-webhook-invalid',
        'image-auto-not-injected',
        'istio-annotation-ineffective',
        'ambient-enrollment-failed',
      ].sort(),
    );
    expect([...webhooks].sort()).toEqual(
      [
        'injector-cabundle-missing',
        'csm-control-plane-unhealthy',
        'webhook-connect-timeout',
        'webhook-no-endpoints',
        'webhook-service-not-found',
        'webhook-x509-unknown-authority',
        'webhook-stale-configuration',
        'webhook-deadline-private-cluster',
        'injector-webhook-invalid',
      ].sort(),
    );
  });

  it('reports for /mesh config exactly the configuration-analysis runbooks', () => {
    const config = [...runbooksInScope(catalog, 'config')].sort();
    const expected: string[] = [
      // one line per configuration runbook id
      'ambient-hbone-blocked',
      'ambient-l7-config-without-waypoint',
      'localhost-listener',
      'waypoint-not-ready',
      'waypoint-binding-rejected',
      'serviceentry-address-missing',
      'port-protocol-conflict',
      'virtualservice-rule-shadowed',
      'authz-policy-mismatch',
      'ingress-bypasses-subset-routing',
      'virtualservice-destination-missing',
      'virtualservice-host-conflict',
      'destinationrule-host-unknown',
      'destinationrule-subset-no-pods',
      'sidecar-resource-conflict',
      'app-runs-as-proxy-uid',
      'virtualservice-subset-missing',
      'port-protocol-undeclared',
      'namespace-injection-label-conflict',
      'sidecar-version-skew',
      'injector-webhook-invalid',
      'image-auto-not-injected',
      'meshnetworks-registry-unknown',
      'envoyfilter-patch-fragile',
      'istio-annotation-ineffective',
      'virtualservice-gateway-mismatch',
      'gateway-selector-no-workload',
      'gateway-port-not-exposed',
      'gateway-tls-credential-invalid',
      'gateway-server-conflict',
      'jwt-claim-route-without-authn',
      'gateway-api-crd-too-old',
      'config-status-negative',
    ];

    expect(config).toEqual(expected.sort());
  });

  it('takes a runbook with both scopes, or none, and rejects an unknown or repeated scope', () => {
    const built = buildCatalog([
      { source: 'both.yaml', data: minimalEntry({ id: 'both-scopes', scopes: ['injection', 'webhooks'] }) },
      { source: 'none.yaml', data: minimalEntry({ id: 'no-scope' }) },
    ]);

    expect([...runbooksInScope(built, 'injection')]).toEqual(['both-scopes']);
    expect([...runbooksInScope(built, 'webhooks')]).toEqual(['both-scopes']);
    expect(built.entries.get('no-scope')?.scopes).toEqual([]);
    expect(() => buildCatalog([{ source: 'bad.yaml', data: minimalEntry({ scopes: ['mtls'] }) }])).toThrow(
      /bad\.yaml: scopes\.0: /,
    );
    expect(() =>
      buildCatalog([{ source: 'twice.yaml', data: minimalEntry({ scopes: ['webhooks', 'webhooks'] }) }]),
    ).toThrow(/twice\.yaml: scopes: must not repeat a scope/);
  });

  it('rejects an invalid entry with one error naming every problem', () => {
    const bad = minimalEntry({
      id: 'Bad_Id',
      severity: 'fatal',
      signatures: [{ id: 'x-y', source: 'app', pattern: '\\d+ errors', description: 'digits' }],
    });

    expect(() => buildCatalog([{ source: 'bad.yaml', data: bad }])).toThrow(
      /bad\.yaml: id: .*kebab-case[\s\S]*severity[\s\S]*portable ERE/,
    );
  });

  it('rejects duplicate ids and falls back to English text field by field', () => {
    const translated = minimalEntry({
      text: { ...(minimalEntry().text as object), pt: { title: 'Um problema de exemplo' } },
    });

    const built = buildCatalog([{ source: 'a.yaml', data: translated }]);

    expect(() =>
      buildCatalog([
        { source: 'a.yaml', data: translated },
        { source: 'b.yaml', data: translated },
      ]),
    ).toThrow(/duplicate runbook id/);
    const text = runbookText(built.entries.get('example-problem')!, 'pt-BR');
    expect(text.title).toBe('Um problema de exemplo');
    expect(text.steps).toEqual(['fix it']);
  });

  it.each(catalog.signatures.map((s) => [s.id, s] as const))(
    'signature %s matches its examples, not its counterexamples, in JavaScript and grep -E',
    (_id, signature) => {
      const re = new RegExp(signature.pattern);
      const grep = (lines: string[]): string[] => {
        try {
          return execFileSync('grep', ['-E', '-e', signature.pattern], {
            input: lines.join('\n') + '\n',
            encoding: 'utf8',
          })
            .split('\n')
            .filter(Boolean);
        } catch (err) {
          if ((err as { status?: number }).status === 1) return [];
          throw err;
        }
      };

      expect(signature.examples.length).toBeGreaterThan(0);
      expect(signature.examples.filter((l) => !re.test(l))).toEqual([]);
      expect(signature.counterexamples.filter((l) => re.test(l))).toEqual([]);
      expect(grep(signature.examples)).toEqual(signature.examples);
      expect(grep(signature.counterexamples)).toEqual([]);
    },
  );
});
