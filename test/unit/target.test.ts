import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { LogMatcher } from '../../src/collect/log-matcher';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import type { ObjectRef } from '../../src/diagnosis/evidence';
import { catalog } from '../helpers/diagnose-dir';
import type { Detector, Draft } from '../../src/diagnosis/detector';
import { diagnose } from '../../src/diagnosis/engine';
import { checkTarget, closestNames, editDistance, workloadNames } from '../../src/diagnosis/target';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const deploy = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
});
const pod = (name: string, namespace: string, owner?: { kind: string; name: string }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
});

/** Evidence holding these objects; `captured` kinds count as listed even with no object. */
function evidence(objects: KubeObject[], captured: string[] = ['Namespace', 'Pod', 'Deployment']) {
  const builder = new EvidenceBuilder(new LogMatcher([]));
  for (const kind of captured) builder.markCaptured(kind);
  for (const o of objects) builder.addObject(o);
  return builder.build();
}

const CLUSTER = [
  ns('default'),
  ns('istio-system'),
  ns('shop'),
  ns('shop-staging'),
  ns('payments'),
  deploy('cart', 'shop'),
  deploy('catalog', 'shop'),
  deploy('cart', 'shop-staging'),
  deploy('istiod', 'istio-system'),
  pod('cart-6d9f7c8b5b-abcde', 'shop', { kind: 'ReplicaSet', name: 'cart-6d9f7c8b5b' }),
  pod('redis-0', 'shop', { kind: 'StatefulSet', name: 'redis' }),
  pod('debug-shell', 'payments'),
];

describe('closestNames', () => {
  it('finds typos and prefixes, closest first, never the name itself', () => {
    const names = ['default', 'istio-system', 'shop', 'shop-staging', 'payments', 'kube-system'];

    expect(closestNames('shpo', names)).toEqual(['shop']);
    expect(closestNames('shop-stagin', names)).toEqual(['shop-staging', 'shop']);
    expect(closestNames('payment', names)).toEqual(['payments']);
    expect(closestNames('istio', names)).toEqual(['istio-system']);
    expect(closestNames('shop', names)).toEqual(['shop-staging']);
    expect(closestNames('frontend', names)).toEqual([]);
  });

  it('measures edit distance, a swap of neighbours counting as one edit', () => {
    expect(editDistance('shpo', 'shop')).toBe(1);
    expect(editDistance('shop', 'hsop')).toBe(1);
    expect(editDistance('cart', 'crat')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('cart', 'carts')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('checkTarget', () => {
  it('accepts an existing namespace and workload, and every kind of workload', () => {
    const e = evidence(CLUSTER);

    expect(checkTarget(e, { namespace: 'shop', workload: null })).toEqual({ status: 'exists', namespaces: ['shop'] });
    expect(checkTarget(e, { namespace: 'shop', workload: 'cart' })).toEqual({ status: 'exists', namespaces: ['shop'] });
    expect(checkTarget(e, { namespace: 'shop', workload: 'redis' })).toMatchObject({ status: 'exists' });
    expect(checkTarget(e, { namespace: 'payments', workload: 'debug-shell' })).toMatchObject({ status: 'exists' });
  });

  it('names the closest namespaces for a missing one, and all of them', () => {
    expect(checkTarget(evidence(CLUSTER), { namespace: 'shpo', workload: 'cart' })).toEqual({
      status: 'missing',
      what: 'namespace',
      name: 'shpo',
      namespace: null,
      closest: ['shop'],
      known: ['default', 'istio-system', 'payments', 'shop', 'shop-staging'],
    });
  });

  it('names the closest workloads of the namespace for a missing workload', () => {
    expect(checkTarget(evidence(CLUSTER), { namespace: 'shop', workload: 'crat' })).toEqual({
      status: 'missing',
      what: 'workload',
      name: 'crat',
      namespace: 'shop',
      closest: ['cart'],
      known: ['cart', 'catalog', 'redis'],
    });
  });

  it('for a workload alone, gives every namespace holding it, or the closest as namespace/name', () => {
    const e = evidence(CLUSTER);

    expect(checkTarget(e, { namespace: null, workload: 'cart' })).toEqual({
      status: 'exists',
      namespaces: ['shop', 'shop-staging'],
    });
    expect(checkTarget(e, { namespace: null, workload: 'carts' })).toMatchObject({
      status: 'missing',
      namespace: null,
      closest: ['shop/cart', 'shop-staging/cart'],
    });
  });

  it('claims nothing about what was not read', () => {
    const noNamespaces = evidence(
      CLUSTER.filter((o) => o.kind !== 'Namespace'),
      ['Pod', 'Deployment'],
    );
    const noDeployments = evidence(
      CLUSTER.filter((o) => o.kind !== 'Deployment'),
      ['Namespace', 'Pod'],
    );

    expect(checkTarget(noNamespaces, { namespace: 'shpo', workload: null })).toEqual({
      status: 'unknown',
      what: 'namespace',
      name: 'shpo',
      reason: 'the namespace list was not read',
    });
    expect(checkTarget(noDeployments, { namespace: 'shop', workload: 'crat' })).toMatchObject({
      status: 'unknown',
      what: 'workload',
    });
  });

  it('lists workloads from controllers and pod owners, each once', () => {
    expect(workloadNames(evidence(CLUSTER), 'shop')).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      { kind: 'Deployment', namespace: 'shop', name: 'catalog' },
      { kind: 'StatefulSet', namespace: 'shop', name: 'redis' },
    ]);
  });
});

describe('a workload named without a namespace', () => {
  const draft = (...resources: ObjectRef[]): Draft => ({
    resources,
    evidence: [{ source: 'object', timestamp: null, text: 'seen' }],
    confidence: 0.8,
  });

  it('keeps findings naming the workload or only cluster objects, drops those about another namespace', () => {
    const billing = draft(
      { kind: 'Namespace', namespace: null, name: 'billing' },
      { kind: 'Deployment', namespace: 'billing', name: 'invoice-api' },
    );
    const ledger = draft(
      { kind: 'Namespace', namespace: null, name: 'ledger' },
      { kind: 'Deployment', namespace: 'ledger', name: 'ledger-writer' },
    );
    const webhook = draft({ kind: 'MutatingWebhookConfiguration', namespace: null, name: 'istio-sidecar-injector' });
    const detector: Detector = () => ({ drafts: [billing, ledger, webhook], detail: 'three' });

    const report = diagnose(evidence([]), catalog, {
      target: { namespace: null, workload: 'invoice-api' },
      detectors: new Map([['sidecar-not-injected', detector]]),
    });

    expect(report.findings.map((f) => f.resources[0]?.name).sort()).toEqual(['billing', 'istio-sidecar-injector']);
  });
});
