import type { Language } from '../i18n/languages';
import { LANGUAGES, isLanguage } from '../i18n/languages';
import { isClusterName } from '../util/cluster-name';

/** What a `/mesh` text asks for. */
export type MeshCommand =
  | { kind: 'diagnose'; cluster: string | null; namespace: string; workload: string | null }
  | { kind: 'injection'; cluster: string | null; namespace: string }
  | { kind: 'config'; cluster: string | null; namespace: string }
  | { kind: 'webhooks'; cluster: string | null }
  | { kind: 'clusters' }
  /** `/mesh lang`: show; `/mesh lang es`: choose; `/mesh lang auto`: follow the Slack locale again. */
  | { kind: 'lang'; choice: Language | 'auto' | null }
  | { kind: 'runbook'; query: string }
  | { kind: 'status' }
  | { kind: 'audit'; count: number }
  | { kind: 'help' }
  | { kind: 'usage'; problem: string };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export const USAGE_LINES = [
  '`/mesh diagnose [<cluster>:]<namespace>[/<workload>]` (or just `/mesh <namespace>/<workload>`): diagnose and post the report in a thread',
  '`/mesh injection [<cluster>:]<namespace>`: check sidecar injection for a namespace',
  '`/mesh config [<cluster>:]<namespace>`: check only the mesh configuration (routing, gateways, ports, policies) of a namespace',
  '`/mesh webhooks [<cluster>]`: check the sidecar injector and validation webhooks',
  '`/mesh clusters`: the clusters the workers serve, and when each was last seen',
  '`/mesh lang [en|es|ko|pt|zh|id|auto]`: the language mesh-doctor writes to you in (`auto`: your Slack language)',
  '`/mesh runbook <id | words>`: look up a runbook',
  '`/mesh status`: queue depth, workers, recent failures',
  '`/mesh audit [n]`: the latest n patch proposals, approvals, refusals, applies and rollbacks (default 10, at most 50)',
  '`/mesh help`: this help',
];

const AUDIT_DEFAULT = 10;
const AUDIT_MAX = 50;

/** Example shown with every usage message. */
export const EXAMPLE = '/mesh diagnose shop/cart';

function target(
  arg: string | undefined,
): { cluster: string | null; namespace: string; workload: string | null } | string {
  if (!arg) return 'name a namespace, for example `shop` or `shop/cart`';
  // `CLUSTER:NAMESPACE[/WORKLOAD]`: the cluster is all before the last colon (EKS names hold colons).
  const colon = arg.lastIndexOf(':');
  const cluster = colon < 0 ? null : arg.slice(0, colon);
  if (cluster !== null && !isClusterName(cluster))
    return `\`${cluster.slice(0, 80)}\` is not a cluster name: use <cluster>:<namespace>[/<workload>]`;
  const rest = colon < 0 ? arg : arg.slice(colon + 1);
  const named = namespaced(rest);
  return typeof named === 'string' ? named : { cluster, ...named };
}

function namespaced(arg: string): { namespace: string; workload: string | null } | string {
  if (!arg) return 'name a namespace after the cluster, for example `prod-eu:shop/cart`';
  const [namespace = '', workload, ...rest] = arg.split('/');
  if (rest.length > 0) return `\`${arg.slice(0, 80)}\` has too many slashes: use <namespace>/<workload>`;
  if (!DNS_LABEL.test(namespace))
    return `\`${namespace.slice(0, 80)}\` is not a valid namespace name (lower-case letters, digits and '-', at most 63)`;
  if (workload !== undefined && !DNS_SUBDOMAIN.test(workload))
    return `\`${workload.slice(0, 80)}\` is not a valid workload name`;
  return { namespace, workload: workload ?? null };
}

/** Parses the text after `/mesh`. Never throws: anything it does not understand is a usage answer. */
export function parseMesh(text: string): MeshCommand {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [verb, ...args] = words;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') return { kind: 'help' };
  const only = (n: number) => (args.length > n ? `unexpected \`${args[n]?.slice(0, 40)}\` after \`${verb}\`` : null);
  switch (verb) {
    case 'diagnose': {
      const extra = only(1);
      if (extra) return { kind: 'usage', problem: extra };
      const t = target(args[0]);
      return typeof t === 'string' ? { kind: 'usage', problem: t } : { kind: 'diagnose', ...t };
    }
    case 'injection':
    case 'config': {
      const extra = only(1);
      if (extra) return { kind: 'usage', problem: extra };
      const t = target(args[0]);
      if (typeof t === 'string') return { kind: 'usage', problem: t };
      return t.workload
        ? { kind: 'usage', problem: `\`${verb}\` takes a namespace only` }
        : { kind: verb, cluster: t.cluster, namespace: t.namespace };
    }
    case 'webhooks': {
      const extra = only(1);
      if (extra) return { kind: 'usage', problem: extra };
      const cluster = args[0]?.replace(/:$/, '') ?? null;
      if (cluster !== null && !isClusterName(cluster))
        return { kind: 'usage', problem: `\`${cluster.slice(0, 80)}\` is not a cluster name` };
      return { kind: 'webhooks', cluster };
    }
    case 'lang': {
      const extra = only(1);
      if (extra) return { kind: 'usage', problem: extra };
      const choice = args[0]?.toLowerCase();
      if (choice === undefined) return { kind: 'lang', choice: null };
      if (choice === 'auto' || isLanguage(choice)) return { kind: 'lang', choice };
      return {
        kind: 'usage',
        problem: `\`${choice.slice(0, 20)}\` is not a language: use one of ${LANGUAGES.join(', ')}, or auto`,
      };
    }
    case 'clusters':
    case 'status': {
      const extra = only(0);
      return extra ? { kind: 'usage', problem: extra } : { kind: verb };
    }
    case 'audit': {
      const extra = only(1);
      if (extra) return { kind: 'usage', problem: extra };
      if (args[0] === undefined) return { kind: 'audit', count: AUDIT_DEFAULT };
      const n = /^\d{1,3}$/.test(args[0]) ? Number(args[0]) : NaN;
      return n >= 1 && n <= AUDIT_MAX
        ? { kind: 'audit', count: n }
        : { kind: 'usage', problem: `\`audit\` takes a number of entries from 1 to ${AUDIT_MAX}` };
    }
    case 'runbook': {
      const query = args.join(' ').slice(0, 200);
      return query
        ? { kind: 'runbook', query }
        : { kind: 'usage', problem: 'name a runbook id or a few words, for example `/mesh runbook 503`' };
    }
    default: {
      if (words.length === 1 && verb.includes('/')) {
        const t = target(verb);
        return typeof t === 'string' ? { kind: 'usage', problem: t } : { kind: 'diagnose', ...t };
      }
      return { kind: 'usage', problem: `unknown sub-command \`${verb.slice(0, 40)}\`` };
    }
  }
}
