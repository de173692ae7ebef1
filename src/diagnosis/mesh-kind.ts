import type { ClusterView } from './cluster-view';
import { istiodDeployments } from './control-plane';
import type { KubeObject, Workload } from './kube-types';
import { injectorConfigs, isInjectorWebhook } from './webhooks';

/** Kind of the managed Cloud Service Mesh revision object (mesh.cloud.google.com/v1beta1). */
export const CONTROL_PLANE_REVISION = 'ControlPlaneRevision';
/** Namespace of the in-cluster parts of managed Cloud Service Mesh. */
export const MANAGED_COMPONENTS_NAMESPACE = 'kube-system';
/** The managed data-plane controller, which upgrades the proxies of managed Cloud Service Mesh. */
export const MDP_CONTROLLER = 'mdp-controller';
const MANAGED_CNI = 'istio-cni-node';

/** What shows that Google runs the control plane of this cluster's mesh. */
export interface ManagedMesh {
  /** Each sign found, in words ("injector webhook istiod-asm-managed calls a URL"). */
  signs: string[];
  revisions: readonly KubeObject[];
  mdpController: Workload | undefined;
}

/**
 * The managed Cloud Service Mesh of this cluster, or null when the control plane is in the cluster (or no
 * mesh is visible). Managed means: an injector webhook that calls a URL, a ControlPlaneRevision or the
 * mdp-controller Deployment, and no istiod Deployment in the evidence.
 */
export function managedMesh(view: ClusterView): ManagedMesh | null {
  if (istiodDeployments(view).length > 0) return null;
  const signs: string[] = [];
  for (const config of injectorConfigs(view)) {
    if ((config.webhooks ?? []).some((w) => isInjectorWebhook(w) && w.clientConfig?.url)) {
      signs.push(
        `injector webhook configuration ${config.metadata?.name ?? ''} calls a URL, not an in-cluster Service`,
      );
    }
  }
  const revisions = view.list(CONTROL_PLANE_REVISION);
  if (revisions.length > 0) {
    signs.push(`ControlPlaneRevision ${revisions.map((r) => r.metadata?.name ?? '').join(', ')}`);
  }
  const mdpController = view.get<Workload>('Deployment', MANAGED_COMPONENTS_NAMESPACE, MDP_CONTROLLER);
  if (mdpController) signs.push(`Deployment ${MANAGED_COMPONENTS_NAMESPACE}/${MDP_CONTROLLER}`);
  if (signs.length === 0) return null;
  if (view.get('DaemonSet', MANAGED_COMPONENTS_NAMESPACE, MANAGED_CNI)) {
    signs.push(`DaemonSet ${MANAGED_COMPONENTS_NAMESPACE}/${MANAGED_CNI}`);
  }
  return { signs, revisions, mdpController };
}

/** One sentence that says the control plane is managed, and why mesh-doctor thinks so. */
export function managedMeshText(mesh: ManagedMesh): string {
  return `The control plane is managed Cloud Service Mesh (no istiod runs in the cluster; seen: ${mesh.signs.join('; ')}).`;
}
