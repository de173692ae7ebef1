import {
  destinationRuleFeatures,
  readPolicySpec,
  statusHttpAttributes,
} from '../../src/diagnosis/detectors/ambient-l7-config-without-waypoint';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects, logEntry } from '../helpers/evidence';

const ID = 'ambient-l7-config-without-waypoint';
const HTTP_MESSAGE =
  'ztunnel does not support HTTP attributes (found: methods, paths). In ambient mode you must use a waypoint proxy to enforce HTTP rules. Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pod(ns: string, name: string, labels: Record<string, string>, sidecar = false, ip = '10.8.0.9'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels,
      annotations: sidecar ? {} : { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${labels.app}-5d8f7c6b9`, controller: true }],
    },
    spec: { nodeName: 'node-a', containers: [{ name: labels.app }, ...(sidecar ? [{ name: 'istio-proxy' }] : [])] },
    status: { phase: 'Running', podIP: ip },
  };
}

function service(ns: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

function policy(
  ns: string,
  name: string,
  spec: Record<string, unknown>,
  conditions?: Record<string, unknown>[],
  created = '2026-11-20T08:00:00Z',
): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: ns, generation: 1, creationTimestamp: created },
    spec,
    ...(conditions ? { status: { conditions } } : {}),
  };
}

const HTTP_ALLOW = {
  action: 'ALLOW',
  selector: { matchLabels: { app: 'orders' } },
  rules: [
    {
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }],
    },
  ],
};
const WARNED = [{ type: 'ZtunnelAccepted', status: 'True', reason: 'UnsupportedValue', message: HTTP_MESSAGE }];

function rejection(time: string, error = 'allow policies exist, but none allowed'): Record<string, unknown> {
  return logEntry(
    time,
    'istio-system',
    'ztunnel-7xk2p',
    'istio-proxy',
    `${time}\terror\taccess\tconnection complete\tsrc.addr=10.8.1.4:40112 src.workload="web-6c8d9b7f4-hx2lp" src.namespace="shop" dst.addr=10.8.0.9:15008 dst.hbone_addr=10.8.0.9:8080 dst.workload="orders-5d8f7c6b9-t4kqz" dst.namespace="shop" direction="inbound" bytes_sent=0 bytes_recv=0 duration="0ms" error="connection closed due to policy rejection: ${error}"`,
  );
}

const AMBIENT_SHOP = [
  namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }),
  pod('shop', 'orders-5d8f7c6b9-t4kqz', { app: 'orders' }),
  service('shop', 'orders'),
];

describe('ambient-l7-config-without-waypoint: reading a policy as ztunnel does', () => {
  it('finds the HTTP attributes of operations, sources and when keys, and which DENY rules keep an L4 part', () => {
    const reading = readPolicySpec({
      spec: {
        action: 'DENY',
        rules: [
          { to: [{ operation: { ports: ['8080'], methods: ['DELETE'] } }] },
          { from: [{ source: { namespaces: ['batch'] } }], to: [{ operation: { paths: ['/admin/*'] } }] },
          { when: [{ key: 'request.headers[x-tenant]', values: ['blue'] }] },
          { from: [{ source: { requestPrincipals: ['issuer/*'], namespaces: ['batch'] } }] },
          {
            from: [{ source: { principals: ['cluster.local/ns/batch/sa/job'] } }],
            to: [{ operation: { ports: ['9090'] } }],
          },
        ],
      },
    });

    expect(reading).toEqual({
      found: ['methods', 'paths', 'request.headers[x-tenant]', 'requestPrincipals'],
      rules: 5,
      httpRules: 4,
      widened: 2,
    });
  });

  it('reads the attributes from the HTTP warning only, not from other UnsupportedValue messages', () => {
    expect(statusHttpAttributes(WARNED[0])).toEqual(['methods', 'paths']);
    expect(
      statusHttpAttributes({
        type: 'ZtunnelAccepted',
        status: 'False',
        reason: 'UnsupportedValue',
        message: 'ztunnel does not support the CUSTOM action',
      }),
    ).toBeNull();
    expect(
      statusHttpAttributes({ type: 'ZtunnelAccepted', reason: 'Accepted', message: 'attached to ztunnel' }),
    ).toBeNull();
  });

  it('names the subsets and traffic policy of a DestinationRule', () => {
    const dr = {
      spec: { host: 'orders', subsets: [{ name: 'v1' }, { name: 'v2' }], trafficPolicy: { outlierDetection: {} } },
    };

    expect(destinationRuleFeatures(dr)).toEqual(['subset(s) v1, v2', 'outlier detection']);
    expect(destinationRuleFeatures({ spec: { host: 'orders' } })).toEqual([]);
  });
});

describe('ambient-l7-config-without-waypoint', () => {
  it("reports an ALLOW policy istiod warned about, critical with ztunnel's refusals at its pods since it exists", () => {
    const report = diagnoseObjects(
      [...AMBIENT_SHOP, policy('shop', 'orders-read', HTTP_ALLOW, WARNED)],
      [rejection('2026-11-20T07:50:00Z'), rejection('2026-11-20T08:05:00Z'), rejection('2026-11-20T08:09:30Z')],
    );

    const findings = report.findings.filter((f) => f.runbook === ID);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.resources).toEqual([
      { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'orders-read' },
      { kind: 'Deployment', namespace: 'shop', name: 'orders' },
    ]);
    const steps = findings[0]?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('uses HTTP attributes ztunnel cannot read (methods, paths)');
    expect(steps).toContain('ztunnel leaves out its only rule: the policy allows nothing');
    expect(steps).toContain('seen 2 time(s)');
    expect(steps).toContain('istioctl waypoint apply -n shop --enroll-namespace');
    expect(steps).toContain('name: orders)');
  });

  it('reads the spec when istiod wrote no status, as a warning without refusals', () => {
    const spec = {
      selector: { matchLabels: { app: 'orders' } },
      rules: [
        { from: [{ source: { requestPrincipals: ['https://accounts.example.com/*'] } }] },
        { from: [{ source: { namespaces: ['shop'] } }] },
      ],
    };
    const report = diagnoseObjects([...AMBIENT_SHOP, policy('shop', 'orders-jwt', spec)]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('warning');
    const steps = finding?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain('istiod wrote no ZtunnelAccepted warning');
    expect(steps).toContain('ztunnel leaves out 1 of its 2 rule(s)');
    expect(steps).toContain('Lower severity');
  });

  it('says a DENY policy left with no L4 condition denies nothing', () => {
    const spec = {
      action: 'DENY',
      selector: { matchLabels: { app: 'orders' } },
      rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }],
    };
    const report = diagnoseObjects([...AMBIENT_SHOP, policy('shop', 'orders-no-admin', spec)]);

    const finding = report.findings.find((f) => f.runbook === ID);
    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.steps.join('\n')).toContain('the policy denies nothing');
  });

  it('leaves alone policies with targetRefs, L4-only policies, and HTTP policies on sidecar pods', () => {
    const report = diagnoseObjects([
      ...AMBIENT_SHOP,
      namespace('legacy'),
      pod('legacy', 'billing-5d8f7c6b9-abcde', { app: 'billing' }, true),
      policy('shop', 'on-waypoint', {
        ...HTTP_ALLOW,
        selector: undefined,
        targetRefs: [{ kind: 'Service', name: 'orders' }],
      }),
      policy(
        'shop',
        'l4',
        { selector: { matchLabels: { app: 'orders' } }, rules: [{ to: [{ operation: { ports: ['8080'] } }] }] },
        [
          {
            type: 'ZtunnelAccepted',
            status: 'True',
            reason: 'Accepted',
            message: 'attached to ztunnel',
            observedGeneration: '1',
          },
        ],
      ),
      policy('legacy', 'billing-get', { ...HTTP_ALLOW, selector: { matchLabels: { app: 'billing' } } }, WARNED),
    ]);

    expect(report.findings.filter((f) => f.runbook === ID)).toEqual([]);
  });

  it('reports mesh VirtualServices and DestinationRules for an ambient Service without a waypoint, not with one', () => {
    const vs = (name: string, http: Record<string, unknown>, gateways?: string[]): KubeObject => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name, namespace: 'shop' },
      spec: {
        hosts: ['orders'],
        ...(gateways ? { gateways } : {}),
        http: [{ route: [{ destination: { host: 'orders' } }], ...http }],
      },
    });
    const objects = [
      ...AMBIENT_SHOP,
      vs('orders-retries', { retries: { attempts: 3 } }),
      vs('orders-plain', {}),
      vs('orders-edge', { timeout: '3s' }, ['shop/edge']),
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'orders', namespace: 'shop' },
        spec: { host: 'orders.shop.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
      },
    ];

    const without = diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
    expect(without.map((f) => f.resources[0]?.name)).toEqual(['orders', 'orders-retries']);
    expect(without.every((f) => f.severity === 'warning')).toBe(true);

    const bound = objects.map((o) =>
      o.kind === 'Namespace'
        ? namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' })
        : o,
    );
    expect(diagnoseObjects(bound).findings.filter((f) => f.runbook === ID)).toEqual([]);
  });

  it('skips without pods, and without any policy or routing object', () => {
    const noPods = diagnoseObjects([namespace('shop'), policy('shop', 'p', HTTP_ALLOW, WARNED)]);
    expect(noPods.checks.find((c) => c.id === ID)?.status).toBe('skipped');
    const nothing = diagnoseObjects(AMBIENT_SHOP);
    expect(nothing.checks.find((c) => c.id === ID)?.detail).toBe(
      'no AuthorizationPolicies, VirtualServices or DestinationRules read',
    );
  });
});
