/** What the fake knows about a resource type: the kind↔plural mapping, scope and served versions. */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Built-in resources exist even when empty; custom resources only when their CRD does. */
  builtin: boolean;
  /** Versions served; the first is the preferred one. */
  versions: string[];
  /** Key of the collection holding the objects (events.k8s.io events share the core one). */
  storage: string;
}

/** `apps/v1` → `{group: 'apps', version: 'v1'}`; `v1` → core. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Plurals that the usual English rules get wrong. */
const IRREGULAR_PLURALS: Record<string, string> = {
  endpoints: 'endpoints',
  podsecuritypolicy: 'podsecuritypolicies',
};

/** Lower-case plural of a kind, as Kubernetes (and kubebuilder) derive it. */
export function pluralize(kind: string): string {
  const lower = kind.toLowerCase();
  const irregular = IRREGULAR_PLURALS[lower];
  if (irregular) return irregular;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Best guess of a kind from a plural, for CRDs named only by plural. */
export function singularKind(plural: string): string {
  let singular = plural;
  if (plural.endsWith('ies')) singular = `${plural.slice(0, -3)}y`;
  else if (/(sses|xes|zes|ches|shes)$/.test(plural)) singular = plural.slice(0, -2);
  else if (plural.endsWith('s')) singular = plural.slice(0, -1);
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

type Def = [group: string, versions: string[], kind: string, namespaced: boolean, plural?: string];

const BUILTIN_DEFS: Def[] = [
  ['', ['v1'], 'Pod', true],
  ['', ['v1'], 'Service', true],
  ['', ['v1'], 'Endpoints', true, 'endpoints'],
  ['', ['v1'], 'Event', true],
  ['', ['v1'], 'ConfigMap', true],
  ['', ['v1'], 'Secret', true],
  ['', ['v1'], 'ServiceAccount', true],
  ['', ['v1'], 'PersistentVolumeClaim', true],
  ['', ['v1'], 'ResourceQuota', true],
  ['', ['v1'], 'LimitRange', true],
  ['', ['v1'], 'ReplicationController', true],
  ['', ['v1'], 'PodTemplate', true],
  ['', ['v1'], 'Namespace', false],
  ['', ['v1'], 'Node', false],
  ['', ['v1'], 'PersistentVolume', false],
  ['apps', ['v1'], 'Deployment', true],
  ['apps', ['v1'], 'ReplicaSet', true],
  ['apps', ['v1'], 'DaemonSet', true],
  ['apps', ['v1'], 'StatefulSet', true],
  ['apps', ['v1'], 'ControllerRevision', true],
  ['batch', ['v1'], 'Job', true],
  ['batch', ['v1'], 'CronJob', true],
  ['autoscaling', ['v2', 'v1'], 'HorizontalPodAutoscaler', true],
  ['policy', ['v1'], 'PodDisruptionBudget', true],
  ['admissionregistration.k8s.io', ['v1'], 'MutatingWebhookConfiguration', false],
  ['admissionregistration.k8s.io', ['v1'], 'ValidatingWebhookConfiguration', false],
  ['admissionregistration.k8s.io', ['v1'], 'ValidatingAdmissionPolicy', false],
  ['admissionregistration.k8s.io', ['v1'], 'ValidatingAdmissionPolicyBinding', false],
  ['discovery.k8s.io', ['v1'], 'EndpointSlice', true],
  ['events.k8s.io', ['v1'], 'Event', true],
  ['networking.k8s.io', ['v1'], 'NetworkPolicy', true],
  ['networking.k8s.io', ['v1'], 'Ingress', true],
  ['networking.k8s.io', ['v1'], 'IngressClass', false],
  ['rbac.authorization.k8s.io', ['v1'], 'Role', true],
  ['rbac.authorization.k8s.io', ['v1'], 'RoleBinding', true],
  ['rbac.authorization.k8s.io', ['v1'], 'ClusterRole', false],
  ['rbac.authorization.k8s.io', ['v1'], 'ClusterRoleBinding', false],
  ['coordination.k8s.io', ['v1'], 'Lease', true],
  ['storage.k8s.io', ['v1'], 'StorageClass', false],
  ['scheduling.k8s.io', ['v1'], 'PriorityClass', false],
  ['certificates.k8s.io', ['v1'], 'CertificateSigningRequest', false],
  ['apiextensions.k8s.io', ['v1'], 'CustomResourceDefinition', false],
];

const ISTIO_NETWORKING = ['v1alpha3', 'v1beta1', 'v1'];
const ISTIO_SECURITY = ['v1beta1', 'v1'];

/** Custom resources whose kind and versions are known in advance; they exist only with objects or `crds`. */
const KNOWN_CRD_DEFS: Def[] = [
  ['networking.istio.io', ISTIO_NETWORKING, 'VirtualService', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'DestinationRule', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'Gateway', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'ServiceEntry', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'Sidecar', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'WorkloadEntry', true],
  ['networking.istio.io', ISTIO_NETWORKING, 'WorkloadGroup', true],
  ['networking.istio.io', ['v1alpha3'], 'EnvoyFilter', true],
  ['networking.istio.io', ['v1beta1'], 'ProxyConfig', true],
  ['security.istio.io', ISTIO_SECURITY, 'PeerAuthentication', true],
  ['security.istio.io', ISTIO_SECURITY, 'AuthorizationPolicy', true],
  ['security.istio.io', ISTIO_SECURITY, 'RequestAuthentication', true],
  ['telemetry.istio.io', ['v1alpha1', 'v1'], 'Telemetry', true],
  ['extensions.istio.io', ['v1alpha1'], 'WasmPlugin', true],
  ['install.istio.io', ['v1alpha1'], 'IstioOperator', true],
  ['gateway.networking.k8s.io', ['v1', 'v1beta1'], 'Gateway', true],
  ['gateway.networking.k8s.io', ['v1', 'v1beta1'], 'GatewayClass', false],
  ['gateway.networking.k8s.io', ['v1', 'v1beta1'], 'HTTPRoute', true],
  ['gateway.networking.k8s.io', ['v1', 'v1alpha2'], 'GRPCRoute', true],
  ['gateway.networking.k8s.io', ['v1alpha2'], 'TCPRoute', true],
  ['gateway.networking.k8s.io', ['v1alpha2'], 'TLSRoute', true],
  ['gateway.networking.k8s.io', ['v1beta1', 'v1alpha2'], 'ReferenceGrant', true],
  ['mesh.cloud.google.com', ['v1beta1'], 'ControlPlaneRevision', true],
];

function fromDef([group, versions, kind, namespaced, plural]: Def, builtin: boolean): ResourceType {
  const p = plural ?? pluralize(kind);
  const storage = group === 'events.k8s.io' && kind === 'Event' ? '/events' : `${group}/${p}`;
  return { group, plural: p, kind, namespaced, builtin, versions: [...versions], storage };
}

const typeKey = (group: string, plural: string): string => `${group}/${plural}`;

/** The resource types the fake serves: built-ins always, custom resources once they exist. */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private readonly known = new Map<string, ResourceType>();

  /** `onCustom` hears of every custom resource type registered or given a new version (to list its CRD). */
  constructor(private readonly onCustom: (type: ResourceType) => void = () => undefined) {
    for (const def of BUILTIN_DEFS) {
      const type = fromDef(def, true);
      this.types.set(typeKey(type.group, type.plural), type);
    }
    for (const def of KNOWN_CRD_DEFS) {
      const type = fromDef(def, false);
      this.known.set(typeKey(type.group, type.plural), type);
    }
  }

  /** The type served at `group/version/plural`, or null when the server would answer 404. */
  resolve(group: string, version: string, plural: string): ResourceType | null {
    const type = this.types.get(typeKey(group, plural));
    return type && type.versions.includes(version) ? type : null;
  }

  /** Every served type (for discovery). */
  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** The type of an object with this apiVersion and kind, registering a custom resource on first sight. */
  typeFor(apiVersion: string, kind: string, namespaced: boolean): ResourceType {
    const { group, version } = parseApiVersion(apiVersion);
    const existing = this.byKind(group, kind);
    if (existing) {
      if (!existing.versions.includes(version) && !existing.builtin) {
        existing.versions.push(version);
        this.onCustom(existing);
      }
      return existing;
    }
    return this.registerCustom(group, version, pluralize(kind), kind, namespaced);
  }

  /**
   * Declares the custom resource a CustomResourceDefinition object describes, served at exactly the
   * CRD's served versions (plus any its objects already use).
   */
  addCrdObject(crd: { group: string; plural: string; kind: string; namespaced: boolean; versions: string[] }): void {
    const key = typeKey(crd.group, crd.plural);
    const existing = this.types.get(key);
    if (existing?.builtin) return;
    if (existing) {
      for (const v of crd.versions) if (!existing.versions.includes(v)) existing.versions.push(v);
      return;
    }
    this.types.set(key, {
      group: crd.group,
      plural: crd.plural,
      kind: crd.kind,
      namespaced: crd.namespaced,
      builtin: false,
      versions: [...crd.versions],
      storage: key,
    });
  }

  /** Declares a CRD from `group/version/plural`. */
  addCrd(spec: string): ResourceType {
    const parts = spec.split('/');
    const [group, version, plural] = parts;
    if (parts.length !== 3 || !group || !version || !plural) {
      throw new Error(`crds: "${spec}" is not group/version/plural`);
    }
    const existing = this.types.get(typeKey(group, plural));
    if (existing) {
      if (!existing.versions.includes(version)) {
        existing.versions.push(version);
        if (!existing.builtin) this.onCustom(existing);
      }
      return existing;
    }
    const known = this.known.get(typeKey(group, plural));
    return this.registerCustom(group, version, plural, known?.kind ?? singularKind(plural), known?.namespaced ?? true);
  }

  /** A type by its group and kind (built-in, or a custom resource already registered). */
  byKind(group: string, kind: string): ResourceType | undefined {
    for (const type of this.types.values()) if (type.group === group && type.kind === kind) return type;
    return undefined;
  }

  /** Types matching a kind (`Pod`), a plural (`pods`) or `plural.group` (`deployments.apps`). */
  find(kindOrPlural: string): ResourceType[] {
    const lower = kindOrPlural.toLowerCase();
    const found = new Map<string, ResourceType>();
    for (const type of this.types.values()) {
      const full = type.group === '' ? type.plural : `${type.plural}.${type.group}`;
      if (type.kind === kindOrPlural || type.plural === lower || full === lower) {
        if (!found.has(type.storage)) found.set(type.storage, type);
      }
    }
    return [...found.values()];
  }

  private registerCustom(
    group: string,
    version: string,
    plural: string,
    kind: string,
    namespaced: boolean,
  ): ResourceType {
    const known = this.known.get(typeKey(group, plural));
    const versions = known ? [...known.versions] : [];
    if (!versions.includes(version)) versions.push(version);
    const type: ResourceType = {
      group,
      plural,
      kind: known?.kind ?? kind,
      namespaced: known?.namespaced ?? namespaced,
      builtin: false,
      versions,
      storage: typeKey(group, plural),
    };
    this.types.set(typeKey(group, plural), type);
    this.onCustom(type);
    return type;
  }
}
