import { patchProblems } from '../../src/diagnosis/detectors/envoyfilter-patch-fragile';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const ID = 'envoyfilter-patch-fragile';

describe('envoyfilter-patch-fragile', () => {
  it('flags operations the applyTo does not support, as Istio documents them', () => {
    expect(patchProblems({ applyTo: 'HTTP_ROUTE', patch: { operation: 'ADD' } }, 1, [])).toEqual([
      'ADD is ignored for applyTo HTTP_ROUTE (IST0153)',
    ]);
    expect(patchProblems({ applyTo: 'ROUTE_CONFIGURATION', patch: { operation: 'REMOVE' } }, 1, [])[0]).toMatch(
      /IST0154/,
    );
    expect(patchProblems({ applyTo: 'CLUSTER', patch: { operation: 'REPLACE' } }, 1, [])[0]).toMatch(/IST0152/);
    expect(patchProblems({ applyTo: 'CLUSTER', patch: { operation: 'INSERT_FIRST' } }, 1, [])[0]).toMatch(
      /added with ADD/,
    );
    expect(patchProblems({ applyTo: 'HTTP_FILTER', patch: { operation: 'REPLACE' } }, 1, [])).toEqual([]);
    expect(patchProblems({ applyTo: 'CLUSTER', patch: { operation: 'ADD' } }, undefined, [])).toEqual([]);
  });

  it('flags relative inserts without priority or with a proxyVersion, and a proxyVersion no running proxy matches', () => {
    const insert = (proxyVersion?: string) => ({
      applyTo: 'HTTP_FILTER',
      match: proxyVersion ? { proxy: { proxyVersion } } : {},
      patch: { operation: 'INSERT_AFTER' },
    });

    expect(patchProblems(insert(), undefined, ['1.27.2'])[0]).toMatch(/sets no priority.*IST0151/);
    expect(patchProblems(insert(), 5, ['1.27.2'])).toEqual([]);
    expect(patchProblems(insert('^1\\.27.*'), 5, ['1.27.2'])).toEqual([
      'INSERT_AFTER together with proxyVersion ^1\\.27.* can leave the filter out while proxies of two versions run during an upgrade (IST0155)',
    ]);
    const first = { ...insert('^1\\.24.*'), patch: { operation: 'INSERT_FIRST' } };
    expect(patchProblems(first, undefined, ['1.26.3', '1.27.2'])).toEqual([
      'proxyVersion ^1\\.24.* matches none of the running proxies (1.26.3, 1.27.2), so the patch applies to no proxy',
    ]);
    expect(patchProblems(first, undefined, [])).toEqual([]);
  });

  it('flags deprecated filter names in the match', () => {
    const patch = {
      applyTo: 'HTTP_FILTER',
      match: {
        listener: {
          filterChain: { filter: { name: 'envoy.http_connection_manager', subFilter: { name: 'envoy.router' } } },
        },
      },
      patch: { operation: 'INSERT_FIRST' },
    };

    expect(patchProblems(patch, undefined, [])).toEqual([
      'matches the deprecated filter name envoy.http_connection_manager; current proxies name it envoy.filters.network.http_connection_manager, so the match finds nothing',
      'matches the deprecated filter name envoy.router; current proxies name it envoy.filters.http.router, so the match finds nothing',
    ]);
  });

  it('names the EnvoyFilter and the workloads its selector reaches, and is skipped when EnvoyFilters were not read', () => {
    const filter: KubeObject = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'lua', namespace: 'shop' },
      spec: {
        workloadSelector: { labels: { app: 'cart' } },
        configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE' } }],
      },
    };
    const pod = (app: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${app}-0`, namespace: 'shop', labels: { app } },
      spec: { containers: [{ name: app }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.2' }] },
      status: { phase: 'Running' },
    });

    const [finding] = diagnoseObjects([filter, pod('cart'), pod('ledger')]).findings.filter((f) => f.runbook === ID);
    const unread = diagnoseObjects([pod('cart')]);

    expect(finding?.resources).toEqual([
      { kind: 'EnvoyFilter', namespace: 'shop', name: 'lua' },
      { kind: 'Pod', namespace: 'shop', name: 'cart-0' },
    ]);
    expect(finding?.severity).toBe('info');
    expect(unread.checks.find((c) => c.id === ID)?.status).toBe('skipped');
  });

  it('leaves ztunnel out of the proxies a root-namespace EnvoyFilter reaches: it runs no Envoy', () => {
    const filter: KubeObject = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'lua', namespace: 'istio-system' },
      spec: {
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            match: { proxy: { proxyVersion: '^1\\.28.*' } },
            patch: { operation: 'MERGE' },
          },
        ],
      },
    };
    const sidecar: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-0', namespace: 'shop', labels: { app: 'cart' } },
      spec: { containers: [{ name: 'cart' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.29.0' }] },
      status: { phase: 'Running' },
    };
    const ztunnel: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'ztunnel-4kq8d',
        namespace: 'istio-system',
        labels: { app: 'ztunnel' },
        ownerReferences: [{ kind: 'DaemonSet', name: 'ztunnel', controller: true }],
      },
      spec: {
        containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.28.2', args: ['proxy', 'ztunnel'] }],
      },
      status: { phase: 'Running' },
    };

    const [finding] = diagnoseObjects([filter, sidecar, ztunnel]).findings.filter((f) => f.runbook === ID);

    expect(finding?.resources).toEqual([
      { kind: 'EnvoyFilter', namespace: 'istio-system', name: 'lua' },
      { kind: 'Pod', namespace: 'shop', name: 'cart-0' },
    ]);
    expect(finding?.evidence.map((e) => e.text).join(' ')).toContain('matches none of the running proxies (1.29.0)');
  });
});
