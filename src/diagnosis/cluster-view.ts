import type { Evidence, LogLine, MeshEvent, ObjectRef } from './evidence';
import type { KubeObject, Pod, Workload } from './kube-types';

/** Containers that Istio (or Vault's injector) adds; everything else in a pod is the application. */
const MESH_CONTAINERS = new Set(['istio-proxy', 'istio-init', 'istio-validation', 'discovery']);

/** Characters Kubernetes uses in generated name suffixes (pod-template-hash, pod suffixes). */
const RS_POD_NAME = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{6,10})-([bcdfghjklmnpqrstvwxz2456789]{5})$/;
const SUFFIXED_POD_NAME = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5})$/;
const ORDINAL_POD_NAME = /^(.+)-(\d+)$/;

/** True for a container that is the application rather than the mesh. */
export function isAppContainer(name: string | null | undefined): boolean {
  return !!name && !MESH_CONTAINERS.has(name) && !name.startsWith('vault-agent');
}

function key(namespace: string | null | undefined, name: string | null | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** Reference to an object. */
export function refOf(object: KubeObject, fallbackKind = 'Unknown'): ObjectRef {
  return {
    kind: object.kind ?? fallbackKind,
    namespace: object.metadata?.namespace ?? null,
    name: object.metadata?.name ?? '',
  };
}

/**
 * Read-only indexes over evidence, built once per diagnosis and shared by all detectors:
 * objects by kind/namespace/name, owners, events and log lines by object.
 */
export class ClusterView {
  private readonly byKind = new Map<string, Map<string, KubeObject>>();
  private readonly listed = new Map<string, readonly KubeObject[]>();
  private readonly eventsByObject = new Map<string, MeshEvent[]>();
  private readonly logsByPod = new Map<string, LogLine[]>();
  private readonly logsBySignature = new Map<string, LogLine[]>();
  /** Built on first use: objects of a kind by namespace, pods by the workload that owns them (one pass each). */
  private readonly byNamespace = new Map<string, Map<string, KubeObject[]>>();
  private podsByOwner: Map<string, Pod[]> | null = null;

  constructor(readonly evidence: Evidence) {
    for (const [kind, list] of evidence.objects) {
      const index = new Map<string, KubeObject>();
      const sorted = [...list].sort((a, b) =>
        key(a.metadata?.namespace, a.metadata?.name).localeCompare(key(b.metadata?.namespace, b.metadata?.name)),
      );
      for (const object of sorted) index.set(key(object.metadata?.namespace, object.metadata?.name), object);
      this.byKind.set(kind, index);
    }
    for (const event of evidence.events) {
      push(this.eventsByObject, `${event.object.kind}/${key(event.object.namespace, event.object.name)}`, event);
    }
    for (const line of evidence.logs) {
      push(this.logsByPod, key(line.namespace, line.pod), line);
      for (const id of line.signatures) push(this.logsBySignature, id, line);
    }
  }

  /** True when objects of this kind were captured (even an empty list). */
  captured(kind: string): boolean {
    return this.evidence.capturedKinds.has(kind);
  }

  /** Objects of a kind in namespace/name order; one array per kind, shared by every caller. */
  list<T extends KubeObject = KubeObject>(kind: string): readonly T[] {
    let listed = this.listed.get(kind);
    if (!listed) {
      listed = Object.freeze([...(this.byKind.get(kind)?.values() ?? [])]);
      this.listed.set(kind, listed);
    }
    return listed as readonly T[];
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | null, name: string): T | undefined {
    return this.byKind.get(kind)?.get(key(namespace, name)) as T | undefined;
  }

  pods(): readonly Pod[] {
    return this.list<Pod>('Pod');
  }

  eventsFor(kind: string, namespace: string | null, name: string): MeshEvent[] {
    return this.eventsByObject.get(`${kind}/${key(namespace, name)}`) ?? [];
  }

  logsOfPod(namespace: string | null, pod: string): LogLine[] {
    return this.logsByPod.get(key(namespace, pod)) ?? [];
  }

  logsWith(signatureId: string): LogLine[] {
    return this.logsBySignature.get(signatureId) ?? [];
  }

  /** The workload that owns a pod (Deployment, StatefulSet, DaemonSet, Job), or the pod itself. */
  workloadOfPod(pod: Pod): ObjectRef {
    const namespace = pod.metadata?.namespace ?? null;
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
    if (!owner?.kind || !owner.name) return refOf(pod, 'Pod');
    if (owner.kind !== 'ReplicaSet') return { kind: owner.kind, namespace, name: owner.name };
    return this.workloadOfReplicaSet(namespace, owner.name, pod.metadata?.labels?.['pod-template-hash']);
  }

  /** The Deployment behind a ReplicaSet, from its owner reference or its name. */
  workloadOfReplicaSet(namespace: string | null, name: string, hash?: string): ObjectRef {
    const rs = this.get<Workload>('ReplicaSet', namespace, name);
    const owner = rs?.metadata?.ownerReferences?.find((o) => o.controller) ?? rs?.metadata?.ownerReferences?.[0];
    if (owner?.kind && owner.name) return { kind: owner.kind, namespace, name: owner.name };
    if (rs && !owner) return { kind: 'ReplicaSet', namespace, name };
    const podTemplateHash =
      hash ?? rs?.metadata?.labels?.['pod-template-hash'] ?? name.slice(name.lastIndexOf('-') + 1);
    if (name.endsWith(`-${podTemplateHash}`)) {
      return { kind: 'Deployment', namespace, name: name.slice(0, -podTemplateHash.length - 1) };
    }
    return { kind: 'ReplicaSet', namespace, name };
  }

  /** The workload of a pod known perhaps only by name (from logs). */
  workloadOfPodName(namespace: string | null, podName: string): ObjectRef {
    const pod = this.get<Pod>('Pod', namespace, podName);
    if (pod) return this.workloadOfPod(pod);
    const rsMatch = RS_POD_NAME.exec(podName);
    if (rsMatch?.[1] && rsMatch[2])
      return this.workloadOfReplicaSet(namespace, `${rsMatch[1]}-${rsMatch[2]}`, rsMatch[2]);
    const ordinal = ORDINAL_POD_NAME.exec(podName);
    if (ordinal?.[1] && this.get('StatefulSet', namespace, ordinal[1])) {
      return { kind: 'StatefulSet', namespace, name: ordinal[1] };
    }
    const suffixed = SUFFIXED_POD_NAME.exec(podName);
    if (suffixed?.[1] && this.get('DaemonSet', namespace, suffixed[1])) {
      return { kind: 'DaemonSet', namespace, name: suffixed[1] };
    }
    return { kind: 'Pod', namespace, name: podName };
  }

  /** The live object behind a reference (Deployment, StatefulSet, ...), if it was captured. */
  object<T extends KubeObject = KubeObject>(ref: ObjectRef): T | undefined {
    return this.get<T>(ref.kind, ref.namespace, ref.name);
  }

  /**
   * Objects of a kind in one namespace, in name order: an index, since detectors ask per namespace, Service
   * or workload and must not scan every object of the cluster each time.
   */
  inNamespace<T extends KubeObject = KubeObject>(kind: string, namespace: string | null): readonly T[] {
    let index = this.byNamespace.get(kind);
    if (!index) {
      index = new Map();
      for (const object of this.list(kind)) push(index, object.metadata?.namespace ?? '', object);
      this.byNamespace.set(kind, index);
    }
    const found: readonly KubeObject[] = index.get(namespace ?? '') ?? [];
    return found as readonly T[];
  }

  /** The pods of a namespace, in name order. */
  podsIn(namespace: string | null): Pod[] {
    return [...this.inNamespace<Pod>('Pod', namespace)];
  }

  /** Pods owned (through a ReplicaSet or directly) by a workload. */
  podsOfWorkload(ref: ObjectRef): Pod[] {
    const refKey = (r: ObjectRef) => `${r.kind}/${key(r.namespace, r.name)}`;
    if (!this.podsByOwner) {
      this.podsByOwner = new Map();
      for (const pod of this.pods()) push(this.podsByOwner, refKey(this.workloadOfPod(pod)), pod);
    }
    return [...(this.podsByOwner.get(refKey(ref)) ?? [])];
  }
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
