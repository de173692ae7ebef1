import { noSymptomFact } from '../access-symptoms';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { confidence, fromLog, fromObject, refText, uniqueRefs } from '../evidence-items';
import { gatewaysScopedToNamespace, inTarget, podsOfGateway, type GatewayServer, type IstioGateway } from '../gateways';
import type { KubeObject } from '../kube-types';
import { occurrenceText } from '../log-groups';
import { changeFact } from '../routing';
import { toMs } from '../../util/time';

/** The istiod signature of a credential it cannot serve to a gateway over SDS. */
export const SDS_FETCH_FAILED = 'gateway-sds-fetch-failed';

/** A Secret as evidence keeps it: type, key names and the public facts of its certificate. */
export interface ReducedSecret extends KubeObject {
  type?: string;
  keys?: string[];
  certificate?: { subject?: string; issuer?: string; sans?: string[]; notBefore?: string; notAfter?: string };
  certificateError?: string;
}

/** Server TLS modes that read a credentialName (PASSTHROUGH and ISTIO_MUTUAL never do). */
const CREDENTIAL_MODES = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

/** Whether a certificate name (SAN, possibly `*.domain`) covers a host, as TLS clients match it. */
export function sanCovers(san: string, host: string): boolean {
  const s = san.toLowerCase();
  const h = host.toLowerCase();
  if (s === h) return true;
  if (!s.startsWith('*.')) return false;
  if (h.startsWith('*.')) return h.slice(1) === s.slice(1);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === s.slice(1);
}

/** What is wrong with a credential Secret for one server, or null when it serves. */
export function credentialProblems(
  server: GatewayServer,
  secret: ReducedSecret,
  caSecret: ReducedSecret | undefined,
  nowMs: number | null,
): string[] {
  const keys = new Set(secret.keys ?? []);
  const problems: string[] = [];
  const hasPair = (keys.has('tls.crt') && keys.has('tls.key')) || (keys.has('cert') && keys.has('key'));
  if (!hasPair) problems.push(`has keys ${[...keys].join(', ') || 'none'}, not tls.crt and tls.key (or cert and key)`);
  const mutual = server.tls?.mode === 'MUTUAL' || server.tls?.mode === 'OPTIONAL_MUTUAL';
  const caKeys = new Set([...keys, ...(caSecret?.keys ?? [])]);
  if (mutual && !caKeys.has('ca.crt') && !caKeys.has('cacert'))
    problems.push(
      `has no ca.crt or cacert key (nor a ${secret.metadata?.name ?? ''}-cacert Secret) for ${server.tls?.mode} TLS`,
    );
  if (secret.certificateError) problems.push(`holds no readable certificate (${secret.certificateError})`);
  const cert = secret.certificate;
  if (cert && hasPair) {
    const notAfter = toMs(cert.notAfter);
    const notBefore = toMs(cert.notBefore);
    if (nowMs !== null && notAfter !== null && notAfter < nowMs)
      problems.push(`holds a certificate that expired at ${cert.notAfter}`);
    else if (nowMs !== null && notBefore !== null && notBefore > nowMs)
      problems.push(`holds a certificate not valid before ${cert.notBefore}`);
    const hosts = (server.hosts ?? []).map((h) => h.slice(h.indexOf('/') + 1)).filter((h) => h !== '*');
    const sans = cert.sans ?? [];
    const uncovered = hosts.filter((h) => !sans.some((s) => sanCovers(s, h)));
    if (sans.length > 0 && uncovered.length > 0 && uncovered.length === hosts.length)
      problems.push(`holds a certificate for ${sans.join(', ')}, which does not cover ${uncovered.join(', ')}`);
  }
  return problems;
}

function sdsLinesFor(view: Parameters<Detector>[0]['view'], name: string): LogLine[] {
  const pattern = new RegExp(`kubernetes://${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-cacert)?([^-a-z0-9.]|$)`);
  return view.logsWith(SDS_FETCH_FAILED).filter((l) => pattern.test(l.text));
}

/**
 * Istio Gateway servers whose credentialName has no usable Secret in the gateway workload's namespace:
 * missing, only in another namespace, without the expected keys, or with a certificate that is expired, not
 * yet valid or not for the server's hosts. istiod's SDS errors for the credential raise the severity.
 */
export const detectGatewayTlsCredentialInvalid: Detector = ({ view, target, controlPlaneNamespaces, nowMs }) => {
  if (!view.captured('Gateway')) return { drafts: [], skipped: 'no Istio Gateways read', detail: '' };
  if (!view.captured('Secret'))
    return { drafts: [], skipped: 'Secrets not read (the optional Secret metadata permission)', detail: '' };
  if (!view.captured('Pod')) return { drafts: [], skipped: 'no pods read', detail: '' };
  const scoped = gatewaysScopedToNamespace(view, controlPlaneNamespaces);
  const drafts: Draft[] = [];
  let checked = 0;
  const secretsRead = new Set(view.list('Secret').map((s) => s.metadata?.namespace ?? ''));
  const unread = new Set<string>();
  for (const gw of inTarget<IstioGateway>(view, 'Gateway', target)) {
    const pods = podsOfGateway(view, gw, scoped);
    const namespaces = [...new Set(pods.map((p) => p.metadata?.namespace ?? ''))];
    const gwRef = refOf(gw, 'Gateway');
    for (const server of gw.spec?.servers ?? []) {
      const name = server.tls?.credentialName;
      if (!name || !CREDENTIAL_MODES.has(server.tls?.mode ?? 'SIMPLE')) continue;
      for (const ns of namespaces) {
        // The gateway's namespace always holds Secrets (istio-ca-secret, Helm releases): none read means none could be.
        if (!secretsRead.has(ns)) {
          unread.add(ns);
          continue;
        }
        checked++;
        const secret = view.get<ReducedSecret>('Secret', ns, name);
        const workloads = uniqueRefs(
          pods.filter((p) => p.metadata?.namespace === ns).map((p) => view.workloadOfPod(p)),
        );
        const port = `port ${server.port?.number ?? '?'} (${(server.hosts ?? []).join(', ')})`;
        const facts: string[] = [];
        const resources: ObjectRef[] = [gwRef];
        if (!secret) {
          const elsewhere = view.list<ReducedSecret>('Secret').filter((s) => s.metadata?.name === name);
          const where = elsewhere.map((s) => s.metadata?.namespace ?? '?');
          facts.push(
            where.length > 0
              ? `${refText(gwRef)} ${port} names credentialName ${name}, which exists only in namespace(s) ${where.join(', ')}; the gateway ${workloads.map(refText).join(', ')} reads Secrets from ${ns} only (IST0101).`
              : `${refText(gwRef)} ${port} names credentialName ${name}, but no Secret ${ns}/${name} exists in the gateway's namespace (IST0101).`,
          );
          resources.push(...elsewhere.map((s) => refOf(s, 'Secret')));
        } else {
          const ca = view.get<ReducedSecret>('Secret', ns, `${name}-cacert`);
          const problems = credentialProblems(server, secret, ca, nowMs);
          if (problems.length === 0) continue;
          const secretRef = refOf(secret, 'Secret');
          facts.push(
            ...problems.map((p) => `${refText(secretRef)}, the credential of ${refText(gwRef)} ${port}, ${p}.`),
          );
          resources.push(secretRef);
          const changed = changeFact(secret, 'Secret');
          if (changed) facts.push(changed);
        }
        resources.push(...workloads);
        const lines = sdsLinesFor(view, name);
        const evidence = [fromObject(gwRef, `${port}: credentialName ${name} is not usable in namespace ${ns}`)];
        if (lines.length > 0) {
          facts.push(`istiod could not serve the credential to the gateway: ${occurrenceText(lines, nowMs)}.`);
          evidence.unshift(fromLog(lines[lines.length - 1]!, `${lines.length} SDS error(s); latest: `));
        } else facts.push(noSymptomFact(view));
        const changed = changeFact(gw, 'Gateway');
        if (changed) facts.push(changed);
        const draft: Draft = {
          resources: uniqueRefs(resources),
          evidence,
          confidence: confidence(lines.length > 0 ? 0.95 : 0.8),
          facts,
        };
        if (lines.length === 0) draft.severity = 'warning';
        drafts.push(draft);
      }
    }
  }
  const left = unread.size > 0 ? `; no Secret read in ${[...unread].sort().join(', ')}, not checked` : '';
  return {
    drafts,
    detail: `${checked} Gateway credential(s) checked against the Secrets in the gateways' namespaces${left}`,
  };
};
