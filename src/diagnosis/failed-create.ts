import type { Catalog } from '../runbooks/catalog';
import type { ClusterView } from './cluster-view';
import type { MeshEvent, ObjectRef } from './evidence';
import type { Workload } from './kube-types';
import { anotherMeshInjects } from './other-mesh';
import { signatureRegex } from './signatures';
import { groupBy } from '../util/group-by';
import { toMs } from '../util/time';

/** Signature ids that explain a FailedCreate message, most specific first, with the runbook they lead to. */
const CAUSES: readonly [signature: string, runbook: string][] = [
  ['webhook-x509-unknown-authority', 'webhook-x509-unknown-authority'],
  ['webhook-no-endpoints', 'webhook-no-endpoints'],
  ['webhook-service-not-found', 'webhook-service-not-found'],
  ['webhook-client-timeout', 'webhook-connect-timeout'],
  ['webhook-context-deadline', 'webhook-deadline-private-cluster'],
  ['pod-security-net-admin', 'istio-init-failure'],
];

/** ztunnel's and istio-cni's DaemonSets, whose refusals for the system-node-critical class istio-node-agent-quota explains. */
export const NODE_AGENT_DAEMONSETS = /^(ztunnel|istio-cni-node)$/;
const WEBHOOK_NAME = /failed calling (?:admission )?webhook "([^"]+)"/;
const SERVICE_URL = /https:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::[0-9]+)?\//;

/** The webhook a message names, and the service it was calling. */
export interface WebhookCall {
  webhook: string | null;
  service: { name: string; namespace: string } | null;
}

export function webhookCall(message: string): WebhookCall {
  const url = SERVICE_URL.exec(message);
  return {
    webhook: WEBHOOK_NAME.exec(message)?.[1] ?? null,
    service: url?.[1] && url[2] ? { name: url[1], namespace: url[2] } : null,
  };
}

/** True when a failing webhook call was to Istio (its webhook or its istiod service). */
export function isIstioCall(call: WebhookCall, message: string): boolean {
  if (call.webhook) return /istio\.io$/.test(call.webhook);
  if (call.service) return /^istiod|^istio-/.test(call.service.name);
  return /istio/.test(message);
}

/** The runbook that explains a FailedCreate (or webhook error) message; `pod-creation-failed` when none does. */
export function classifyCreateFailure(catalog: Catalog, message: string): string {
  for (const [signature, runbook] of CAUSES) {
    if (!signatureRegex(catalog, signature).test(message)) continue;
    if (runbook === 'istio-init-failure') return runbook;
    if (isIstioCall(webhookCall(message), message)) return runbook;
  }
  return 'pod-creation-failed';
}

/** A controller's pod-creation failures, with what is known of whether they still happen. */
export interface CreateFailure {
  owner: ObjectRef;
  workload: ObjectRef;
  events: MeshEvent[];
  /** True when the controller still lacks pods, or no later successful creation was recorded. */
  current: boolean;
}

const CONTROLLERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Deployment']);

/**
 * A controller's ReplicaFailure condition (FailedCreate), as an event: present even when the events
 * themselves have expired or were not captured.
 */
function conditionEvents(view: ClusterView): MeshEvent[] {
  const events: MeshEvent[] = [];
  for (const kind of ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet']) {
    for (const w of view.list<Workload>(kind)) {
      for (const c of w.status?.conditions ?? []) {
        if (c.type !== 'ReplicaFailure' || c.status !== 'True' || !c.message) continue;
        const time = c.lastTransitionTime ?? null;
        events.push({
          time,
          firstTime: time,
          ms: toMs(time),
          type: 'Warning',
          reason: 'FailedCreate',
          message: c.message,
          count: 1,
          object: { kind, namespace: w.metadata?.namespace ?? null, name: w.metadata?.name ?? '', fieldPath: null },
        });
      }
    }
  }
  return events;
}

/** FailedCreate events (and ReplicaFailure conditions) grouped by controller, each classified to one runbook. */
export function createFailures(view: ClusterView, catalog: Catalog): Map<string, CreateFailure[]> {
  const messages = view.evidence.events.filter((e) => e.reason === 'FailedCreate').map((e) => e.message);
  const fromConditions = conditionEvents(view).filter((c) => !messages.some((m) => m.includes(c.message)));
  const failures = [...view.evidence.events, ...fromConditions].filter(
    (e) => e.reason === 'FailedCreate' && CONTROLLERS.has(e.object.kind),
  );
  const byOwner = groupBy(failures, (e) => `${e.object.kind}\u0000${e.object.namespace ?? ''}\u0000${e.object.name}`);
  const result = new Map<string, CreateFailure[]>();
  for (const events of byOwner.values()) {
    const o = events[0]!.object;
    const owner: ObjectRef = { kind: o.kind, namespace: o.namespace, name: o.name };
    const workload = o.kind === 'ReplicaSet' ? view.workloadOfReplicaSet(o.namespace, o.name) : owner;
    // A capability refusal in a namespace another mesh injects is about its init container, not istio-init.
    const otherMesh = anotherMeshInjects(view, owner, workload);
    const byRunbook = groupBy(events, (e) => {
      const nodeAgentQuota = owner.kind === 'DaemonSet' && NODE_AGENT_DAEMONSETS.test(owner.name);
      if (nodeAgentQuota && signatureRegex(catalog, 'node-critical-quota-refused').test(e.message))
        return 'istio-node-agent-quota';
      const runbook = classifyCreateFailure(catalog, e.message);
      return runbook === 'istio-init-failure' && otherMesh ? 'pod-creation-failed' : runbook;
    });
    const current = isCurrent(view, owner, events);
    for (const [runbook, list] of byRunbook) {
      result.set(runbook, [
        ...(result.get(runbook) ?? []),
        { owner, workload, events: list.sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)), current },
      ]);
    }
  }
  return result;
}

/** Still failing: the controller has fewer pods than it wants, or nothing succeeded after the last failure. */
function isCurrent(view: ClusterView, owner: ObjectRef, failures: MeshEvent[]): boolean {
  const controller = view.object<Workload>(owner);
  if (controller) {
    const desired = controller.spec?.replicas ?? controller.status?.desiredNumberScheduled ?? 1;
    const have = controller.status?.replicas ?? controller.status?.numberReady ?? 0;
    if (desired === 0) return false;
    if (have < desired) return true;
  }
  const lastFailure = Math.max(...failures.map((e) => e.ms ?? 0));
  const success = view
    .eventsFor(owner.kind, owner.namespace, owner.name)
    .some((e) => e.reason === 'SuccessfulCreate' && (e.ms ?? 0) > lastFailure);
  return !success && !controller;
}
