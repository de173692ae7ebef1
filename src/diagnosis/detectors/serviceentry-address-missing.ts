import { parse as parseYaml } from 'yaml';
import { noSymptomFact } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import { fromObject, refText } from '../evidence-items';
import type { ConfigMap, KubeObject } from '../kube-types';

interface ServiceEntry extends KubeObject {
  spec?: {
    hosts?: string[];
    addresses?: string[];
    ports?: { number?: number; protocol?: string; name?: string }[];
    resolution?: string;
  };
  status?: { addresses?: { value?: string }[] };
}

type MeshConfig = { defaultConfig?: { proxyMetadata?: Record<string, unknown> } };

/** The mesh ConfigMaps (`istio`, `istio-<rev>`) of the control plane that turn on DNS capture with auto-allocation. */
function autoAllocatingMeshConfig(view: ClusterView, controlPlane: readonly string[]): string | null {
  for (const cm of view.list<ConfigMap>('ConfigMap')) {
    const name = cm.metadata?.name ?? '';
    if (!controlPlane.includes(cm.metadata?.namespace ?? '') || !/^istio(-.+)?$/.test(name) || !cm.data?.mesh) continue;
    if (name.startsWith('istio-sidecar-injector') || name === 'istio-ca-root-cert') continue;
    let mesh: MeshConfig | null = null;
    try {
      mesh = parseYaml(cm.data.mesh) as MeshConfig | null;
    } catch {
      continue;
    }
    const metadata = mesh?.defaultConfig?.proxyMetadata ?? {};
    if (
      String(metadata.ISTIO_META_DNS_CAPTURE) === 'true' &&
      String(metadata.ISTIO_META_DNS_AUTO_ALLOCATE) === 'true'
    ) {
      return `${cm.metadata?.namespace}/${name}`;
    }
  }
  return null;
}

/**
 * ServiceEntries with a TCP (or unset-protocol) port, no `addresses` and no address istiod allocated in
 * their status, while the mesh config does not turn on DNS capture with auto-allocation (istioctl analyze
 * IST0134): sidecars can only match such traffic by port, so every TCP connection to that port is sent to
 * the entry's hosts, or the entry is not used.
 */
export const detectServiceEntryAddressMissing: Detector = ({ view, controlPlaneNamespaces }) => {
  if (!view.captured('ServiceEntry')) return { drafts: [], skipped: 'ServiceEntries were not read', detail: '' };
  const entries = view.list<ServiceEntry>('ServiceEntry');
  const meshRead = view.captured('ConfigMap');
  const allocating = meshRead ? autoAllocatingMeshConfig(view, controlPlaneNamespaces) : null;
  if (allocating) {
    return {
      drafts: [],
      detail: `${entries.length} ServiceEntry(ies): ${allocating} turns on DNS capture with address auto-allocation`,
    };
  }
  const drafts: Draft[] = [];
  for (const entry of entries) {
    if ((entry.spec?.addresses ?? []).length > 0 || (entry.status?.addresses ?? []).some((a) => a.value)) continue;
    const tcp = (entry.spec?.ports ?? []).filter((p) => !p.protocol || p.protocol.toUpperCase() === 'TCP');
    if (tcp.length === 0) continue;
    const ref = refOf(entry, 'ServiceEntry');
    const ports = tcp.map((p) => `${p.number ?? '?'}${p.name ? ` (${p.name})` : ''}`).join(', ');
    const created = entry.metadata?.creationTimestamp;
    drafts.push({
      resources: [ref],
      evidence: [
        fromObject(
          ref,
          `hosts ${(entry.spec?.hosts ?? []).join(', ')} with TCP port(s) ${ports}, no spec.addresses and no address allocated in status`,
        ),
      ],
      confidence: meshRead ? 0.85 : 0.6,
      facts: [
        `Sidecars can match TCP traffic for ${refText(ref)} only by port ${ports}: every TCP connection to that port without a more specific listener goes to ${(entry.spec?.hosts ?? [])[0] ?? 'its hosts'}.`,
        meshRead
          ? 'The mesh config read does not turn on ISTIO_META_DNS_CAPTURE with ISTIO_META_DNS_AUTO_ALLOCATE, and istiod has written no address into the entry status.'
          : 'The control-plane ConfigMaps were not read, so DNS auto-allocation in the mesh config could not be checked.',
        ...(created ? [`${refText(ref)} was created at ${created}.`] : []),
        noSymptomFact(view),
      ],
      severity: meshRead ? 'warning' : 'info',
    });
  }
  return { drafts, detail: `${entries.length} ServiceEntry(ies) checked for addresses on TCP ports` };
};
