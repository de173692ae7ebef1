import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { parseAllDocuments } from 'yaml';

interface Policy {
  kind: string;
  spec: {
    matchConditions: { expression: string }[];
    variables: { name: string; expression: string }[];
    validations: { expression: string; message: string }[];
  };
}

const [policy, binding] = parseAllDocuments(
  readFileSync(
    join(__dirname, '..', '..', 'deploy', 'components', 'remediation', 'admission-policy-remediation.yaml'),
    'utf8',
  ),
).map((d) => d.toJS()) as [Policy, { spec: { policyName: string; validationActions: string[] } }];

const WORKER = 'system:serviceaccount:mesh-doctor:mesh-doctor-worker';

interface Request {
  kind: string;
  namespace?: string;
  name: string;
  user?: string;
  object: Record<string, unknown> | null;
  oldObject: Record<string, unknown> | null;
}

/** What the API server decides for a request, as the policy says: the messages of the failed validations. */
function denials(r: Request): string[] {
  const request = {
    kind: { kind: r.kind },
    namespace: r.namespace ?? '',
    name: r.name,
    userInfo: { username: r.user ?? WORKER },
  };
  const base = { request, object: r.object, oldObject: r.oldObject };
  if (!policy.spec.matchConditions.every((c) => evaluate(c.expression, base) === true)) return [];
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables) variables[v.name] = evaluate(v.expression, { ...base, variables });
  return policy.spec.validations
    .filter((v) => evaluate(v.expression, { ...base, variables }) !== true)
    .map((v) => v.message);
}

const deployment = (annotations: Record<string, string>, overrides: Record<string, unknown> = {}) => ({
  metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'cart' } },
    template: {
      metadata: { labels: { app: 'cart' } as Record<string, string>, annotations },
      spec: { containers: [{ name: 'cart', image: 'cart:1.4.2' }] },
    },
    ...overrides,
  },
});

const namespace = (labels: Record<string, string>) => ({ metadata: { name: 'shop', labels } });

describe('the remediation admission policy', () => {
  it('is bound to deny', () => {
    expect(policy.kind).toBe('ValidatingAdmissionPolicy');
    expect(binding.spec).toEqual({ policyName: 'mesh-doctor-remediation-scope', validationActions: ['Deny'] });
  });

  it("lets the worker change a workload's pod-template annotations, and nothing else of it", () => {
    const before = deployment({ 'sidecar.istio.io/inject': 'true' });
    const annotated = deployment({
      'sidecar.istio.io/inject': 'true',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
      'kubectl.kubernetes.io/restartedAt': '2024-05-14T10:00:00Z',
    });
    const update = (object: Record<string, unknown>) =>
      denials({ kind: 'Deployment', namespace: 'shop', name: 'cart', object, oldObject: before });

    expect(update(annotated)).toEqual([]);
    const image = deployment({}, {});
    (image.spec.template.spec.containers[0] as { image: string }).image = 'evil:latest';
    expect(update(image)).toEqual([
      'mesh-doctor may change only the pod-template annotations of a workload (and remove misplaced Istio annotations).',
    ]);
    expect(update(deployment({}, { replicas: 0 }))).toHaveLength(1);
    expect(update(deployment({}, { selector: { matchLabels: { app: 'other' } } }))).toHaveLength(1);
    const relabelled = deployment({});
    relabelled.spec.template.metadata.labels = { app: 'cart', version: 'v2' };
    expect(update(relabelled)).toHaveLength(1);
  });

  it("lets the worker move an Istio annotation from a workload's own metadata into its pod template, and only that", () => {
    const withMeta = (meta: Record<string, string>, template: Record<string, string>) => {
      const d = deployment(template);
      return { ...d, metadata: { ...d.metadata, annotations: meta } };
    };
    const before = withMeta({ 'sidecar.istio.io/proxyCPU': '200m', 'team.example/owner': 'shop' }, {});
    const update = (object: Record<string, unknown>) =>
      denials({ kind: 'Deployment', namespace: 'shop', name: 'cart', object, oldObject: before });

    expect(update(withMeta({ 'team.example/owner': 'shop' }, { 'sidecar.istio.io/proxyCPU': '200m' }))).toEqual([]);
    expect(update(withMeta({ 'sidecar.istio.io/proxyCPU': '200m' }, {}))).toHaveLength(1);
    expect(
      update(withMeta({ 'sidecar.istio.io/proxyCPU': '200m', 'team.example/owner': 'payments' }, {})),
    ).toHaveLength(1);
    expect(
      update(withMeta({ 'sidecar.istio.io/proxyCPU': '200m', 'team.example/owner': 'shop', extra: 'x' }, {})),
    ).toHaveLength(1);
    const relabelled = withMeta({ 'sidecar.istio.io/proxyCPU': '200m', 'team.example/owner': 'shop' }, {});
    expect(
      update({ ...relabelled, metadata: { ...relabelled.metadata, labels: { app: 'cart', tier: 'gold' } } }),
    ).toHaveLength(1);
  });

  it("lets the worker set only the appProtocol of a Service's existing ports", () => {
    const service = (ports: Record<string, unknown>[], spec: Record<string, unknown> = {}) => ({
      metadata: { name: 'orders-db', namespace: 'shop', labels: { app: 'orders-db' } },
      spec: { type: 'ClusterIP', selector: { app: 'orders-db' }, ports, ...spec },
    });
    const port = { name: 'db', port: 3306, targetPort: 3306, protocol: 'TCP' };
    const before = service([port, { name: 'http-metrics', port: 9104, targetPort: 9104, protocol: 'TCP' }]);
    const update = (object: Record<string, unknown>) =>
      denials({ kind: 'Service', namespace: 'shop', name: 'orders-db', object, oldObject: before });

    const declared = service([
      { ...port, appProtocol: 'mysql' },
      { name: 'http-metrics', port: 9104, targetPort: 9104, protocol: 'TCP' },
    ]);
    expect(update(declared)).toEqual([]);
    expect(update(service([{ ...port, targetPort: 3307 }, before.spec.ports[1]!]))).toEqual([
      "mesh-doctor may change only the appProtocol of a Service's ports.",
    ]);
    expect(update(service([port]))).toHaveLength(1);
    expect(update(service([port, before.spec.ports[1]!], { selector: { app: 'attacker' } }))).toHaveLength(1);
    expect(update(service([port, before.spec.ports[1]!], { type: 'LoadBalancer' }))).toHaveLength(1);
    expect(update(service([{ ...port, name: 'mysql' }, before.spec.ports[1]!]))).toHaveLength(1);
  });

  it("lets the worker add only TCP 15008 to the ports of a NetworkPolicy's existing ingress rules", () => {
    const web = { protocol: 'TCP', port: 8080 };
    const hbone = { protocol: 'TCP', port: 15008 };
    const fromShop = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }];
    const policy = (ingress: Record<string, unknown>[], spec: Record<string, unknown> = {}) => ({
      metadata: { name: 'payments-ingress', namespace: 'shop', labels: { team: 'payments' } },
      spec: { podSelector: { matchLabels: { app: 'payments' } }, policyTypes: ['Ingress'], ingress, ...spec },
    });
    const before = policy([
      { from: fromShop, ports: [web] },
      { from: [{ podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    const [first, second] = before.spec.ingress as [Record<string, unknown>, Record<string, unknown>];
    const update = (object: Record<string, unknown>) =>
      denials({ kind: 'NetworkPolicy', namespace: 'shop', name: 'payments-ingress', object, oldObject: before });
    const refused = ['mesh-doctor may only add TCP 15008 to the ingress rules of a NetworkPolicy.'];

    expect(update(policy([{ from: fromShop, ports: [web, hbone] }, second]))).toEqual([]);
    expect(
      update(
        policy([
          { from: fromShop, ports: [web, hbone] },
          { ...second, ports: [{ protocol: 'TCP', port: 9090 }, hbone] },
        ]),
      ),
    ).toEqual([]);
    expect(update(policy([{ from: fromShop, ports: [web, { protocol: 'TCP', port: 15009 }] }, second]))).toEqual(
      refused,
    );
    expect(update(policy([{ from: fromShop, ports: [web, { protocol: 'UDP', port: 15008 }] }, second]))).toEqual(
      refused,
    );
    expect(
      update(policy([{ from: fromShop, ports: [web, { protocol: 'TCP', port: 15008, endPort: 65535 }] }, second])),
    ).toEqual(refused);
    expect(update(policy([{ from: fromShop, ports: [hbone] }, second]))).toEqual(refused);
    expect(update(policy([{ ports: [web, hbone] }, second]))).toEqual(refused);
    expect(update(policy([{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [web, hbone] }, second]))).toEqual(
      refused,
    );
    expect(update(policy([{ from: fromShop }, second]))).toEqual(refused);
    expect(update(policy([first]))).toEqual(refused);
    expect(update(policy([first, second, { ports: [hbone] }]))).toEqual(refused);
    expect(update(policy([first, first]))).toEqual(refused);
    expect(update(policy([first, second], { podSelector: {} }))).toEqual(refused);
    expect(update(policy([first, second], { policyTypes: ['Ingress', 'Egress'], egress: [] }))).toEqual(refused);
  });

  it('lets the worker set only the injection labels of a namespace', () => {
    const update = (before: Record<string, string>, after: Record<string, string>) =>
      denials({ kind: 'Namespace', name: 'shop', object: namespace(after), oldObject: namespace(before) });

    expect(update({ team: 'shop' }, { team: 'shop', 'istio-injection': 'enabled' })).toEqual([]);
    expect(update({ 'istio-injection': 'enabled' }, { 'istio.io/rev': 'asm-1-24' })).toEqual([]);
    expect(update({ team: 'shop' }, { team: 'payments' })).toEqual([
      'mesh-doctor may change only the istio-injection and istio.io/rev labels of a namespace.',
    ]);
    expect(update({ team: 'shop' }, {})).toHaveLength(1);
    expect(update({}, { 'pod-security.kubernetes.io/enforce': 'privileged' })).toHaveLength(1);
  });

  it('refuses anything in a system namespace, VirtualService deletions included', () => {
    expect(
      denials({
        kind: 'VirtualService',
        namespace: 'kube-system',
        name: 'x',
        object: null,
        oldObject: { metadata: {} },
      }),
    ).toEqual(['mesh-doctor may not change anything in a system namespace.']);
    expect(
      denials({
        kind: 'Namespace',
        name: 'kube-system',
        object: namespace({ 'istio-injection': 'enabled' }),
        oldObject: namespace({}),
      }),
    ).toContain('mesh-doctor may not change anything in a system namespace.');
    expect(
      denials({ kind: 'VirtualService', namespace: 'shop', name: 'cart', object: null, oldObject: { metadata: {} } }),
    ).toEqual([]);
  });

  it('leaves everyone else alone', () => {
    const before = deployment({});
    const changed = deployment({}, { replicas: 0 });
    expect(
      denials({
        kind: 'Deployment',
        namespace: 'kube-system',
        name: 'coredns',
        user: 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
        object: changed,
        oldObject: before,
      }),
    ).toEqual([]);
  });
});
