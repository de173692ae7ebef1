import { parseAlertRoutes, routeChannel } from '../../src/alerts';
import type { AlertRoute } from '../../src/alerts';

const SPEC = 'namespace=payments,severity=critical:C0PAY1234;namespace=shop:C0SHOP123;severity=critical:C0PAGES123';
const DEFAULT = 'C0ALERTS99';

function routes(spec: string): AlertRoute[] {
  const parsed = parseAlertRoutes(spec);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.routes;
}

describe('parseAlertRoutes', () => {
  it('reads rules in order, lowering severities', () => {
    const result = parseAlertRoutes(
      ' namespace=shop : C0SHOP123 ; severity=Critical:C0PAGES123;namespace=payments, severity=CRITICAL:G0PAY12345; ',
    );

    expect(result).toEqual({
      ok: true,
      routes: [
        { namespace: 'shop', channel: 'C0SHOP123' },
        { severity: 'critical', channel: 'C0PAGES123' },
        { namespace: 'payments', severity: 'critical', channel: 'G0PAY12345' },
      ],
    });
  });

  it('reads an empty spec as no routes', () => {
    expect(parseAlertRoutes('')).toEqual({ ok: true, routes: [] });
    expect(parseAlertRoutes(' ; ')).toEqual({ ok: true, routes: [] });
  });

  it('reports every problem with its rule', () => {
    const spec = [
      'namespace=shop:#shop-alerts',
      'team=payments:C0PAY1234',
      'namespace=:C0PAY1234',
      'namespace=shop',
      'namespace=shop,namespace=web:C0SHOP123',
      'namespace=Shop_NS:C0SHOP123',
      ':C0SHOP123',
      'severity=critical:c0pages123',
    ].join(';');

    const result = parseAlertRoutes(spec);

    expect(result).toEqual({
      ok: false,
      problems: [
        'rule 1 (namespace=shop:#shop-alerts): "#shop-alerts" is not a channel id (C… or G…, not a #name)',
        'rule 2 (team=payments:C0PAY1234): "team" is not a selector (use cluster, namespace or severity)',
        'rule 3 (namespace=:C0PAY1234): namespace has no value',
        'rule 4 (namespace=shop) has no :CHANNEL (expected key=value[,key=value]:CHANNEL, e.g. namespace=shop,severity=critical:C0SHOP1234 or cluster=prod-eu:C0PROD1234)',
        'rule 5 (namespace=shop,namespace=web:C0SHOP123): namespace is given twice',
        'rule 6 (namespace=Shop_NS:C0SHOP123): "Shop_NS" is not a namespace name (lowercase letters, digits and -)',
        'rule 7 (:C0SHOP123) has no selector (expected key=value[,key=value]:CHANNEL, e.g. namespace=shop,severity=critical:C0SHOP1234 or cluster=prod-eu:C0PROD1234)',
        'rule 8 (severity=critical:c0pages123): "c0pages123" is not a channel id (C… or G…, not a #name)',
      ],
    });
  });
});

describe('routeChannel', () => {
  it.each<[string, string | null, string | null, string]>([
    ['the specific rule for critical payments alerts', 'payments', 'critical', 'C0PAY1234'],
    ['the payments rule whatever the severity case', 'payments', 'Critical', 'C0PAY1234'],
    ['the default for warnings in payments', 'payments', 'warning', DEFAULT],
    ['the shop channel for shop, before the pager rule', 'shop', 'critical', 'C0SHOP123'],
    ['the shop channel for any shop severity', 'shop', null, 'C0SHOP123'],
    ['the pager for critical alerts elsewhere', 'web', 'CRITICAL', 'C0PAGES123'],
    ['the pager for critical alerts without a target', null, 'critical', 'C0PAGES123'],
    ['the default when nothing matches', null, null, DEFAULT],
  ])('picks %s', (_name, namespace, severity, channel) => {
    const result = routeChannel(routes(SPEC), DEFAULT, { namespace, severity });

    expect(result).toBe(channel);
  });

  it('lets the first matching rule win', () => {
    const broadFirst = routes('severity=critical:C0PAGES123;namespace=payments,severity=critical:C0PAY1234');

    const result = routeChannel(broadFirst, DEFAULT, { namespace: 'payments', severity: 'critical' });

    expect(result).toBe('C0PAGES123');
  });

  it('uses the default with no routes', () => {
    expect(routeChannel([], DEFAULT, { namespace: 'shop', severity: 'critical' })).toBe(DEFAULT);
  });
});

describe('routes by cluster', () => {
  it('matches the cluster exactly, with the other selectors, and keeps the first match', () => {
    const byCluster = routes(
      'cluster=prod-eu,severity=critical:C0PRODPAGE1;cluster=arn:aws:eks:eu-west-1:1:cluster/x:C0EKS00001;namespace=shop:C0SHOP123',
    );

    expect(routeChannel(byCluster, DEFAULT, { cluster: 'prod-eu', namespace: 'shop', severity: 'Critical' })).toBe(
      'C0PRODPAGE1',
    );
    expect(routeChannel(byCluster, DEFAULT, { cluster: 'prod-eu', namespace: 'shop', severity: 'warning' })).toBe(
      'C0SHOP123',
    );
    expect(
      routeChannel(byCluster, DEFAULT, {
        cluster: 'arn:aws:eks:eu-west-1:1:cluster/x',
        namespace: null,
        severity: null,
      }),
    ).toBe('C0EKS00001');
    expect(routeChannel(byCluster, DEFAULT, { cluster: null, namespace: 'payments', severity: 'critical' })).toBe(
      DEFAULT,
    );
  });

  it('refuses a cluster value that is no cluster name', () => {
    const parsed = parseAlertRoutes('cluster=prod eu:C0PROD1234');

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]).toContain('"prod eu" is not a cluster name');
  });
});
