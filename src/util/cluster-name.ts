/**
 * What mesh-doctor takes as a cluster name (MESH_CLUSTER_NAME, a kubeconfig context, a `cluster:` prefix,
 * an alert's cluster label): up to 253 characters without spaces, commas or semicolons, which separate
 * entries in the settings. Colons and slashes are allowed: EKS context names are ARNs.
 */
export const CLUSTER_NAME = /^[A-Za-z0-9][^\s,;]{0,252}$/;

export function isClusterName(value: string): boolean {
  return CLUSTER_NAME.test(value);
}
