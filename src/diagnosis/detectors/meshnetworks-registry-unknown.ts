import { parse as parseYaml } from 'yaml';
import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject, refText } from '../evidence-items';
import type { ConfigMap, KubeObject, Workload } from '../kube-types';

/** Registries istiod always knows: the default cluster ID (CLUSTER_ID unset) and ServiceEntry endpoints. */
const BUILT_IN_REGISTRIES = ['Kubernetes', 'External'];
const REMOTE_SECRET_LABEL = 'istio/multiCluster';

interface MeshNetworks {
  networks?: Record<string, { endpoints?: { fromRegistry?: string; fromCidr?: string }[] } | null>;
}

/** A `fromRegistry` entry of one network. */
interface RegistryRef {
  network: string;
  registry: string;
}

function meshConfigMaps(view: ClusterView, controlPlane: readonly string[]): ConfigMap[] {
  return view
    .list<ConfigMap>('ConfigMap')
    .filter(
      (c) =>
        controlPlane.includes(c.metadata?.namespace ?? '') &&
        /^istio(-[a-z0-9-]+)?$/.test(c.metadata?.name ?? '') &&
        !/^istio-(sidecar-injector|ca-root-cert)/.test(c.metadata?.name ?? '') &&
        c.data?.meshNetworks !== undefined,
    );
}

function registries(raw: string): RegistryRef[] | string {
  let parsed: MeshNetworks | null;
  try {
    parsed = parseYaml(raw) as MeshNetworks | null;
  } catch (err) {
    return `meshNetworks is not valid YAML: ${(err as Error).message.split('\n')[0]}`;
  }
  return Object.entries(parsed?.networks ?? {}).flatMap(([network, spec]) =>
    (spec?.endpoints ?? []).flatMap((e) => (e.fromRegistry ? [{ network, registry: e.fromRegistry }] : [])),
  );
}

/** Cluster names the remote secrets in the control-plane namespaces give access to (their key names). */
function remoteClusters(view: ClusterView, controlPlane: readonly string[]): Map<string, ObjectRef> {
  const found = new Map<string, ObjectRef>();
  for (const s of view.list<KubeObject & { keys?: string[] }>('Secret')) {
    if (!controlPlane.includes(s.metadata?.namespace ?? '')) continue;
    if (s.metadata?.labels?.[REMOTE_SECRET_LABEL] !== 'true') continue;
    const ref: ObjectRef = { kind: 'Secret', namespace: s.metadata?.namespace ?? null, name: s.metadata?.name ?? '' };
    const annotated = s.metadata?.annotations?.['networking.istio.io/cluster'];
    for (const name of [...(s.keys ?? []), ...(annotated ? [annotated] : [])]) found.set(name, ref);
  }
  return found;
}

/** The local cluster's names: istiod's CLUSTER_ID and the injector's global.multiCluster.clusterName. */
function localClusters(view: ClusterView, controlPlane: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const d of view.list<Workload>('Deployment')) {
    if (!controlPlane.includes(d.metadata?.namespace ?? '') || !/^istiod(-|$)/.test(d.metadata?.name ?? '')) continue;
    for (const c of d.spec?.template?.spec?.containers ?? [])
      for (const e of c.env ?? []) if (e.name === 'CLUSTER_ID' && e.value) names.add(e.value);
  }
  for (const c of view.list<ConfigMap>('ConfigMap')) {
    if (!controlPlane.includes(c.metadata?.namespace ?? '') || !c.data?.values) continue;
    try {
      const values = JSON.parse(c.data.values) as { global?: { multiCluster?: { clusterName?: string } } };
      const name = values.global?.multiCluster?.clusterName;
      if (name) names.add(name);
    } catch {
      // not the injector's JSON values
    }
  }
  return names;
}

/** meshNetworks entries whose fromRegistry names neither the local cluster nor a cluster with a remote secret. */
export const detectMeshnetworksRegistryUnknown: Detector = ({ view, controlPlaneNamespaces }) => {
  if (!view.captured('ConfigMap')) return { drafts: [], skipped: 'control-plane ConfigMaps were not read', detail: '' };
  if (!view.captured('Secret'))
    return { drafts: [], skipped: 'secrets were not read, so remote cluster secrets cannot be listed', detail: '' };
  const configs = meshConfigMaps(view, controlPlaneNamespaces);
  const remotes = remoteClusters(view, controlPlaneNamespaces);
  const local = localClusters(view, controlPlaneNamespaces);
  const known = [...BUILT_IN_REGISTRIES, ...local, ...remotes.keys()];
  const drafts: Draft[] = [];
  for (const cm of configs) {
    const ref: ObjectRef = {
      kind: 'ConfigMap',
      namespace: cm.metadata?.namespace ?? null,
      name: cm.metadata?.name ?? '',
    };
    const found = registries(cm.data?.meshNetworks ?? '');
    if (typeof found === 'string') {
      drafts.push({
        resources: [ref],
        evidence: [fromObject(ref, found)],
        confidence: 0.9,
        facts: [`${refText(ref)}: ${found}.`],
      });
      continue;
    }
    const unknown = found.filter((r) => !known.includes(r.registry));
    if (unknown.length === 0) continue;
    drafts.push({
      resources: [ref],
      evidence: [
        ...unknown.map((u) =>
          fromObject(ref, `meshNetworks: network ${u.network} has endpoints fromRegistry: ${u.registry}`),
        ),
        ...[...new Set(remotes.values())].slice(0, 2).map((s) =>
          fromObject(
            s,
            `remote secret for ${[...remotes]
              .filter(([, r]) => r === s)
              .map(([n]) => n)
              .join(', ')}`,
          ),
        ),
      ],
      confidence: 0.85,
      severity: 'info',
      facts: [
        `${refText(ref)} assigns the endpoints of registr${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((u) => `${u.registry} (network ${u.network})`).join(', ')} to a network, but no cluster has that name: the local cluster is ${[...local].join(' / ') || 'unnamed (Kubernetes)'} and the remote secrets (label ${REMOTE_SECRET_LABEL}=true) give ${remotes.size > 0 ? [...remotes.keys()].join(', ') : 'no remote cluster'}. Those endpoints are never placed in that network, so cross-network traffic to them does not go through the network's gateway.`,
        'No failing requests seen in the logs read can be tied to it; the problem shows only when traffic crosses networks.',
      ],
    });
  }
  return {
    drafts,
    detail: `${configs.length} meshNetworks configuration(s) checked against ${known.length} known cluster name(s)`,
  };
};
