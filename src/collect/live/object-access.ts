import type { KubeConfig } from '@kubernetes/client-node';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { PatchProposal } from '../../diagnosis/evidence';
import type { ObjectAccess } from '../../remediation/object-access';
import { statusOf } from './api-errors';
import { toPlain } from './plain-object';
import { MeshError } from '../../util/errors';

type Target = PatchProposal['target'];
type Obj = Record<string, unknown>;

const STRATEGY = {
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
  json: PatchStrategy.JsonPatch,
} as const;

function customParts(t: Target) {
  const [group = '', version = ''] = t.apiVersion.split('/');
  return { group, version, plural: `${t.kind.toLowerCase()}s`, namespace: t.namespace ?? '', name: t.name };
}

/** The typed clients, one call per kind and verb. */
export function kubeObjectAccess(kc: KubeConfig): ObjectAccess {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const dry = (d: boolean) => (d ? 'All' : undefined);

  async function read(t: Target): Promise<Obj | null> {
    const ns = t.namespace ?? '';
    try {
      switch (t.kind) {
        case 'Deployment':
          return toPlain(await apps.readNamespacedDeployment({ name: t.name, namespace: ns })) as Obj;
        case 'StatefulSet':
          return toPlain(await apps.readNamespacedStatefulSet({ name: t.name, namespace: ns })) as Obj;
        case 'DaemonSet':
          return toPlain(await apps.readNamespacedDaemonSet({ name: t.name, namespace: ns })) as Obj;
        case 'Namespace':
          return toPlain(await core.readNamespace({ name: t.name })) as Obj;
        case 'Service':
          return toPlain(await core.readNamespacedService({ name: t.name, namespace: ns })) as Obj;
        case 'NetworkPolicy':
          return toPlain(await networking.readNamespacedNetworkPolicy({ name: t.name, namespace: ns })) as Obj;
        case 'VirtualService':
          return (await custom.getNamespacedCustomObject(customParts(t))) as Obj;
        default:
          throw new MeshError('KUBE_UNSUPPORTED_KIND', `mesh-doctor does not read ${t.kind} objects`);
      }
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async function patch(t: Target, type: PatchProposal['type'], body: unknown, dryRun: boolean): Promise<Obj> {
    const ns = t.namespace ?? '';
    const opts = setHeaderOptions('Content-Type', STRATEGY[type]);
    const common = { name: t.name, body, dryRun: dry(dryRun) };
    switch (t.kind) {
      case 'Deployment':
        return toPlain(await apps.patchNamespacedDeployment({ ...common, namespace: ns }, opts)) as Obj;
      case 'StatefulSet':
        return toPlain(await apps.patchNamespacedStatefulSet({ ...common, namespace: ns }, opts)) as Obj;
      case 'DaemonSet':
        return toPlain(await apps.patchNamespacedDaemonSet({ ...common, namespace: ns }, opts)) as Obj;
      case 'Namespace':
        return toPlain(await core.patchNamespace(common, opts)) as Obj;
      case 'Service':
        return toPlain(await core.patchNamespacedService({ ...common, namespace: ns }, opts)) as Obj;
      case 'NetworkPolicy':
        return toPlain(await networking.patchNamespacedNetworkPolicy({ ...common, namespace: ns }, opts)) as Obj;
      case 'VirtualService':
        return (await custom.patchNamespacedCustomObject(
          { ...customParts(t), body, dryRun: dry(dryRun) },
          opts,
        )) as Obj;
      default:
        throw new MeshError('KUBE_UNSUPPORTED_KIND', `mesh-doctor does not patch ${t.kind} objects`);
    }
  }

  return {
    read,
    patch,
    async create(t, body, dryRun) {
      if (t.kind !== 'VirtualService')
        throw new MeshError('KUBE_UNSUPPORTED_KIND', `mesh-doctor does not create ${t.kind} objects`);
      const { group, version, plural, namespace } = customParts(t);
      return (await custom.createNamespacedCustomObject({
        group,
        version,
        plural,
        namespace,
        body,
        dryRun: dry(dryRun),
      })) as Obj;
    },
    async delete(t, dryRun) {
      if (t.kind !== 'VirtualService')
        throw new MeshError('KUBE_UNSUPPORTED_KIND', `mesh-doctor does not delete ${t.kind} objects`);
      await custom.deleteNamespacedCustomObject({ ...customParts(t), dryRun: dry(dryRun) });
    },
  };
}
