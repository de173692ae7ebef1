import { isResourceName } from './k8s-names';
import { isClusterName } from '../util/cluster-name';

/** One channel-routing rule: every selector given must match. */
export interface AlertRoute {
  /** Matched exactly: the alert's cluster label (cluster, cluster_name, …). */
  cluster?: string;
  /** Matched exactly. */
  namespace?: string;
  /** Matched case-insensitively; stored in lower case. */
  severity?: string;
  /** Slack channel id (C… or G…). */
  channel: string;
}

/** The outcome of reading a routing spec. */
export type ParseRoutesResult = { ok: true; routes: AlertRoute[] } | { ok: false; problems: string[] };

const CHANNEL = /^[CG][A-Z0-9]{8,20}$/;
const FORMAT =
  'expected key=value[,key=value]:CHANNEL, e.g. namespace=shop,severity=critical:C0SHOP1234 or cluster=prod-eu:C0PROD1234';
const SELECTORS = ['cluster', 'namespace', 'severity'] as const;

function parseRule(rule: string, where: string): { route?: AlertRoute; problems: string[] } {
  const colon = rule.lastIndexOf(':');
  if (colon < 0) return { problems: [`${where} has no :CHANNEL (${FORMAT})`] };
  const channel = rule.slice(colon + 1).trim();
  const problems: string[] = [];
  if (!CHANNEL.test(channel)) problems.push(`${where}: "${channel}" is not a channel id (C… or G…, not a #name)`);
  const route: AlertRoute = { channel };
  const selectors = rule
    .slice(0, colon)
    .split(',')
    .map((s) => s.trim());
  if (selectors.every((s) => s === '')) problems.push(`${where} has no selector (${FORMAT})`);
  for (const selector of selectors.filter((s) => s !== '')) {
    const [key = '', ...rest] = selector.split('=');
    const name = key.trim();
    const value = rest.join('=').trim();
    if (!(SELECTORS as readonly string[]).includes(name)) {
      problems.push(`${where}: "${name}" is not a selector (use cluster, namespace or severity)`);
    } else if (value === '') {
      problems.push(`${where}: ${name} has no value`);
    } else if (route[name as (typeof SELECTORS)[number]] !== undefined) {
      problems.push(`${where}: ${name} is given twice`);
    } else if (name === 'namespace' && !isResourceName(value)) {
      problems.push(`${where}: "${value}" is not a namespace name (lowercase letters, digits and -)`);
    } else if (name === 'cluster' && !isClusterName(value)) {
      problems.push(`${where}: "${value}" is not a cluster name (no spaces, commas or semicolons)`);
    } else {
      route[name as (typeof SELECTORS)[number]] = name === 'severity' ? value.toLowerCase() : value;
    }
  }
  return problems.length > 0 ? { problems } : { route, problems };
}

/**
 * Reads a routing spec such as `namespace=shop:C0SHOP123;namespace=payments,severity=critical:C0PAY1234`:
 * rules separated by `;`, each `selectors:channel` with selectors `key=value` joined by `,`.
 */
export function parseAlertRoutes(spec: string): ParseRoutesResult {
  const rules = spec.split(';').map((r) => r.trim());
  const routes: AlertRoute[] = [];
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    if (rule === '') return;
    const parsed = parseRule(rule, `rule ${i + 1} (${rule})`);
    if (parsed.route) routes.push(parsed.route);
    problems.push(...parsed.problems);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

/** The channel of the first route whose selectors all match, else the default channel. */
export function routeChannel(
  routes: readonly AlertRoute[],
  defaultChannel: string,
  target: { cluster?: string | null; namespace: string | null; severity: string | null },
): string {
  const severity = target.severity?.trim().toLowerCase() ?? null;
  const route = routes.find(
    (r) =>
      (r.cluster === undefined || r.cluster === (target.cluster ?? null)) &&
      (r.namespace === undefined || r.namespace === target.namespace) &&
      (r.severity === undefined || r.severity === severity),
  );
  return route?.channel ?? defaultChannel;
}
