import type { PatchTemplate } from '../../src/runbooks/schema';
import {
  annotationJsonMerge,
  annotationListAppend,
  annotationMove,
  namespaceInjectionLabel,
  networkPolicyHbonePort,
  serviceAppProtocol,
  virtualServiceRetries,
} from '../../src/diagnosis/patch-templates';
import { disallowedReason } from '../../src/remediation/touched-fields';

const deploy = { kind: 'Deployment', namespace: 'shop', name: 'cart' };
const hold: PatchTemplate = {
  template: 'pod-template-annotation-json-merge',
  params: { annotation: 'proxy.istio.io/config', set: { holdApplicationUntilProxyStarts: true } },
  risk: 'a rollout of one workload',
};
const exclude: PatchTemplate = {
  template: 'pod-template-annotation-list-append',
  params: { annotation: 'traffic.sidecar.istio.io/excludeOutboundIPRanges', separator: ',', suffix: '/32' },
  risk: 'bypasses the mesh for that IP',
};

function annotationOf(result: ReturnType<typeof annotationJsonMerge>, name: string): string | undefined {
  if (!('patch' in result)) return undefined;
  return (result.patch.patch as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec
    .template.metadata.annotations[name];
}

describe('patch templates', () => {
  it('merges holdApplicationUntilProxyStarts into an existing proxy config, JSON or YAML', () => {
    const fromJson = annotationJsonMerge(hold, deploy, '{"terminationDrainDuration": "20s"}');
    const fromYaml = annotationJsonMerge(hold, deploy, 'concurrency: 2\ntracing:\n  sampling: 10\n');
    const fromNothing = annotationJsonMerge(hold, deploy, undefined);

    expect(JSON.parse(annotationOf(fromJson, 'proxy.istio.io/config')!)).toEqual({
      terminationDrainDuration: '20s',
      holdApplicationUntilProxyStarts: true,
    });
    expect(JSON.parse(annotationOf(fromYaml, 'proxy.istio.io/config')!)).toEqual({
      concurrency: 2,
      tracing: { sampling: 10 },
      holdApplicationUntilProxyStarts: true,
    });
    expect(JSON.parse(annotationOf(fromNothing, 'proxy.istio.io/config')!)).toEqual({
      holdApplicationUntilProxyStarts: true,
    });
    expect(fromJson).toMatchObject({
      patch: { target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' }, type: 'merge' },
    });
  });

  it('proposes nothing when the setting is already there or the annotation is unreadable', () => {
    expect(annotationJsonMerge(hold, deploy, '{"holdApplicationUntilProxyStarts": true}')).toEqual({
      reason: expect.stringMatching(/already sets/),
    });
    expect(annotationJsonMerge(hold, deploy, '{not: [valid')).toEqual({
      reason: expect.stringMatching(/not valid YAML/),
    });
    expect(annotationJsonMerge(hold, { kind: 'Pod', namespace: 'shop', name: 'p' }, undefined)).toEqual({
      reason: expect.stringMatching(/no pod template/),
    });
  });

  it('appends the Vault IP to the excluded ranges once', () => {
    const appended = annotationListAppend(exclude, deploy, '10.0.0.0/24', '10.96.14.22');

    expect(annotationOf(appended, 'traffic.sidecar.istio.io/excludeOutboundIPRanges')).toBe(
      '10.0.0.0/24,10.96.14.22/32',
    );
    expect(annotationListAppend(exclude, deploy, '10.96.14.22/32, 10.0.0.0/24', '10.96.14.22')).toEqual({
      reason: expect.stringMatching(/already contains/),
    });
  });

  it('labels a namespace for the default injector or an installed revision', () => {
    const template: PatchTemplate = {
      template: 'namespace-injection-label',
      params: { label: 'istio-injection', value: 'enabled', revisionLabel: 'istio.io/rev' },
      risk: 'data plane change for the namespace',
    };

    expect(namespaceInjectionLabel(template, 'billing', { 'istio-injection': 'true' }, null)).toMatchObject({
      patch: {
        target: { kind: 'Namespace', namespace: null, name: 'billing' },
        patch: { metadata: { labels: { 'istio-injection': 'enabled' } } },
      },
    });
    expect(
      namespaceInjectionLabel(
        template,
        'billing',
        { 'istio.io/rev': 'asm-1191-3', 'istio-injection': 'x' },
        'asm-1233-2',
      ),
    ).toMatchObject({
      patch: { patch: { metadata: { labels: { 'istio.io/rev': 'asm-1233-2', 'istio-injection': null } } } },
    });
  });

  it('adds retries to every route of an existing VirtualService, or creates one for the host', () => {
    const template: PatchTemplate = {
      template: 'virtualservice-retries',
      params: {
        retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure,refused-stream' },
      },
      risk: 'not for non-idempotent requests',
    };
    const existing = {
      ref: { kind: 'VirtualService', namespace: 'portal', name: 'ui' },
      apiVersion: 'networking.istio.io/v1',
      httpRoutes: 2,
    };

    const patched = virtualServiceRetries(template, 'ui.portal.svc.cluster.local', 'portal', existing);
    const created = virtualServiceRetries(template, 'ui.portal.svc.cluster.local', 'portal', null);

    expect(patched).toMatchObject({
      patch: { type: 'json', target: { apiVersion: 'networking.istio.io/v1', name: 'ui' } },
    });
    expect(('patch' in patched && patched.patch.patch) as unknown[]).toHaveLength(2);
    expect(created).toMatchObject({
      patch: {
        type: 'merge',
        patch: {
          kind: 'VirtualService',
          spec: { hosts: ['ui.portal.svc.cluster.local'], http: [{ retries: { attempts: 3, perTryTimeout: '5s' } }] },
        },
      },
    });
  });

  it("moves annotations from a workload's metadata into its pod template in one patch the apply step accepts", () => {
    const move: PatchTemplate = { template: 'pod-template-annotation-move', params: {}, risk: 'a rollout' };

    const moved = annotationMove(move, deploy, { 'sidecar.istio.io/proxyCPU': '200m' });

    expect(moved).toEqual({
      patch: {
        target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' },
        type: 'merge',
        patch: {
          metadata: { annotations: { 'sidecar.istio.io/proxyCPU': null } },
          spec: { template: { metadata: { annotations: { 'sidecar.istio.io/proxyCPU': '200m' } } } },
        },
      },
    });
    expect('patch' in moved && disallowedReason(moved.patch, false)).toBeNull();
    expect(annotationMove(move, deploy, {})).toHaveProperty('reason');
    expect(annotationMove(move, { kind: 'Pod', namespace: 'shop', name: 'cart-1' }, { a: 'b' })).toHaveProperty(
      'reason',
    );
  });

  it('refuses a metadata annotation removal that is not a move of an Istio annotation', () => {
    const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' };
    const removeOnly = { metadata: { annotations: { 'sidecar.istio.io/proxyCPU': null } } };
    const foreign = {
      metadata: { annotations: { 'team.example/owner': null } },
      spec: { template: { metadata: { annotations: { 'team.example/owner': 'x' } } } },
    };
    const setOnMeta = {
      metadata: { annotations: { 'sidecar.istio.io/proxyCPU': '1' } },
      spec: { template: { metadata: { annotations: { 'sidecar.istio.io/proxyCPU': '1' } } } },
    };

    for (const patch of [removeOnly, foreign, setOnMeta]) {
      expect(disallowedReason({ target, type: 'merge', patch }, false)).toMatch(
        /may only set pod-template annotations/,
      );
    }
  });

  it("sets one Service port's appProtocol behind a test of its name, or of its number when unnamed", () => {
    const declare: PatchTemplate = { template: 'service-port-app-protocol', params: {}, risk: 'protocol change' };
    const service = { kind: 'Service', namespace: 'shop', name: 'orders-db' };

    const named = serviceAppProtocol(declare, service, { index: 1, name: 'db', port: 3306 }, 'mysql');
    const unnamed = serviceAppProtocol(declare, service, { index: 0, port: 25 }, 'smtp');

    expect(named).toEqual({
      patch: {
        target: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'orders-db' },
        type: 'json',
        patch: [
          { op: 'test', path: '/spec/ports/1/name', value: 'db' },
          { op: 'add', path: '/spec/ports/1/appProtocol', value: 'mysql' },
        ],
      },
    });
    expect('patch' in unnamed && unnamed.patch.patch).toEqual([
      { op: 'test', path: '/spec/ports/0/port', value: 25 },
      { op: 'add', path: '/spec/ports/0/appProtocol', value: 'smtp' },
    ]);
    expect('patch' in named && disallowedReason(named.patch, false)).toBeNull();
    expect(serviceAppProtocol(declare, deploy, { index: 0, port: 25 }, 'smtp')).toHaveProperty('reason');
  });

  it('refuses Service patches that touch more than a tested port appProtocol', () => {
    const target = { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'orders-db' };
    const refused = [
      [{ op: 'add', path: '/spec/ports/1/appProtocol', value: 'mysql' }],
      [
        { op: 'test', path: '/spec/ports/0/name', value: 'db' },
        { op: 'add', path: '/spec/ports/1/appProtocol', value: 'mysql' },
      ],
      [
        { op: 'test', path: '/spec/ports/1/name', value: 'db' },
        { op: 'replace', path: '/spec/ports/1/targetPort', value: 3307 },
      ],
      [
        { op: 'test', path: '/spec/ports/1/name', value: 'db' },
        { op: 'add', path: '/spec/selector', value: { app: 'x' } },
      ],
    ];

    for (const patch of refused) {
      expect(disallowedReason({ target, type: 'json', patch }, false)).toMatch(/only set the appProtocol/);
    }
    expect(disallowedReason({ target, type: 'merge', patch: { spec: { type: 'NodePort' } } }, false)).toMatch(
      /not allowed/,
    );
  });

  it("adds TCP 15008 to the ingress rules of one NetworkPolicy behind a test of each rule's ports", () => {
    const open: PatchTemplate = { template: 'networkpolicy-hbone-port', params: {}, risk: 'HBONE opened' };
    const policy = { kind: 'NetworkPolicy', namespace: 'shop', name: 'payments-ingress' };
    const ports = [
      { protocol: 'TCP', port: 8080 },
      { protocol: 'TCP', port: 'grpc' },
    ];

    const built = networkPolicyHbonePort(open, policy, [
      { index: 0, ports },
      { index: 2, ports: [{ protocol: 'TCP', port: 9000, endPort: 9100 }] },
    ]);

    expect(built).toEqual({
      patch: {
        target: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          namespace: 'shop',
          name: 'payments-ingress',
        },
        type: 'json',
        patch: [
          { op: 'test', path: '/spec/ingress/0/ports', value: ports },
          { op: 'add', path: '/spec/ingress/0/ports/-', value: { protocol: 'TCP', port: 15008 } },
          { op: 'test', path: '/spec/ingress/2/ports', value: [{ protocol: 'TCP', port: 9000, endPort: 9100 }] },
          { op: 'add', path: '/spec/ingress/2/ports/-', value: { protocol: 'TCP', port: 15008 } },
        ],
      },
    });
    expect('patch' in built && disallowedReason(built.patch, false)).toBeNull();
    expect(networkPolicyHbonePort(open, policy, [])).toHaveProperty('reason');
    expect(networkPolicyHbonePort(open, policy, [{ index: 0, ports: [] }])).toHaveProperty('reason');
    expect(networkPolicyHbonePort(open, deploy, [{ index: 0, ports }])).toHaveProperty('reason');
  });

  it('refuses NetworkPolicy patches that do more than add TCP 15008 to a tested ingress rule', () => {
    const target = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'shop', name: 'np' };
    const test = { op: 'test', path: '/spec/ingress/0/ports', value: [{ protocol: 'TCP', port: 8080 }] };
    const add = { op: 'add', path: '/spec/ingress/0/ports/-', value: { protocol: 'TCP', port: 15008 } };
    const refused = [
      [add],
      [test, { ...add, path: '/spec/ingress/1/ports/-' }],
      [test, { ...add, value: { protocol: 'TCP', port: 22 } }],
      [test, { ...add, value: { protocol: 'UDP', port: 15008 } }],
      [test, { ...add, value: { protocol: 'TCP', port: 15008, endPort: 65535 } }],
      [test, { ...add, path: '/spec/egress/0/ports/-' }],
      [
        { ...test, path: '/spec/egress/0/ports' },
        { ...add, path: '/spec/egress/0/ports/-' },
      ],
      [test, { op: 'add', path: '/spec/ingress/0/from/-', value: { ipBlock: { cidr: '0.0.0.0/0' } } }],
      [test, { op: 'remove', path: '/spec/ingress/0/ports' }],
      [test, add, test, add],
      [{ ...test, value: 'x' }, add],
    ];

    for (const patch of refused) {
      expect(disallowedReason({ target, type: 'json', patch }, false)).toMatch(/only add TCP 15008/);
    }
    expect(disallowedReason({ target, type: 'merge', patch: { spec: { ingress: [{}] } } }, false)).toMatch(
      /not allowed/,
    );
  });
});
