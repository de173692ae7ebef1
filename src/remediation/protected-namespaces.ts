import type { PatchProposal } from '../diagnosis/evidence';
import { mergeLeaves } from './touched-fields';

/** Namespaces approved patches stay out of: the deny list, and the control plane but for an istiod restart. */
export interface ProtectedNamespaces {
  /** MESH_PATCH_DENY_NAMESPACES: nothing in these is ever patched. */
  deny: readonly string[];
  /** The control-plane namespaces: only istiod's rollout restart (the injector-cabundle-missing fix). */
  controlPlane: readonly string[];
}

/** The annotation `kubectl rollout restart` and the rollout-restart template set. */
const RESTARTED_AT = ['spec', 'template', 'metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt'];

/** A rollout restart of an istiod Deployment (`istiod`, `istiod-<revision>`): one restartedAt annotation. */
function isIstiodRestart(p: PatchProposal): boolean {
  if (p.target.kind !== 'Deployment' || !/^istiod(-|$)/.test(p.target.name) || p.type !== 'merge') return false;
  const leaves = mergeLeaves(p.patch);
  return leaves.length === 1 && leaves[0]?.path.join('\u0000') === RESTARTED_AT.join('\u0000');
}

/** Why a patch may not touch its target's namespace, or null. A Namespace object counts as its own namespace. */
export function protectedNamespaceReason(p: PatchProposal, namespaces: ProtectedNamespaces): string | null {
  const ns = p.target.kind === 'Namespace' ? p.target.name : p.target.namespace;
  if (!ns) return null;
  if (namespaces.deny.includes(ns)) {
    return `namespace ${ns} is on the deny list (MESH_PATCH_DENY_NAMESPACES): no patch may change it; nothing was applied.`;
  }
  if (namespaces.controlPlane.includes(ns) && !isIstiodRestart(p)) {
    return `namespace ${ns} holds the Istio control plane: only a rollout restart of istiod may change it; nothing was applied.`;
  }
  return null;
}
