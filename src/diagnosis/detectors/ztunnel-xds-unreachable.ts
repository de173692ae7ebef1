import { groupBy } from '../../util/group-by';
import { formatDuration, toIso } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, refText, uniqueRefs } from '../evidence-items';
import type { Pod } from '../kube-types';
import {
  WORKLOAD_WAIT_TIMEOUT,
  XDS_CONNECTION_ERROR,
  XDS_STREAM_ESTABLISHED,
  ambientWorkloadsOn,
  istiodAddress,
  istiodState,
  listed,
  nodeOfPod,
  podOnNode,
  ztunnelDaemonSetOf,
  ztunnelLinesWith,
  ztunnelSpec,
} from '../ztunnel-control';

/** ztunnel's xDS backoff is capped at 15s: errors that stop for this long mean it connected (or the pod is gone). */
const QUIET_MS = 60_000;
/** An outage that ended is still worth a warning when errors lasted this long. */
const LONG_OUTAGE_MS = 60_000;
/** This many outages, each ended by a reconnect, within FLAP_WINDOW_MS: the stream keeps dropping (istiod crash-looping). */
const FLAP_COUNT = 4;
const FLAP_WINDOW_MS = 10 * 60_000;

/** A run of connection errors of one ztunnel pod, up to the reconnect that ended it. */
interface Outage {
  namespace: string | null;
  pod: string;
  errors: LogLine[];
  /** The 'Stream established' line that ended it, or null. */
  reconnect: LogLine | null;
  /** True while no reconnect is seen and errors reach up to the newest evidence. */
  ongoing: boolean;
  /** One of FLAP_COUNT outages or more within FLAP_WINDOW_MS on this pod. */
  flapping: boolean;
}

function outagesOf(view: ClusterView, errors: LogLine[], nowMs: number | null): Outage[] {
  const first = errors[0]!;
  const reconnects = view
    .logsOfPod(first.namespace, first.pod!)
    .filter((l) => l.signatures.includes(XDS_STREAM_ESTABLISHED) && l.ms !== null)
    .sort((a, b) => a.ms! - b.ms!);
  const outages: Outage[] = [];
  let current: LogLine[] = [];
  const close = (reconnect: LogLine | null) => {
    if (current.length === 0) return;
    const last = current[current.length - 1]!;
    const quiet = reconnect === null && nowMs !== null && last.ms !== null && nowMs - last.ms > QUIET_MS;
    outages.push({
      namespace: first.namespace,
      pod: first.pod!,
      errors: current,
      reconnect,
      ongoing: reconnect === null && !quiet,
      flapping: false,
    });
    current = [];
  };
  for (const error of errors) {
    const prev = current[current.length - 1];
    const between = prev
      ? reconnects.find((r) => r.ms! >= (prev.ms ?? 0) && error.ms !== null && r.ms! <= error.ms)
      : undefined;
    if (between) close(between);
    current.push(error);
  }
  const last = current[current.length - 1];
  close(last ? (reconnects.find((r) => last.ms !== null && r.ms! >= last.ms) ?? null) : null);
  const starts = outages.map((o) => o.errors[0]?.ms ?? null);
  for (let i = FLAP_COUNT - 1; i < outages.length; i++) {
    const [from, to] = [starts[i - FLAP_COUNT + 1], starts[i]];
    if (from === null || from === undefined || to === null || to === undefined || to - from > FLAP_WINDOW_MS) continue;
    for (let j = i - FLAP_COUNT + 1; j <= i; j++) outages[j]!.flapping = true;
  }
  return outages;
}

function durationOf(o: Outage): number {
  const first = o.errors[0]?.ms ?? 0;
  const end = o.reconnect?.ms ?? o.errors[o.errors.length - 1]?.ms ?? first;
  return end - first;
}

/** Reported: still going (two errors or more), or ended after a long run of errors. */
function reported(o: Outage): boolean {
  if (o.flapping) return true;
  return o.ongoing ? o.errors.length >= 2 : o.errors.length >= 3 && durationOf(o) >= LONG_OUTAGE_MS;
}

/** The inner cause ztunnel gives ("source: ..."), shortened, and what it usually means. */
function causeHint(text: string): string | null {
  const source = /source: (.*?), retrying in/.exec(text)?.[1] ?? /: ([^:]*error[^,]*), retrying in/.exec(text)?.[1];
  if (/Connection refused/i.test(text))
    return `The connection is refused (${source ?? 'Connection refused'}): nothing listens behind the address, usually istiod is not ready or its Service has no endpoints.`;
  if (/dns error|failed to lookup/i.test(text))
    return `The istiod host name does not resolve (${source ?? 'dns error'}): the address names a Service that does not exist (a removed revision?) or cluster DNS is failing.`;
  if (/No route to host|timed out|deadline has elapsed|Connection reset/i.test(text))
    return `The connection does not get through (${source ?? 'timeout'}): a NetworkPolicy, firewall or node network drops traffic to port 15012.`;
  if (/certificate|tls|handshake/i.test(text))
    return `The TLS handshake with istiod fails (${source ?? 'TLS error'}): ztunnel and istiod do not trust the same root certificate.`;
  return source ? `ztunnel reports: ${source}.` : null;
}

/** `checkout.shop (checkout-7d9f8b6c5-x2kqp)` -> `shop/checkout-7d9f8b6c5-x2kqp`. */
function timedOutPod(line: LogLine): string | null {
  const m = /waiting for workload '[^.' ]+\.([^ ']+) \(([^)']+)\)'/.exec(line.text);
  return m?.[1] && m[2] ? `${m[1]}/${m[2]}` : null;
}

/** `checkout.shop (checkout-7d9f8b6c5-x2kqp)` -> the pod's workload. */
function timedOutWorkload(view: ClusterView, line: LogLine): ObjectRef | null {
  const m = /waiting for workload '[^.' ]+\.([^ ']+) \(([^)']+)\)'/.exec(line.text);
  if (!m?.[1] || !m[2]) return null;
  return view.workloadOfPodName(m[1], m[2]);
}

/** One sentence per ztunnel pod: its errors, first and last, and how its last outage ended. */
function podText(view: ClusterView, outages: Outage[], nowMs: number | null): string {
  const o = outages[outages.length - 1]!;
  const errors = outages.flatMap((x) => x.errors);
  const first = errors[0]!;
  const last = errors[errors.length - 1]!;
  const span =
    last.ms !== null && first.ms !== null && last.ms > first.ms ? ` over ${formatDuration(last.ms - first.ms)}` : '';
  const runs = outages.length > 1 ? ` in ${outages.length} outages with reconnects in between` : '';
  const times = `${errors.length} connection error(s)${runs} from ${first.time ?? '?'} to ${last.time ?? '?'}${span}`;
  const end = o.reconnect
    ? `, reconnected at ${o.reconnect.time}`
    : o.ongoing
      ? ', no reconnect since'
      : nowMs !== null && last.ms !== null
        ? `, quiet for ${formatDuration(nowMs - last.ms)} before the newest evidence`
        : '';
  return `${podOnNode(view, o.namespace, o.pod)}: ${times}${end}.`;
}

/** ztunnel cannot open its xDS stream to istiod (port 15012). */
export const detectZtunnelXdsUnreachable: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const errors = ztunnelLinesWith(view, XDS_CONNECTION_ERROR);
  if (errors.length === 0) {
    if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs read', detail: '' };
    return { drafts: [], detail: "no 'XDS client connection error' lines from ztunnel pods" };
  }
  const byPod = groupBy(errors, (l) => `${l.namespace ?? ''}\u0000${l.pod}`);
  const outages = [...byPod.values()].flatMap((lines) => outagesOf(view, lines, nowMs));
  const kept = outages.filter(reported);
  const ignored = outages.length - kept.length;
  const timeouts = ztunnelLinesWith(view, WORKLOAD_WAIT_TIMEOUT);
  const drafts: Draft[] = [];
  const byDaemonSet = groupBy(kept, (o) => refText(ztunnelDaemonSetOf(view, o.namespace, o.pod)));
  for (const group of byDaemonSet.values()) {
    const lead = group[0]!;
    const ds = ztunnelDaemonSetOf(view, lead.namespace, lead.pod);
    const ongoing = group.filter((o) => o.ongoing);
    const nodes = new Set(group.map((o) => nodeOfPod(view, o.namespace, o.pod)).filter((n): n is string => n !== null));
    const newest = [...group.flatMap((o) => o.errors)].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0))[0]!;
    const spec = ztunnelSpec(view, ds, lead.pod);
    const address = istiodAddress(newest, spec, 'XDS_ADDRESS');
    const zPod = view.get<Pod>('Pod', lead.namespace, lead.pod);
    const istiod = istiodState(view, controlPlaneNamespaces, address, zPod);
    const affected = ambientWorkloadsOn(view, nodes);
    const podTimeouts = timeouts.filter((t) =>
      group.some((o) => o.pod === t.pod && o.namespace === t.namespace && (o.errors[0]?.ms ?? 0) <= (t.ms ?? 0)),
    );
    const starvedPods = [...new Set(podTimeouts.map((t) => timedOutPod(t)).filter((p): p is string => p !== null))];
    const starved = uniqueRefs(
      podTimeouts.map((t) => timedOutWorkload(view, t)).filter((r): r is ObjectRef => r !== null),
    );
    const facts = [
      `ztunnel of ${refText(ds)} cannot reach istiod${address ? ` at ${address}` : ''} on ${new Set(group.map((o) => o.pod)).size} node(s); ${ongoing.length > 0 ? `${ongoing.length} still failing` : 'all have reconnected since'}.`,
      ...[...groupBy(group, (o) => `${o.namespace ?? ''}\u0000${o.pod}`).values()].map((os) =>
        podText(view, os, nowMs),
      ),
    ];
    const flapping = new Set(group.filter((o) => o.flapping).map((o) => o.pod));
    if (flapping.size > 0) {
      facts.push(
        `The stream keeps dropping on ${listed([...flapping])}: ${FLAP_COUNT} outages or more within ${formatDuration(FLAP_WINDOW_MS)}, as when istiod restarts again and again.`,
      );
    }
    const hint = causeHint(newest.text);
    if (hint) facts.push(hint);
    facts.push(...istiod.facts);
    if (affected.length > 0) {
      facts.push(
        `${affected.length} ambient workload(s) on ${nodes.size === 1 ? 'that node' : 'those nodes'} get no new configuration (endpoints, policies, new pods) while the stream is down: ${listed(affected.map(refText))}.`,
      );
    }
    if (starved.length > 0) {
      facts.push(
        `ztunnel gave up waiting for pod(s) istiod never sent it (timed out waiting for workload ... from xds): ${listed(starvedPods)} of ${listed(starved.map(refText))}; they cannot connect until ztunnel gets their configuration.`,
      );
    }
    const oldest = [...group.flatMap((o) => o.errors)].sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0]!;
    const evidence = [
      fromLog(newest),
      ...(oldest !== newest ? [fromLog(oldest, 'first error: ')] : []),
      ...istiod.evidence,
      ...podTimeouts.slice(-1).map((t) => fromLog(t)),
    ];
    const draft: Draft = {
      resources: uniqueRefs([ds, ...istiod.atFault, ...starved, ...affected]).slice(0, 12),
      evidence,
      confidence: 0.75 + (istiod.down ? 0.15 : 0) + (podTimeouts.length > 0 ? 0.05 : 0),
      facts,
    };
    if (ongoing.length === 0 && flapping.size === 0) {
      draft.severity = 'warning';
      const lastReconnect = group
        .map((o) => o.reconnect?.ms ?? null)
        .filter((t): t is number => t !== null)
        .sort((a, b) => b - a)[0];
      draft.facts = [
        ...facts,
        `Lower severity: every ztunnel reconnected${lastReconnect !== undefined ? ` (last at ${toIso(lastReconnect)})` : ''}; the outage is over, but it can return while its cause stays.`,
      ];
    }
    drafts.push(draft);
  }
  const detail =
    `${errors.length} 'XDS client connection error' line(s) from ${byPod.size} ztunnel pod(s)` +
    (ignored > 0 ? `; ${ignored} brief error run(s) followed by a reconnect ignored` : '');
  return { drafts, detail };
};
