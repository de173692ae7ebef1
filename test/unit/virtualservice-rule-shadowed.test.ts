import { matchCovers, shadowedBy } from '../../src/diagnosis/detectors/virtualservice-rule-shadowed';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { diagnoseObjects } from '../helpers/evidence';

const jason = { match: [{ uri: { prefix: '/reviews' }, headers: { 'end-user': { exact: 'jason' } } }] };

describe('virtualservice-rule-shadowed', () => {
  it('lets a prefix cover longer prefixes and exact paths under it, and fewer conditions cover more', () => {
    expect(matchCovers({ uri: { prefix: '/' } }, jason.match[0]!)).toBe(true);
    expect(matchCovers({ uri: { prefix: '/api' } }, { uri: { exact: '/api/v1' } })).toBe(true);
    expect(matchCovers({ uri: { prefix: '/api' } }, { uri: { prefix: '/ap' } })).toBe(false);
    expect(matchCovers({ uri: { exact: '/a' } }, { uri: { prefix: '/a' } })).toBe(false);
    expect(matchCovers({ headers: { 'end-user': { exact: 'jason' } } }, jason.match[0]!)).toBe(true);
    expect(matchCovers({ method: { exact: 'GET' } }, jason.match[0]!)).toBe(false);
  });

  it('finds the earlier route that shadows a later one, and none when the specific route comes first', () => {
    expect(shadowedBy([{ route: [] }, jason], 1)).toBe(0);
    expect(shadowedBy([{ match: [{ uri: { prefix: '/' } }] }, jason], 1)).toBe(0);
    expect(shadowedBy([jason, { match: [{ uri: { prefix: '/' } }] }], 1)).toBeNull();
    expect(shadowedBy([{ match: [{ uri: { prefix: '/ratings' } }] }, jason], 1)).toBeNull();
  });

  it('reports the shadowed route by index and name as a warning', () => {
    const vs: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: {
        hosts: ['reviews'],
        http: [
          { name: 'all', route: [] },
          { name: 'jason', ...jason, route: [] },
        ],
      },
    };
    const [f] = diagnoseObjects([vs]).findings.filter((x) => x.runbook === 'virtualservice-rule-shadowed');

    expect(f?.severity).toBe('warning');
    expect(f?.remediation.steps[0]).toMatch(
      /^VirtualService bookinfo\/reviews spec\.http\[1\] "jason" with match .* is never used: the earlier spec\.http\[0\] "all" with no match \(catches every request\) takes every request it would match\.$/,
    );
  });
});
