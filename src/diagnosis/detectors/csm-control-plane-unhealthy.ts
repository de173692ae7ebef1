import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject, refText } from '../evidence-items';
import type { KubeObject, Workload } from '../kube-types';
import type { RevisionProblem } from '../managed-mesh';
import { conditionText, controllerProblem, revisionProblem } from '../managed-mesh';
import { CONTROL_PLANE_REVISION, MANAGED_COMPONENTS_NAMESPACE, managedMesh, MDP_CONTROLLER } from '../mesh-kind';
import { configRef, injectorConfigs, MUTATING } from '../webhooks';
import { formatDuration, toMs } from '../../util/time';

/** Codes Cloud Service Mesh writes into its conditions, with what to do about each. */
const KNOWN_CAUSES: readonly [pattern: RegExp, advice: string][] = [
  [
    /WORKLOAD_IDENTITY|workload identity/i,
    'A node pool has Workload Identity Federation disabled: enable it on every node pool (GKE metadata server), then wait for the next reconciliation (about 15 minutes).',
  ],
  [
    /IAM_PERMISSION_DENIED|PERMISSION_DENIED/i,
    'The Cloud Service Mesh service agent lacks a role it needs in the fleet project: gcloud container fleet mesh describe shows which; grant it again.',
  ],
  [
    /CNI_CONFIG_UNSUPPORTED|managed-cni/i,
    'Managed CNI was turned off (a mesh.cloud.google.com/managed-cni-enabled label other than true, or CNI= other than on in the asm-options ConfigMap): remove that setting.',
  ],
  [
    /QUOTA_EXCEEDED/i,
    'A Google Cloud quota is exhausted for the mesh: raise it in the project, then wait for the next reconciliation.',
  ],
];

function spec(revision: KubeObject): { type?: string; channel?: string } {
  return (revision.spec as { type?: string; channel?: string } | undefined) ?? {};
}

/** The injector webhook configurations of a revision (label istio.io/rev), which stop working with it. */
function injectorsOf(view: ClusterView, revision: string): ObjectRef[] {
  return injectorConfigs(view)
    .filter((c) => c.metadata?.labels?.['istio.io/rev'] === revision)
    .map((c) => configRef(c, MUTATING));
}

function revisionDraft(view: ClusterView, problem: RevisionProblem, revision: KubeObject, nowMs: number | null): Draft {
  const { channel, type } = spec(revision);
  const what = [type, channel && `channel ${channel}`].filter((x) => !!x).join(', ');
  const sinceMs = toMs(problem.since);
  const since = sinceMs !== null && nowMs !== null && nowMs > sinceMs ? ` for ${formatDuration(nowMs - sinceMs)}` : '';
  const conditions = problem.bad.map(conditionText);
  const evidence = problem.neverReported
    ? [
        fromObject(
          problem.ref,
          `no ProvisioningFinished condition since it was created${what ? ` (${what})` : ''}`,
          problem.since,
        ),
      ]
    : problem.bad.map((c) => fromObject(problem.ref, conditionText(c), c.lastTransitionTime ?? null));
  const messages = problem.bad.map((c) => `${c.reason ?? ''} ${c.message ?? ''}`).join(' ');
  const advice = KNOWN_CAUSES.filter(([re]) => re.test(messages)).map(([, text]) => text);
  const injectors = injectorsOf(view, problem.ref.name);
  return {
    resources: [problem.ref, ...injectors],
    evidence,
    confidence: problem.bad.some((c) => c.type === 'ProvisioningFinished') ? 0.9 : 0.75,
    facts: [
      `${refText(problem.ref)}${what ? ` (${what})` : ''} is not provisioned${since}: ${conditions.length ? conditions.join('; ') : 'Google has not reported ProvisioningFinished yet'}.`,
      ...advice,
      ...(injectors.length
        ? [`Sidecar injection through ${injectors.map((r) => r.name).join(', ')} depends on this revision.`]
        : []),
    ],
  };
}

function controllerDraft(deployment: Workload, problem: string): Draft {
  const ref: ObjectRef = { kind: 'Deployment', namespace: MANAGED_COMPONENTS_NAMESPACE, name: MDP_CONTROLLER };
  return {
    resources: [ref],
    evidence: [fromObject(ref, problem, deployment.status?.conditions?.[0]?.lastTransitionTime ?? null)],
    confidence: 0.8,
    severity: 'warning',
    facts: [
      `The managed data-plane controller ${refText(ref)} is failing (${problem}): while it is down, managed Cloud Service Mesh does not upgrade or restart proxies; traffic through the existing proxies is not affected.`,
    ],
  };
}

/** Managed Cloud Service Mesh: a ControlPlaneRevision that is not provisioned, or a failing mdp-controller. */
export const detectCsmControlPlaneUnhealthy: Detector = ({ view, nowMs }) => {
  const revisions = view.list(CONTROL_PLANE_REVISION);
  const controller = view.get<Workload>('Deployment', MANAGED_COMPONENTS_NAMESPACE, MDP_CONTROLLER);
  if (!view.captured(CONTROL_PLANE_REVISION) && !controller && !managedMesh(view)) {
    return { drafts: [], skipped: 'ControlPlaneRevisions not read and no managed control plane in sight', detail: '' };
  }
  const drafts: Draft[] = [];
  for (const revision of revisions) {
    const problem = revisionProblem(revision);
    if (problem) drafts.push(revisionDraft(view, problem, revision, nowMs));
  }
  const controllerIssue = controller ? controllerProblem(controller) : null;
  if (controller && controllerIssue) drafts.push(controllerDraft(controller, controllerIssue));
  const read = view.captured(CONTROL_PLANE_REVISION) ? '' : ' (ControlPlaneRevisions not read)';
  const detail = `${revisions.length} ControlPlaneRevision(s)${controller ? ` and ${MANAGED_COMPONENTS_NAMESPACE}/${MDP_CONTROLLER}` : ''} checked${read}`;
  return { drafts, detail };
};
