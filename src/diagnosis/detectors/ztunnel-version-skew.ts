import { groupBy } from '../../util/group-by';
import type { ClusterView } from '../cluster-view';
import { noSymptomFact } from '../access-symptoms';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod, Service } from '../kube-types';
import { occurrenceText } from '../log-groups';
import { backingDeployment } from '../webhook-chain';
import { nodeOf, ztunnelPods } from '../ztunnel';
import type { Version } from '../ztunnel-control';
import {
  XDS_NACK,
  ambientWorkloadsOn,
  istiodAddress,
  istiodVersions,
  listed,
  minorsAhead,
  podOnNode,
  versionOfImage,
  ztunnelDaemonSetOf,
  ztunnelLinesWith,
  ztunnelSpec,
} from '../ztunnel-control';

interface Istiod {
  ref: ObjectRef;
  version: Version;
}

/** The istiod ztunnel talks to: the Deployment behind its XDS_ADDRESS, else the only istiod version present. */
function istiodOf(view: ClusterView, ds: ObjectRef, podName: string, istiods: Istiod[]): Istiod | null {
  const address = istiodAddress(undefined, ztunnelSpec(view, ds, podName), 'XDS_ADDRESS');
  const [name, namespace] = (address ?? '').split(':')[0]!.split('.');
  if (name && namespace) {
    const service = view.get<Service>('Service', namespace, name);
    const behind = service ? backingDeployment(view, service, namespace, null) : null;
    const found = behind ? istiods.find((i) => refText(i.ref) === refText(behind.ref)) : undefined;
    if (found) return found;
  }
  const versions = new Set(istiods.map((i) => i.version.text));
  return versions.size === 1 ? istiods[0]! : null;
}

/** A ztunnel pod and its version (its own image, else the DaemonSet template's). */
interface ZtunnelPod {
  namespace: string | null;
  name: string;
  version: Version | null;
  nacks: LogLine[];
}

interface Nack {
  typeUrl: string;
  error: string;
  resources: string[];
}

function nackOf(line: LogLine): Nack {
  const typeUrl = /type_url="([^"]+)"/.exec(line.text)?.[1] ?? 'unknown type';
  const error = (/error="((?:[^"\\]|\\.)*)"/.exec(line.text)?.[1] ?? '').replace(/\\(.)/g, '$1');
  const resources = error
    .split('; ')
    .map((e) => /^([^:\s]+\/[^:\s]+):/.exec(e)?.[1])
    .filter((r): r is string => !!r);
  return { typeUrl, error, resources };
}

function shortType(typeUrl: string): string {
  return typeUrl.replace(/^type\.googleapis\.com\/istio\./, '');
}

interface ServiceEntry extends KubeObject {
  spec?: { hosts?: string[]; resolution?: string };
}

/** ServiceEntries a rejected `namespace/hostname` names. */
function serviceEntriesOf(view: ClusterView, names: string[]): ObjectRef[] {
  return uniqueRefs(
    names.flatMap((n) => {
      const [namespace, host] = n.split('/');
      return view
        .list<ServiceEntry>('ServiceEntry')
        .filter((se) => se.metadata?.namespace === namespace && (se.spec?.hosts ?? []).includes(host ?? ''))
        .map((se) => ({ kind: 'ServiceEntry', namespace: namespace ?? null, name: se.metadata?.name ?? '' }));
    }),
  );
}

/** ztunnel pods older than istiod by a minor version or more; critical when they NACK istiod's pushes. */
export const detectZtunnelVersionSkew: Detector = ({ view, controlPlaneNamespaces }) => {
  const nacks = ztunnelLinesWith(view, XDS_NACK);
  const pods = ztunnelPods(view);
  if (pods.length === 0 && nacks.length === 0)
    return { drafts: [], skipped: 'no ztunnel pods and no ztunnel NACK lines', detail: '' };
  const istiods = istiodVersions(view, controlPlaneNamespaces);
  if (istiods.length === 0)
    return { drafts: [], detail: 'no istiod Deployment with a version in its image tag to compare ztunnel with' };
  const known = new Map<string, ZtunnelPod>();
  const key = (ns: string | null, name: string) => `${ns ?? ''}/${name}`;
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const ns = p.metadata?.namespace ?? null;
    const ds = ztunnelDaemonSetOf(view, ns, name);
    const own = p.spec?.containers?.find((c) => c.name === 'istio-proxy') ?? p.spec?.containers?.[0];
    known.set(key(ns, name), {
      namespace: ns,
      name,
      version: versionOfImage(own?.image ?? ztunnelSpec(view, ds)?.image),
      nacks: [],
    });
  }
  for (const line of nacks) {
    const k = key(line.namespace, line.pod!);
    let entry = known.get(k);
    if (!entry) {
      const ds = ztunnelDaemonSetOf(view, line.namespace, line.pod!);
      entry = {
        namespace: line.namespace,
        name: line.pod!,
        version: versionOfImage(ztunnelSpec(view, ds)?.image),
        nacks: [],
      };
      known.set(k, entry);
    }
    entry.nacks.push(line);
  }
  const drafts: Draft[] = [];
  const notes: string[] = [];
  for (const group of groupBy([...known.values()], (z) =>
    refText(ztunnelDaemonSetOf(view, z.namespace, z.name)),
  ).values()) {
    const ds = ztunnelDaemonSetOf(view, group[0]!.namespace, group[0]!.name);
    const istiod = istiodOf(view, ds, group[0]!.name, istiods);
    if (!istiod) {
      notes.push(`${refText(ds)}: several istiod versions and none behind its XDS_ADDRESS`);
      continue;
    }
    const behind = group.filter((z) => z.version && minorsAhead(z.version, istiod.version) >= 1);
    if (behind.length === 0) {
      const nacking = group.filter((z) => z.nacks.length > 0).length;
      if (nacking > 0)
        notes.push(`${nacking} ztunnel pod(s) NACK at istiod's minor version (a configuration problem, not skew)`);
      continue;
    }
    const nacking = behind.filter((z) => z.nacks.length > 0);
    const versions = [...new Set(behind.map((z) => z.version!.text))].join(', ');
    const nodes = new Set(
      behind.map((z) => nodeOf(view.get<Pod>('Pod', z.namespace, z.name))).filter((n): n is string => !!n),
    );
    const templateVersion = versionOfImage(ztunnelSpec(view, ds)?.image);
    const facts = [
      `${refText(istiod.ref)} runs istiod ${istiod.version.text}, but ${behind.length} ztunnel pod(s) of ${refText(ds)} run ${versions}: ${listed(behind.map((z) => podOnNode(view, z.namespace, z.name)))}.`,
    ];
    if (templateVersion && minorsAhead(templateVersion, istiod.version) <= 0) {
      facts.push(
        `${refText(ds)} already carries ztunnel ${templateVersion.text} in its template; these pods were created before and have not been replaced (rollout not finished, or updateStrategy OnDelete).`,
      );
    }
    const evidence = [
      fromObject(istiod.ref, `istiod image tag ${istiod.version.text}`),
      fromObject(
        { kind: 'Pod', namespace: behind[0]!.namespace, name: behind[0]!.name },
        `ztunnel image tag ${behind[0]!.version!.text}`,
      ),
    ];
    const rejected: string[] = [];
    for (const z of nacking) {
      const parsed = z.nacks.map(nackOf);
      const types = [...new Set(parsed.map((n) => shortType(n.typeUrl)))].join(', ');
      const names = [...new Set(parsed.flatMap((n) => n.resources))];
      rejected.push(...names);
      const last = parsed[parsed.length - 1]!;
      const sample = last.resources.length > 0 ? last.error.replace(`${last.resources[0]}: `, '') : last.error;
      facts.push(
        `ztunnel ${z.name} rejected istiod's ${types} push(es), ${occurrenceText(z.nacks, null)}${names.length > 0 ? `, rejecting ${listed(names)}` : ''} (${sample}).`,
      );
    }
    const newest = nacking.flatMap((z) => z.nacks).sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0))[0];
    if (newest) evidence.unshift(fromLog(newest));
    const entries = serviceEntriesOf(view, [...new Set(rejected)]);
    if (entries.length > 0)
      facts.push(
        `The rejected services come from ${listed(entries.map(refText))}; ztunnel serves them as if they did not exist.`,
      );
    const affected = ambientWorkloadsOn(view, nodes);
    if (affected.length > 0) {
      facts.push(
        `${affected.length} ambient workload(s) on ${nodes.size === 1 ? 'that node' : 'those nodes'} depend on this ztunnel: ${listed(affected.map(refText))}.`,
      );
    }
    const draft: Draft = {
      resources: uniqueRefs([ds, istiod.ref, ...entries, ...affected]).slice(0, 12),
      evidence,
      confidence: nacking.length > 0 ? 0.9 : 0.6,
      facts,
    };
    if (nacking.length === 0) {
      draft.severity = 'warning';
      draft.facts = [...facts, 'No NACK seen from these ztunnel pods yet.', noSymptomFact(view)];
    }
    drafts.push(draft);
  }
  const detail =
    `${known.size} ztunnel pod(s) compared with istiod ${[...new Set(istiods.map((i) => i.version.text))].join(', ')}, ${nacks.length} NACK line(s)` +
    (notes.length > 0 ? `; ${notes.join('; ')}` : '');
  return { drafts, detail };
};
