import { noSymptomFact } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { ObjectRef } from '../evidence';
import { fromObject, refText, uniqueRefs } from '../evidence-items';
import type { KubeObject, Pod } from '../kube-types';
import type { PortedService, ServicePort } from '../ports';
import { podsOfService, workloadsOfPods } from '../routing';
import { declaredProtocol, portLabel, protocolOfName, targetContainerPort } from '../ports';

interface ServiceEntry extends KubeObject {
  spec?: { hosts?: string[]; ports?: { number?: number; protocol?: string; name?: string }[] };
}

/** One use of a container port by a Service port. */
interface PortUse {
  service: PortedService;
  port: ServicePort;
  protocol: string;
}

function protocolText(port: ServicePort): string {
  const declared = declaredProtocol(port);
  return declared.protocol === 'sniffed' ? 'undeclared (sniffed)' : declared.protocol;
}

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

function draft(view: ClusterView, refs: ObjectRef[], pods: Pod[], lines: string[], fact: string): Draft {
  return {
    resources: uniqueRefs([...refs, ...workloadsOfPods(view, pods)]),
    evidence: lines.map((line, i) => fromObject(refs[Math.min(i, refs.length - 1)]!, line)),
    confidence: 0.85,
    facts: [fact, noSymptomFact(view)],
    severity: 'warning',
  };
}

/** Services selecting the same pods that give one container port different protocols or different port numbers. */
function serviceConflicts(view: ClusterView, services: readonly PortedService[]): Draft[] {
  const uses = new Map<string, { pods: Pod[]; uses: PortUse[] }>();
  for (const service of services) {
    if (service.spec?.type === 'ExternalName') continue;
    const pods = podsOfService(view, service);
    const sample = pods[0];
    if (!sample) continue;
    for (const port of service.spec?.ports ?? []) {
      if (port.protocol && port.protocol.toUpperCase() !== 'TCP') continue;
      const target = targetContainerPort(sample, port)?.containerPort ?? port.targetPort ?? port.port;
      const key = `${pods.map(podKey).sort().join(',')}#${target}`;
      const entry = uses.get(key) ?? { pods, uses: [] };
      entry.uses.push({ service, port, protocol: protocolText(port) });
      uses.set(key, entry);
    }
  }
  const drafts: Draft[] = [];
  for (const [key, { pods, uses: list }] of uses) {
    const target = key.slice(key.lastIndexOf('#') + 1);
    const protocols = new Set(list.map((u) => u.protocol));
    const numbers = new Set(list.map((u) => u.port.port));
    const refs = uniqueRefs(list.map((u) => refOf(u.service, 'Service')));
    const describe = (u: PortUse) => `port ${portLabel(u.port)} targets container port ${target} as ${u.protocol}`;
    const fact =
      protocols.size > 1
        ? `Container port ${target} of ${workloadsOfPods(view, pods).map(refText).join(', ')} is given ${protocols.size} protocols (${[...protocols].join(', ')}) by ${list.map((u) => `${refText(refOf(u.service, 'Service'))} ${portLabel(u.port)}`).join(' and ')}; the sidecar builds one inbound listener per port, so one of them is used for all traffic.`
        : numbers.size > 1
          ? `Container port ${target} is reached through ${numbers.size} Service port numbers (${[...numbers].join(', ')}); Istio's inbound configuration for one target port cannot follow both.`
          : null;
    if (fact) drafts.push(draft(view, refs, pods, list.map(describe), fact));
  }
  return drafts;
}

/** ServiceEntries that give one host and port different protocols. */
function serviceEntryConflicts(view: ClusterView): Draft[] {
  const byHostPort = new Map<string, { entry: ServiceEntry; protocol: string }[]>();
  for (const entry of view.list<ServiceEntry>('ServiceEntry')) {
    for (const host of entry.spec?.hosts ?? []) {
      for (const port of entry.spec?.ports ?? []) {
        const protocol = (port.protocol ?? protocolOfName(port.name) ?? 'unset').toLowerCase();
        const key = `${host}:${port.number}`;
        byHostPort.set(key, [...(byHostPort.get(key) ?? []), { entry, protocol }]);
      }
    }
  }
  return [...byHostPort]
    .filter(([, list]) => new Set(list.map((l) => l.protocol)).size > 1)
    .map(([hostPort, list]) => {
      const refs = uniqueRefs(list.map((l) => refOf(l.entry, 'ServiceEntry')));
      return draft(
        view,
        refs,
        [],
        list.map((l) => `declares ${hostPort} as ${l.protocol}`),
        `${refs.map(refText).join(' and ')} declare ${hostPort} with different protocols (${[...new Set(list.map((l) => l.protocol))].join(', ')}); only one of them is applied.`,
      );
    });
}

/**
 * One port given two protocols, or one target port reached through two port numbers (istioctl analyze
 * IST0116, IST0137, IST0177): across the Services that select the same pods, within one Service, and
 * across ServiceEntries for one host and port.
 */
export const detectPortProtocolConflict: Detector = ({ view }) => {
  const servicesRead = view.captured('Service') && view.captured('Pod');
  const entriesRead = view.captured('ServiceEntry');
  if (!servicesRead && !entriesRead)
    return { drafts: [], skipped: 'neither Services with their pods nor ServiceEntries were read', detail: '' };
  const services = servicesRead ? view.list<PortedService>('Service') : [];
  const drafts = [...serviceConflicts(view, services), ...(entriesRead ? serviceEntryConflicts(view) : [])];
  const unread = entriesRead ? '' : '; ServiceEntries not read';
  return { drafts, detail: `${services.length} Service(s) compared per target port${unread}` };
};
