import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { confidence, fromObject, refText } from '../evidence-items';
import { GATEWAY_API_GROUP, type Condition, type KubeObject } from '../kube-types';
import { isWaypointGateway } from '../ztunnel';
import { statusHttpAttributes } from './ambient-l7-config-without-waypoint';

const ISTIO_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'PeerAuthentication',
  'AuthorizationPolicy',
  'RequestAuthentication',
  'Telemetry',
  'WasmPlugin',
  'EnvoyFilter',
];
const GATEWAY_API_KINDS = [`Gateway.${GATEWAY_API_GROUP}`, 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];
/** Conditions whose False status means the object does not work (Istio's NegativeConditionStatus, IST0171). */
const POSITIVE = new Set(['Accepted', 'Programmed', 'ResolvedRefs', 'Reconciled', 'ResolvedWaypoints']);

interface WithStatus extends KubeObject {
  status?: {
    conditions?: Condition[];
    parents?: { parentRef?: { name?: string; namespace?: string }; conditions?: Condition[] }[];
    validationMessages?: {
      type?: { code?: string; name?: string };
      level?: string;
      documentationUrl?: string;
      description?: string;
    }[];
  };
}

/**
 * Conditions other runbooks report: a waypoint's Programmed (waypoint-not-ready, which also reads its Deployment)
 * and istio.io/WaypointBound (waypoint-not-ready and waypoint-binding-rejected).
 */
function reportedElsewhere(o: WithStatus, c: Condition): boolean {
  return c.type === 'istio.io/WaypointBound' || (c.type === 'Programmed' && isWaypointGateway(o));
}

/** IST0171 on a policy whose only negative condition is ztunnel's HTTP-attributes warning: ambient-l7-config-without-waypoint reports it. */
const ztunnelHttpWarningOnly = (o: WithStatus): boolean =>
  statusHttpAttributes(o.status?.conditions?.find((c) => c.type === 'ZtunnelAccepted')) !== null &&
  !o.status?.conditions?.some((c) => c.type === 'WaypointAccepted' && c.reason !== 'Accepted');
/** The negative status entries of one object: False positive conditions (its own or per route parent) and Istio validation errors. */
export function negativeStatus(o: WithStatus): { text: string; at: string | null }[] {
  const out: { text: string; at: string | null }[] = [];
  const cond = (c: Condition, where: string) => {
    if (c.type === 'ZtunnelAccepted' && statusHttpAttributes(c) !== null) return; // ambient-l7-config-without-waypoint
    if (c.status === 'False' && POSITIVE.has(c.type ?? '') && !reportedElsewhere(o, c))
      out.push({
        text: `${where}${c.type}=False (${c.reason ?? 'no reason'}): ${c.message ?? ''}`.trim(),
        at: c.lastTransitionTime ?? null,
      });
  };
  for (const c of o.status?.conditions ?? []) cond(c, '');
  for (const p of o.status?.parents ?? [])
    for (const c of p.conditions ?? [])
      cond(c, `parent ${p.parentRef?.namespace ? `${p.parentRef.namespace}/` : ''}${p.parentRef?.name ?? '?'}: `);
  for (const m of o.status?.validationMessages ?? [])
    if (m.level === 'ERROR' || m.level === 'WARNING')
      out.push({
        text: `${m.level} ${m.type?.code ?? ''} ${m.description ?? m.type?.name ?? ''}`.replace(/\s+/g, ' ').trim(),
        at: null,
      });
  if (ztunnelHttpWarningOnly(o)) return out.filter((e) => !/^\S+ IST0171\b/.test(e.text)); // ambient-l7-config-without-waypoint
  return out;
}

/** Istio and Gateway API objects whose status says they are not accepted, programmed or resolved. */
export const detectConfigStatusNegative: Detector = ({ view, target }) => {
  const kinds = [...ISTIO_KINDS, ...GATEWAY_API_KINDS].filter((k) => view.captured(k));
  if (kinds.length === 0) return { drafts: [], skipped: 'no Istio or Gateway API objects read', detail: '' };
  const drafts: Draft[] = [];
  let checked = 0;
  for (const kind of kinds)
    for (const o of view.list<WithStatus>(kind)) {
      if (target.namespace && o.metadata?.namespace !== target.namespace) continue;
      checked++;
      const bad = negativeStatus(o);
      if (bad.length === 0) continue;
      const ref = refOf(o, kind);
      const refusal = bad.some((b) => /=False/.test(b.text) || b.text.startsWith('ERROR'));
      drafts.push({
        resources: [ref],
        evidence: bad.slice(0, 3).map((b) => fromObject(ref, b.text, b.at)),
        confidence: confidence(0.9),
        facts: [
          ...bad.map((b) => `${refText(ref)} reports ${b.text}${b.at ? ` (since ${b.at})` : ''}.`),
          'The status is written by istiod: it is the control plane telling that this object is not (fully) in effect.',
        ],
        severity: refusal ? 'warning' : 'info',
      });
    }
  return { drafts, detail: `${checked} Istio and Gateway API object status(es) read` };
};
