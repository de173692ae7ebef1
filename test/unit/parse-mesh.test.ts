import { parseMesh } from '../../src/commands/parse-mesh';
import { fuzzTexts, MESH_VERBS } from '../helpers/fuzz';

describe('parseMesh', () => {
  it.each([
    ['diagnose shop/cart', { kind: 'diagnose', cluster: null, namespace: 'shop', workload: 'cart' }],
    ['  diagnose   shop  ', { kind: 'diagnose', cluster: null, namespace: 'shop', workload: null }],
    ['shop/cart', { kind: 'diagnose', cluster: null, namespace: 'shop', workload: 'cart' }],
    ['diagnose prod-eu:shop/cart', { kind: 'diagnose', cluster: 'prod-eu', namespace: 'shop', workload: 'cart' }],
    ['prod-eu:shop/cart', { kind: 'diagnose', cluster: 'prod-eu', namespace: 'shop', workload: 'cart' }],
    [
      'diagnose arn:aws:eks:eu-west-1:123456789012:cluster/prod:shop',
      {
        kind: 'diagnose',
        cluster: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
        namespace: 'shop',
        workload: null,
      },
    ],
    ['injection billing', { kind: 'injection', cluster: null, namespace: 'billing' }],
    ['config staging:billing', { kind: 'config', cluster: 'staging', namespace: 'billing' }],
    ['webhooks', { kind: 'webhooks', cluster: null }],
    ['webhooks prod-eu', { kind: 'webhooks', cluster: 'prod-eu' }],
    ['clusters', { kind: 'clusters' }],
    ['status', { kind: 'status' }],
    ['runbook 503 keep alive', { kind: 'runbook', query: '503 keep alive' }],
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
  ])('reads %j', (text, expected) => {
    expect(parseMesh(text)).toEqual(expected);
  });

  it.each([
    ['diagnose', /name a namespace/],
    ['diagnose Shop/cart', /not a valid namespace name/],
    ['diagnose shop/cart/x', /too many slashes/],
    ['diagnose shop extra', /unexpected `extra`/],
    ['injection shop/cart', /namespace only/],
    ['config shop/cart', /`config` takes a namespace only/],
    ['config', /name a namespace/],
    ['webhooks prod-eu now', /unexpected `now`/],
    ['diagnose :shop', /not a cluster name/],
    ['diagnose prod-eu:', /name a namespace after the cluster/],
    ['diagnose prod-eu:Shop', /not a valid namespace name/],
    ['clusters prod-eu', /unexpected `prod-eu`/],
    ['frobnicate', /unknown sub-command `frobnicate`/],
    ['runbook', /name a runbook id/],
  ])('answers %j with the usage', (text, problem) => {
    const parsed = parseMesh(text);

    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.problem).toMatch(problem);
  });

  it('never throws on 1,000 random texts and always answers with a command or a usage', () => {
    const texts = fuzzTexts(
      1000,
      [...MESH_VERBS, '/', ' ', '\t', 'a', 'Z', '-', '.', '💥', '\u0000', 'shop', 'x'.repeat(300), '"', '<@U1>', '*'],
      42,
    );
    const kinds = new Set<string>([...MESH_VERBS, 'usage']);

    for (const text of texts) {
      const parsed = parseMesh(text);

      expect(kinds.has(parsed.kind)).toBe(true);
      if (parsed.kind === 'usage') expect(parsed.problem.length).toBeLessThan(300);
    }
  });
});
