import type { KubeObject, LabelSelector, Webhook } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'injector-webhook-invalid';

function hook(
  name: string,
  namespaceSelector: LabelSelector,
  objectSelector: LabelSelector = {},
  service = 'istiod',
): Webhook {
  return {
    name,
    clientConfig: { caBundle: 'LS0t', service: { name: service, namespace: 'istio-system', path: '/inject' } },
    namespaceSelector,
    objectSelector,
  };
}

const NOT_OPTED_OUT = { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] };
const DEFAULT_LABEL = { matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] };

function revisionSelector(rev: string): LabelSelector {
  return {
    matchExpressions: [
      { key: 'istio.io/rev', operator: 'In', values: [rev] },
      { key: 'istio-injection', operator: 'DoesNotExist' },
    ],
  };
}

function injector(name: string, hooks: Webhook[], created = '2026-11-30T13:22:10Z'): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name, creationTimestamp: created },
    webhooks: hooks,
  };
}

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function findings(objects: KubeObject[]) {
  return diagnoseObjects(objects).findings.filter((f) => f.runbook === ID);
}

describe('injector-webhook-invalid', () => {
  it('reports a namespace two injector configurations select, naming both, and when the overlap began', () => {
    const [finding, ...rest] = findings([
      injector(
        'istio-sidecar-injector',
        [hook('namespace.sidecar-injector.istio.io', DEFAULT_LABEL, NOT_OPTED_OUT)],
        '2026-06-10T09:00:00Z',
      ),
      injector('istio-revision-tag-default', [
        hook('namespace.sidecar-injector.istio.io', DEFAULT_LABEL, NOT_OPTED_OUT, 'istiod-1-27-2'),
        hook('rev.namespace.sidecar-injector.istio.io', revisionSelector('default'), NOT_OPTED_OUT, 'istiod-1-27-2'),
      ]),
      namespace('shop', { 'istio-injection': 'enabled' }),
      namespace('payments', { 'istio.io/rev': 'default' }),
    ]);

    expect(rest).toEqual([]);
    expect(finding?.resources.map((r) => r.name)).toEqual([
      'istio-revision-tag-default',
      'istio-sidecar-injector',
      'shop',
    ]);
    expect(finding?.remediation.steps.join(' ')).toMatch(/istio-revision-tag-default injects first/);
    expect(finding?.remediation.steps.join(' ')).toMatch(
      /since istio-revision-tag-default was created at 2026-11-30T13:22:10Z/,
    );
    expect(finding?.severity).toBe('warning');
  });

  it('accepts a revision tag and a revision whose selectors are disjoint', () => {
    const found = findings([
      injector('istio-revision-tag-default', [
        hook('namespace.sidecar-injector.istio.io', DEFAULT_LABEL, NOT_OPTED_OUT),
      ]),
      injector('istio-sidecar-injector-1-27-2', [
        hook('rev.namespace.sidecar-injector.istio.io', revisionSelector('1-27-2'), NOT_OPTED_OUT),
      ]),
      namespace('shop', { 'istio-injection': 'enabled' }),
      namespace('canary', { 'istio.io/rev': '1-27-2' }),
    ]);

    expect(found).toEqual([]);
  });

  it('finds an overlap only a pod label triggers, from the pods that carry it', () => {
    const objectHook = hook(
      'rev.object.sidecar-injector.istio.io',
      { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }] },
      { matchLabels: { 'istio.io/rev': '1-27-2' } },
    );
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-1', namespace: 'shop', labels: { 'istio.io/rev': '1-27-2' } },
      spec: { containers: [{ name: 'cart', image: 'registry.example.com/cart:1' }] },
      status: { phase: 'Running' },
    };

    const [finding] = findings([
      injector('istio-sidecar-injector', [hook('namespace.sidecar-injector.istio.io', DEFAULT_LABEL, NOT_OPTED_OUT)]),
      injector('istio-sidecar-injector-1-27-2', [objectHook]),
      namespace('shop', { 'istio-injection': 'enabled' }),
      pod,
    ]);

    expect(finding?.resources).toContainEqual({ kind: 'Pod', namespace: 'shop', name: 'cart-1' });
  });

  it('reports an Istio webhook with neither a Service nor a URL, and skips when no webhook was read', () => {
    const [finding] = findings([
      injector('istio-sidecar-injector', [
        { ...hook('namespace.sidecar-injector.istio.io', DEFAULT_LABEL), clientConfig: { caBundle: 'LS0t' } },
      ]),
    ]);
    const unread = diagnoseObjects([namespace('shop', { 'istio-injection': 'enabled' })]);

    expect(finding?.evidence[0]?.text).toMatch(/clientConfig has neither service nor url/);
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });
});
