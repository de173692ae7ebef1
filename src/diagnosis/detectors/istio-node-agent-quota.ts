import type { ClusterView } from '../cluster-view';
import { podDataplane, REDIRECTION_ANNOTATION } from '../dataplane';
import type { Detector, Draft } from '../detector';
import type { MeshEvent, ObjectRef } from '../evidence';
import { confidence, fromEvent, fromObject, refText } from '../evidence-items';
import { createFailures, NODE_AGENT_DAEMONSETS } from '../failed-create';
import type { KubeObject, Pod, Workload } from '../kube-types';
import { labelsCarry, workloadsOfPods } from '../routing';
import { nodeOf } from '../ztunnel';

const RUNBOOK = 'istio-node-agent-quota';
const PRIORITY_CLASS = 'system-node-critical';

interface ScopedQuota extends KubeObject {
  spec?: {
    scopeSelector?: { matchExpressions?: { scopeName?: string; operator?: string; values?: string[] }[] };
  };
}

interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  numberReady?: number;
}

/** True when a ResourceQuota's scope admits pods of the system-node-critical priority class. */
export function admitsNodeCritical(quota: KubeObject): boolean {
  return ((quota as ScopedQuota).spec?.scopeSelector?.matchExpressions ?? []).some(
    (e) =>
      e.scopeName === 'PriorityClass' &&
      (e.operator === 'Exists' || (e.operator === 'In' && (e.values ?? []).includes(PRIORITY_CLASS))),
  );
}

const live = (p: Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** The nodes the DaemonSet should run on (its nodeSelector) that run none of its pods; from the pods' nodes when Nodes were not read. */
function nodesWithout(view: ClusterView, ds: Workload, ref: ObjectRef): string[] {
  const covered = new Set(
    view
      .podsOfWorkload(ref)
      .filter(live)
      .map(nodeOf)
      .filter((n): n is string => n !== null),
  );
  const selector =
    (ds.spec?.template?.spec as { nodeSelector?: Record<string, string> } | undefined)?.nodeSelector ?? {};
  const nodes = view.captured('Node')
    ? view
        .list('Node')
        .filter((n) => labelsCarry(selector, n.metadata?.labels))
        .map((n) => n.metadata?.name ?? '')
    : [...new Set(view.pods().map(nodeOf))].filter((n): n is string => n !== null);
  return nodes.filter((n) => n && !covered.has(n)).sort();
}

function eventsText(events: MeshEvent[]): string {
  const count = events.reduce((sum, e) => sum + Math.max(1, e.count), 0);
  const times = events.flatMap((e) => [e.firstTime, e.time]).filter((t): t is string => !!t);
  times.sort();
  const span = times.length > 0 ? `, from ${times[0]} to ${times[times.length - 1]}` : '';
  return `${count} time(s)${span}`;
}

function steps(namespace: string, name: string): string[] {
  const quota = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'istio-node-critical', namespace },
    spec: {
      hard: { pods: '5000' },
      scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: [PRIORITY_CLASS] }] },
    },
  };
  return [
    `Add a ResourceQuota that admits ${PRIORITY_CLASS} pods in ${namespace}: echo '${JSON.stringify(quota)}' | kubectl apply -f -. The DaemonSet controller retries and creates the missing pods.`,
    'Or upgrade to Istio 1.26 or later and install ztunnel and istio-cni with the GKE platform profile (helm --set global.platform=gke), whose charts create that ResourceQuota.',
    `Check: kubectl -n ${namespace} rollout status daemonset/${name}; then restart the ambient pods on those nodes whose ${REDIRECTION_ANNOTATION} annotation is missing or pending.`,
  ];
}

/**
 * The ztunnel or istio-cni-node DaemonSet refused pods for their system-node-critical priority class (no ResourceQuota
 * admitting it in the namespace, as on GKE): its FailedCreate events while it still has fewer pods than nodes, the nodes
 * without the agent and the ambient workloads on them.
 */
export const detectIstioNodeAgentQuota: Detector = ({ view, catalog }) => {
  if (!view.captured('DaemonSet')) return { drafts: [], skipped: 'DaemonSets were not read', detail: '' };
  const agents = view.list<Workload>('DaemonSet').filter((ds) => NODE_AGENT_DAEMONSETS.test(ds.metadata?.name ?? ''));
  if (agents.length === 0) return { drafts: [], detail: 'no ztunnel or istio-cni-node DaemonSet in the evidence' };
  const drafts: Draft[] = [];
  for (const failure of createFailures(view, catalog).get(RUNBOOK) ?? []) {
    const ds = view.object<Workload>(failure.owner);
    if (!ds) continue;
    const ref = failure.owner;
    const namespace = ref.namespace ?? '';
    const status = (ds.status ?? {}) as DaemonSetStatus;
    const desired = status.desiredNumberScheduled ?? 0;
    const current = status.currentNumberScheduled ?? 0;
    if (desired <= current) continue;
    const quotas = view
      .list('ResourceQuota')
      .filter((q) => q.metadata?.namespace === namespace && admitsNodeCritical(q));
    if (quotas.length > 0) continue;
    const isZtunnel = ref.name === 'ztunnel';
    const agent = isZtunnel ? 'ztunnel' : 'istio-cni node agent';
    const nodes = nodesWithout(view, ds, ref);
    const stranded = view
      .pods()
      .filter(live)
      .filter((p) => nodes.includes(nodeOf(p) ?? ''))
      .filter((p) => {
        const mode = podDataplane(view, p).mode;
        return mode === 'ambient' || mode === 'ambient-waypoint';
      });
    const workloads = workloadsOfPods(view, stranded);
    const captured = stranded.filter((p) => p.metadata?.annotations?.[REDIRECTION_ANNOTATION] === 'enabled');
    const bypassing = stranded.filter((p) => !captured.includes(p));
    const effects = [
      ...(isZtunnel && captured.length > 0
        ? [
            `${workloadsOfPods(view, captured).map(refText).join(', ')} ${captured.length === 1 ? 'is' : 'are'} redirected to a ztunnel ${captured.length === 1 ? 'its' : 'their'} node does not run, so they can neither send nor receive traffic`,
          ]
        : []),
      ...(bypassing.length > 0
        ? [
            `${workloadsOfPods(view, bypassing).map(refText).join(', ')} ${bypassing.length === 1 ? 'was' : 'were'} never handed to ztunnel (no ${REDIRECTION_ANNOTATION}: enabled), so ${bypassing.length === 1 ? 'its' : 'their'} traffic bypasses the mesh, its mTLS and its policies`,
          ]
        : []),
    ];
    const affected = effects.length > 0;
    const facts = [
      `${refText(ref)} wants ${desired} pod(s) and has ${current} (${status.numberReady ?? 0} ready): ${desired - current} node(s) have no ${agent}.`,
      `The API server refuses its pods for the ${PRIORITY_CLASS} priority class, ${eventsText(failure.events)}: "${failure.events[0]?.message ?? ''}"`,
      view.captured('ResourceQuota')
        ? `No ResourceQuota in ${namespace} has a PriorityClass scope that admits ${PRIORITY_CLASS}: the cluster limits that class to namespaces with such a quota (GKE ships one only in kube-system).`
        : `ResourceQuotas were not read: check that none in ${namespace} has a PriorityClass scope admitting ${PRIORITY_CLASS}.`,
      ...(nodes.length > 0 ? [`Nodes without ${agent}: ${nodes.join(', ')}.`] : []),
      affected
        ? `Ambient pods on those nodes (${stranded.length}): ${effects.join('; ')}.`
        : `No ambient pod on those nodes is affected yet; pods scheduled there will be (${isZtunnel ? 'no ztunnel to carry their traffic' : 'not handed to ztunnel'}).`,
    ];
    drafts.push({
      resources: [ref, ...(affected ? workloads : [])],
      evidence: [
        ...failure.events.slice(0, 2).map((e) => fromEvent(e)),
        fromObject(
          ref,
          `desiredNumberScheduled ${desired}, currentNumberScheduled ${current}, numberReady ${status.numberReady ?? 0}`,
        ),
      ],
      confidence: confidence(0.85 + (view.captured('ResourceQuota') ? 0.1 : 0)),
      facts,
      steps: steps(namespace, ref.name),
      severity: affected ? 'critical' : 'warning',
    });
  }
  return {
    drafts,
    detail: `${agents.length} node-agent DaemonSet(s) checked against their FailedCreate events and the ResourceQuotas`,
  };
};
