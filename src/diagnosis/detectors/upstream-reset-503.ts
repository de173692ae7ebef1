import { virtualServiceRetries } from '../patch-templates';
import type { ClusterView } from '../cluster-view';
import type { AccessRecord } from '../access-log';
import { parseAccessLog } from '../access-log';
import type { Detector, Draft, Phrase } from '../detector';
import type { Translate } from '../../i18n/translate';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { PodTermination } from '../pod-terminations';
import { TERMINATION_NEAR_MS, nearTerminations, podTerminations } from '../pod-terminations';
import { proxyOfLine } from '../proxy-role';
import type { KubeObject } from '../kube-types';
import { occurrencePhrase } from '../log-groups';
import { resolveAddress, serviceOfHost, workloadOfService } from '../services';
import { serviceCalledIn } from '../app-reset';
import { isMixerFailure } from './legacy-mixer-unavailable';
import { NO_HEALTHY_UPSTREAM } from './xds-no-healthy-upstream';
import { isAppContainer } from '../cluster-view';

export const ACCESS_503 = 'envoy-access-503';
export const TERMINATION_TEXT = 'upstream-reset-termination-text';

/** Flags that explain a 503 by something other than an upstream closing the connection. */
const OTHER_CAUSES = ['UH', 'NR', 'UF', 'UO', 'NC', 'LH', 'RL', 'DC'];

function isConnectionTermination(record: AccessRecord | null, line: LogLine): boolean {
  if (isMixerFailure(line) || record?.flags.includes('UAEX')) return false;
  if (line.signatures.includes(TERMINATION_TEXT)) return true;
  if (!record || record.code !== 503) return false;
  if (record.details?.includes('connection_termination')) return true;
  return record.flags.includes('UC') && !record.flags.some((f) => OTHER_CAUSES.includes(f));
}

/** Where the failing requests went: the service host, and the workload behind it when known. */
interface Upstream {
  host: string;
  namespace: string | null;
  service: ObjectRef | null;
  workload: ObjectRef | null;
  /** Set when the line names no upstream: the workload that logged the failure, not the one that reset. */
  caller?: ObjectRef;
  /** Set when a gateway or waypoint reached the upstream pod through an HBONE tunnel (ambient mode). */
  hbone?: boolean;
}

/**
 * The upstream of a record without an outbound cluster (Istio 1.0's format, or a passthrough): the pod or
 * Service behind the upstream host and authority addresses it names.
 */
function upstreamByAddress(view: ClusterView, record: AccessRecord, atMs: number | null): Upstream | null {
  const found = [record.upstreamHost, record.authority]
    .flatMap((a) => (a ? [resolveAddress(view, a, atMs)] : []))
    .filter((r) => r !== null);
  const service = found.find((r) => r.service)?.service ?? null;
  const workload = found.find((r) => r.pod)?.workload ?? found.find((r) => r.workload)?.workload ?? null;
  if (!service && !workload) return null;
  const host = service
    ? `${service.name}.${service.namespace}.svc.cluster.local`
    : `${workload!.name}.${workload!.namespace}`;
  return { host, namespace: service?.namespace ?? workload?.namespace ?? null, service, workload };
}

/**
 * The upstream an application's own log line names, else the application itself (the caller). Lines of the
 * mesh's own containers are not requests: istio-proxy logs the same words when its xDS stream to istiod drops.
 */
function upstreamOfAppLine(view: ClusterView, line: LogLine): Upstream | null {
  if (!isAppContainer(line.container) && line.container !== null) return null;
  if (line.signatures.includes(NO_HEALTHY_UPSTREAM)) return null;
  const called = serviceCalledIn(view, line);
  if (called) return called;
  if (!line.pod) return null;
  const caller = view.workloadOfPodName(line.namespace, line.pod);
  return { host: `upstreams of ${refText(caller)}`, namespace: line.namespace, service: null, workload: null, caller };
}

/**
 * The upstream of a request a gateway or waypoint tunnelled over HBONE (ambient mode): the pod at the
 * tunnel's address and its workload, with the Service the cluster names (`outbound|80||reviews.shop...`,
 * or a waypoint's `inbound-vip|80|http|reviews.shop...`).
 */
function upstreamThroughHbone(view: ClusterView, record: AccessRecord, line: LogLine): Upstream | null {
  const target = record.upstreamHost ? resolveAddress(view, record.upstreamHost, line.ms) : null;
  const svc = record.cluster?.host ? serviceOfHost(record.cluster.host, line.namespace) : null;
  const service: ObjectRef | null = svc?.namespace
    ? { kind: 'Service', namespace: svc.namespace, name: svc.name }
    : null;
  const workload =
    target?.workload ?? (service ? workloadOfService(view, service.namespace ?? '', service.name) : null);
  if (!workload && !service) return null;
  const host = service
    ? `${service.name}.${service.namespace}.svc.cluster.local`
    : `${workload!.name}.${workload!.namespace}`;
  return { host, namespace: service?.namespace ?? workload?.namespace ?? null, service, workload, hbone: true };
}

function upstreamOf(view: ClusterView, record: AccessRecord | null, line: LogLine): Upstream | null {
  if (!record) return upstreamOfAppLine(view, line);
  if (record.hbone) {
    const tunnelled = upstreamThroughHbone(view, record, line);
    if (tunnelled) return tunnelled;
  }
  const cluster = record.upstreamCluster ?? '';
  if (cluster.startsWith('inbound|') && line.pod) {
    const workload = view.workloadOfPodName(line.namespace, line.pod);
    return { host: `${workload.name}.${line.namespace}`, namespace: line.namespace, service: null, workload };
  }
  const named = record.cluster?.direction === 'outbound' || record.cluster?.direction === 'inbound-vip';
  if (!named) {
    const byAddress = upstreamByAddress(view, record, line.ms);
    if (byAddress) return byAddress;
  }
  const destination = record.destination;
  const host = named
    ? record.cluster?.host
    : (record.authority ?? (destination ? `${destination.workload}.${destination.namespace}` : null));
  if (!host) return null;
  const svc = serviceOfHost(host, line.namespace);
  if (!svc?.namespace) return { host, namespace: line.namespace, service: null, workload: null };
  const fqdn = `${svc.name}.${svc.namespace}.svc.cluster.local`;
  const service: ObjectRef = { kind: 'Service', namespace: svc.namespace, name: svc.name };
  const fromLog: ObjectRef | null = destination
    ? { kind: 'Deployment', namespace: destination.namespace, name: destination.workload }
    : null;
  return {
    host: fqdn,
    namespace: svc.namespace,
    service,
    workload: workloadOfService(view, svc.namespace, svc.name) ?? fromLog,
  };
}

/** "waypoint Deployment shop/reviews-waypoint and gateway Deployment istio-system/ingress" for gateways and waypoints. */
function sendersText(view: ClusterView, lines: LogLine[]): string | null {
  const proxies = uniqueRefs(
    lines.flatMap((l) => {
      const p = proxyOfLine(view, l);
      return p && p.role !== 'sidecar' ? [{ ...p.ref, kind: `${p.role} ${p.ref.kind}` }] : [];
    }),
  );
  return proxies.length > 0 ? proxies.map(refText).join(' and ') : null;
}

/** The 503s that came as pods of the upstream terminated: the cause is the shutdown, not a keep-alive race. */
function rolloutFact(
  subject: ObjectRef,
  upstream: Upstream,
  total: number,
  rollout: { lines: LogLine[]; terminations: PodTermination[] },
): Phrase {
  return (t) => {
    const pods = rollout.terminations.map((p) =>
      t('upstream-503.terminating-pod', { pod: p.pod, at: p.time, seen: p.seen }),
    );
    const shown =
      pods.length > 3
        ? t('upstream-503.and-more', { listed: pods.slice(0, 3).join(', '), count: pods.length - 3 })
        : pods.join(', ');
    return t(upstream.hbone ? 'upstream-503.fact.rollout-hbone' : 'upstream-503.fact.rollout', {
      count: rollout.lines.length,
      total,
      minutes: TERMINATION_NEAR_MS / 60_000,
      workload: refText(subject),
      pods: shown,
    });
  };
}

function rolloutSteps(upstream: Upstream, alsoIdle: boolean): Phrase[] {
  return [
    (t) => t('upstream-503.step.retries', { host: upstream.host }),
    (t) => t('upstream-503.step.drain'),
    ...(upstream.hbone ? [(t: Translate) => t('upstream-503.step.ztunnel-logs')] : []),
    ...(alsoIdle ? [(t: Translate) => t('upstream-503.step.also-idle')] : []),
  ];
}

function existingVirtualService(view: ClusterView, host: string, namespace: string) {
  const short = host.split('.')[0] ?? host;
  const vs = view
    .inNamespace<KubeObject & { spec?: { hosts?: string[]; http?: unknown[] } }>('VirtualService', namespace)
    .find((v) => (v.spec?.hosts ?? []).some((h) => h === host || h === short || h === `${short}.${namespace}`));
  if (!vs) return null;
  return {
    ref: { kind: 'VirtualService', namespace, name: vs.metadata?.name ?? '' },
    apiVersion: vs.apiVersion,
    httpRoutes: vs.spec?.http?.length ?? 0,
  };
}

/** Intermittent 503 UC: the upstream closed a kept-alive connection Envoy was about to reuse. */
export const detectUpstreamReset503: Detector = ({ view, entry, nowMs }) => {
  const candidates = [...new Set([...view.logsWith(ACCESS_503), ...view.logsWith(TERMINATION_TEXT)])];
  if (candidates.length === 0) return { drafts: [], detail: 'no 503 access-log lines' };
  const groups = new Map<string, { upstream: Upstream; lines: LogLine[] }>();
  let other = 0;
  for (const line of candidates) {
    const record = parseAccessLog(line);
    if (!isConnectionTermination(record, line)) {
      other++;
      continue;
    }
    const upstream = upstreamOf(view, record, line);
    if (!upstream) continue;
    const k = upstream.host;
    const group = groups.get(k);
    if (group) group.lines.push(line);
    else groups.set(k, { upstream, lines: [line] });
  }
  const drafts: Draft[] = [];
  // A caller whose own sidecar already names the upstream it failed against needs no finding of its own.
  const callersWithUpstream = new Set(
    [...groups.values()]
      .filter((g) => !g.upstream.caller)
      .flatMap((g) => g.lines.flatMap((l) => (l.pod ? [refText(view.workloadOfPodName(l.namespace, l.pod))] : []))),
  );
  for (const { upstream, lines } of groups.values()) {
    if (upstream.caller && callersWithUpstream.has(refText(upstream.caller))) continue;
    lines.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
    const withDetails = lines.find((l) => parseAccessLog(l)?.details?.includes('connection_termination'));
    const ordered = [...new Set([withDetails, ...lines.slice(-2), lines[0]].filter((l): l is LogLine => !!l))];
    const evidence = ordered.slice(0, 3).map((l) => fromLog(l));
    if (upstream.caller) {
      evidence.push(
        fromObject(upstream.caller, (t) =>
          t('upstream-503.evidence.own-log', { seen: occurrencePhrase(lines, nowMs)(t) }),
        ),
      );
      drafts.push({
        resources: [upstream.caller],
        evidence,
        confidence: 0.4 + Math.min(0.1, lines.length * 0.02),
        facts: [(t) => t('upstream-503.fact.caller-only', { workload: refText(upstream.caller as ObjectRef) })],
      });
      continue;
    }
    const subject = upstream.workload ??
      upstream.service ?? { kind: 'Service', namespace: upstream.namespace, name: upstream.host };
    evidence.push(
      fromObject(subject, (t) =>
        t('upstream-503.evidence.towards', { host: upstream.host, seen: occurrencePhrase(lines, nowMs)(t) }),
      ),
    );
    const resources = [subject, ...(upstream.service && upstream.workload ? [upstream.service] : [])];
    const sent = sendersText(view, lines);
    const rollout = upstream.workload
      ? nearTerminations(lines, podTerminations(view, upstream.workload))
      : { lines: [], terminations: [] };
    for (const t of rollout.terminations.slice(0, 2))
      evidence.push(
        fromObject(
          { kind: 'Pod', namespace: subject.namespace, name: t.pod },
          (say) => say('upstream-503.evidence.terminating', { seen: t.seen }),
          t.time,
        ),
      );
    const keepAlive: Phrase = (t) =>
      t('upstream-503.fact.keep-alive', { workload: refText(subject), host: upstream.host });
    const facts: Phrase[] = [
      ...(sent
        ? [
            (t: Translate) =>
              t(upstream.hbone ? 'upstream-503.fact.logged-by-hbone' : 'upstream-503.fact.logged-by', {
                senders: sent,
              }),
          ]
        : []),
      ...(rollout.lines.length > 0 ? [rolloutFact(subject, upstream, lines.length, rollout)] : [keepAlive]),
    ];
    const draft: Draft = {
      resources,
      evidence,
      confidence:
        0.6 + Math.min(0.2, lines.length * 0.03) + (withDetails ? 0.1 : 0) + (rollout.lines.length > 0 ? 0.05 : 0),
      facts,
      ...(rollout.lines.length > 0 ? { steps: rolloutSteps(upstream, rollout.lines.length < lines.length) } : {}),
    };
    if (entry.patch && upstream.namespace) {
      const result = virtualServiceRetries(
        entry.patch,
        upstream.host,
        upstream.namespace,
        existingVirtualService(view, upstream.host, upstream.namespace),
      );
      if ('patch' in result) draft.patches = [result.patch];
    }
    drafts.push(draft);
  }
  return {
    drafts,
    detail: `${candidates.length} 503 line(s): ${candidates.length - other} connection termination, ${other} other causes (UH/NR/UF/...)`,
  };
};
