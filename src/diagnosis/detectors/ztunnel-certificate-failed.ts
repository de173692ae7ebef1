import { groupBy } from '../../util/group-by';
import { formatDuration } from '../../util/time';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, refText, uniqueRefs } from '../evidence-items';
import type { Pod } from '../kube-types';
import { managedMesh, managedMeshText } from '../mesh-kind';
import { nodeOf } from '../ztunnel';
import {
  CERT_FETCH_FAILED,
  istiodAddress,
  istiodState,
  listed,
  nodeOfPod,
  podOnNode,
  podsOfIdentity,
  ztunnelDaemonSetOf,
  ztunnelLinesWith,
  ztunnelSpec,
} from '../ztunnel-control';

/** Slack past the announced retry before silence counts as success (clock skew, log shipping). */
const RETRY_GRACE_MS = 30_000;

/** A Rust Duration as ztunnel prints it (`1.041s`, `150s`, `812ms`, `1m`), in ms; null when unknown. */
export function durationMs(text: string | undefined): number | null {
  const m = text ? /^([0-9.]+)(ns|µs|us|ms|s|m)$/.exec(text) : null;
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms'];
  return Number.isFinite(n) ? n * unit : null;
}

interface Failure {
  line: LogLine;
  identity: string;
  error: string;
  retryMs: number | null;
}

function failureOf(line: LogLine): Failure | null {
  const identity = /\bid=(spiffe:\/\/\S+)/.exec(line.text)?.[1];
  if (!identity) return null;
  const error =
    /certificate fetch failed \((.*)\)(?: and no valid existing certificate|, retrying in)/.exec(line.text)?.[1] ?? '';
  const retry = /(?:will retry in|retrying in) ([0-9.]+[a-zµ]+)/.exec(line.text)?.[1];
  return { line, identity, error, retryMs: durationMs(retry) };
}

/** One ztunnel pod that has no certificate for one identity. */
interface Missing {
  namespace: string | null;
  pod: string;
  identity: string;
  failures: Failure[];
}

/** The retry after the last failure was due while the logs still ran and no failure followed: it worked. */
function recovered(m: Missing, nowMs: number | null): boolean {
  const last = m.failures[m.failures.length - 1]!;
  if (nowMs === null || last.line.ms === null || last.retryMs === null) return false;
  return nowMs > last.line.ms + last.retryMs + RETRY_GRACE_MS;
}

type CauseKind = 'unreachable' | 'refused-token' | 'other';

function causeKind(error: string): CauseKind {
  if (
    /connect|dns error|lookup|Connection refused|No route|timed out|deadline|unavailable|broken pipe|reset/i.test(error)
  )
    return 'unreachable';
  if (/authenticat|Unauthenticated|PermissionDenied|permission|token/i.test(error)) return 'refused-token';
  return 'other';
}

function causeFacts(
  view: ClusterView,
  kind: CauseKind,
  error: string,
  caAddress: string | null,
  managed: boolean,
): string[] {
  const where = caAddress ? ` at ${caAddress}` : '';
  if (managed || (caAddress && /googleapis\.com|meshca|privateca/.test(caAddress))) {
    const mesh = managedMesh(view);
    return [
      `ztunnel gets its certificates from a managed CA${where}; the request fails with: ${error}. Check the mesh's CA configuration (Mesh CA or CA Service pool, workload identity pool) and the managed data plane status.${mesh ? ` ${managedMeshText(mesh)}` : ''}`,
    ];
  }
  if (kind === 'unreachable') return [`ztunnel cannot reach the CA${where}: ${error}.`];
  if (kind === 'refused-token')
    return [
      `The CA${where} refuses ztunnel's request (${error}): check ztunnel's service-account token (audience istio-ca), the trust domain, and that this CA belongs to the running control plane.`,
    ];
  return [`The CA${where} answers with an error: ${error}.`];
}

/** ztunnel cannot get certificates for some identities and has none still valid. */
export const detectZtunnelCertificateFailed: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const lines = ztunnelLinesWith(view, CERT_FETCH_FAILED);
  if (lines.length === 0) {
    if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs read', detail: '' };
    return { drafts: [], detail: "no 'certificate fetch failed' lines from ztunnel pods" };
  }
  const failures = lines.map(failureOf).filter((f): f is Failure => f !== null);
  const byKey = groupBy(failures, (f) => `${f.line.namespace ?? ''}\u0000${f.line.pod}\u0000${f.identity}`);
  const missing: Missing[] = [...byKey.values()].map((group) => ({
    namespace: group[0]!.line.namespace,
    pod: group[0]!.line.pod!,
    identity: group[0]!.identity,
    failures: group,
  }));
  const failing = missing.filter((m) => !recovered(m, nowMs));
  const drafts: Draft[] = [];
  for (const group of groupBy(failing, (m) => refText(ztunnelDaemonSetOf(view, m.namespace, m.pod))).values()) {
    const lead = group[0]!;
    const ds = ztunnelDaemonSetOf(view, lead.namespace, lead.pod);
    const newest = group.flatMap((m) => m.failures).sort((a, b) => (b.line.ms ?? 0) - (a.line.ms ?? 0))[0]!;
    const spec = ztunnelSpec(view, ds, lead.pod);
    const caAddress = istiodAddress(undefined, spec, 'CA_ADDRESS') ?? istiodAddress(undefined, spec, 'XDS_ADDRESS');
    const kind = causeKind(newest.error);
    const managed = managedMesh(view) !== null;
    const facts: string[] = [];
    const affected: ObjectRef[] = [];
    for (const [podKey, ofPod] of groupBy(group, (m) => `${m.namespace ?? ''}\u0000${m.pod}`)) {
      const [, podName] = podKey.split('\u0000') as [string, string];
      const node = nodeOfPod(view, ofPod[0]!.namespace, podName);
      const parts = ofPod.map((m) => {
        const first = m.failures[0]!.line;
        const last = m.failures[m.failures.length - 1]!;
        const span = first === last.line ? `at ${first.time}` : `from ${first.time} to ${last.line.time}`;
        const next = last.retryMs !== null ? `, next retry in ${formatDuration(last.retryMs)}` : '';
        return `${m.identity} (${m.failures.length} failure(s) ${span}${next})`;
      });
      facts.push(
        `ztunnel ${podOnNode(view, ofPod[0]!.namespace, podName)} has no valid certificate for ${ofPod.length} identit${ofPod.length === 1 ? 'y' : 'ies'}: ${parts.join('; ')}.`,
      );
      const refs = ofPod.flatMap((m) => {
        const found = podsOfIdentity(view, m.identity);
        return (found?.pods ?? []).filter((p: Pod) => !node || nodeOf(p) === node).map((p) => view.workloadOfPod(p));
      });
      const unique = uniqueRefs(refs);
      if (unique.length > 0) {
        facts.push(
          `Their pods on ${node ? `node ${node}` : 'that node'} cannot send or accept mesh (mTLS) traffic until ztunnel gets the certificate: ${listed(unique.map(refText))}.`,
        );
      }
      affected.push(...unique);
    }
    facts.push(...causeFacts(view, kind, newest.error, caAddress, managed));
    let atFault: ObjectRef[] = [];
    const evidence = [fromLog(newest.line)];
    if (kind === 'unreachable' && !managed && !(caAddress && /googleapis\.com/.test(caAddress))) {
      const zPod = view.get<Pod>('Pod', lead.namespace, lead.pod);
      const istiod = istiodState(view, controlPlaneNamespaces, caAddress, zPod);
      facts.push(...istiod.facts);
      evidence.push(...istiod.evidence);
      atFault = istiod.atFault;
    }
    const oldest = group.flatMap((m) => m.failures).sort((a, b) => (a.line.ms ?? 0) - (b.line.ms ?? 0))[0]!;
    if (oldest !== newest) evidence.splice(1, 0, fromLog(oldest.line, 'first failure: '));
    drafts.push({
      resources: uniqueRefs([ds, ...atFault, ...affected]).slice(0, 12),
      evidence,
      confidence: 0.8 + (atFault.length > 0 ? 0.1 : 0) + (affected.length > 0 ? 0.05 : 0),
      facts,
    });
  }
  const healed = missing.length - failing.length;
  const detail =
    `${lines.length} 'certificate fetch failed' line(s) for ${missing.length} identit(ies) on ${new Set(missing.map((m) => m.pod)).size} ztunnel pod(s)` +
    (healed > 0 ? `; ${healed} recovered (no failure after the announced retry)` : '');
  return { drafts, detail };
};
