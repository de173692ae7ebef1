import { noSymptomFact } from '../access-symptoms';
import type { Detector, Draft } from '../detector';
import type { EvidenceItem, PatchProposal, Severity } from '../evidence';
import { serviceAppProtocol } from '../patch-templates';
import type { PatchTemplate } from '../../runbooks/schema';
import { refOf } from '../cluster-view';
import { confidence, fromObject } from '../evidence-items';
import type { PortedService, ServicePort } from '../ports';
import { podsOfService, workloadsOfPods } from '../routing';
import type { ClusterView } from '../cluster-view';
import { hasSidecar } from '../pod-facts';
import { declaredProtocol, portLabel, protocolOfName, targetContainerPort, WELL_KNOWN_PORTS } from '../ports';
import { isAmbientInfrastructurePod } from '../ztunnel';

/** Platform namespaces whose Services the mesh does not route. */
const SYSTEM_NAMESPACES = /^(kube-system|kube-public|kube-node-lease)$/;

/**
 * Namespaces holding at least one pod with an injected sidecar, the proxy that sniffs. ztunnel's and a
 * waypoint's istio-proxy are not sidecars, and ambient pods have none: ztunnel does not sniff.
 */
function sidecarNamespaces(view: ClusterView): Set<string> {
  return new Set(
    view
      .pods()
      .filter((p) => hasSidecar(p) && !isAmbientInfrastructurePod(view, p))
      .map((p) => p.metadata?.namespace ?? ''),
  );
}

/** Ports Istio reserves for its own proxies (status, admin, telemetry), whatever the port is named. */
function isIstioPort(port: ServicePort): boolean {
  const number = typeof port.targetPort === 'number' ? port.targetPort : port.port;
  return number !== undefined && number >= 15000 && number <= 15099;
}

interface PortProblem {
  index: number;
  port: ServicePort;
  why: string;
  /** The appProtocol to set, when the protocol is evident. */
  evident: { value: string; because: string } | null;
  serverFirst: boolean;
}

function evidentProtocol(port: ServicePort, containerPortName: string | undefined): PortProblem['evident'] {
  const named = protocolOfName(containerPortName);
  if (named) return { value: named, because: `the target container port is named ${containerPortName}` };
  const number = typeof port.targetPort === 'number' ? port.targetPort : port.port;
  for (const candidate of [port.port, number]) {
    const known = candidate === undefined ? undefined : WELL_KNOWN_PORTS.get(candidate);
    if (known) return { value: known.appProtocol, because: `${candidate} is the ${known.service} port` };
  }
  return null;
}

function problemsOf(service: PortedService, containerPortName: (port: ServicePort) => string | undefined) {
  const externalName = service.spec?.type === 'ExternalName';
  const problems: PortProblem[] = [];
  (service.spec?.ports ?? []).forEach((port, index) => {
    const declared = declaredProtocol(port);
    if (externalName) {
      // An ExternalName Service has no address: a TCP port on it becomes a listener that takes every
      // connection to that port number from every sidecar.
      if (declared.protocol === 'sniffed' || (declared.protocol === 'tcp' && declared.from === 'name')) {
        problems.push({
          index,
          port,
          why: `ExternalName Service port ${portLabel(port)} ${declared.protocol === 'tcp' ? 'is named tcp' : 'declares no protocol'}: sidecars may send every TCP connection to port ${port.port ?? '?'} to ${service.spec?.externalName ?? 'the external name'}`,
          evident: null,
          serverFirst: false,
        });
      }
      return;
    }
    if (declared.protocol !== 'sniffed' || isIstioPort(port)) return;
    const known = [port.port, typeof port.targetPort === 'number' ? port.targetPort : undefined]
      .map((n) => (n === undefined ? undefined : WELL_KNOWN_PORTS.get(n)))
      .find(Boolean);
    const ignored = port.appProtocol ? ` (appProtocol ${port.appProtocol} is not a protocol Istio knows)` : '';
    problems.push({
      index,
      port,
      why: `${port.name ? `port name ${port.name}` : 'an unnamed port'} (port ${port.port ?? '?'}, targetPort ${port.targetPort ?? port.port ?? '?'}) declares no protocol${ignored}, so sidecars sniff it${known?.serverFirst ? `; ${known.service} is server-first, so connections hang until the sniffing times out` : ''}`,
      evident: evidentProtocol(port, containerPortName(port)),
      serverFirst: !!known?.serverFirst,
    });
  });
  return problems;
}

/** The patch declaring an evident protocol, and the kubectl command that makes the same change by hand. */
function declaration(template: PatchTemplate, service: PortedService, problem: PortProblem, value: string) {
  const ref = refOf(service, 'Service');
  const port = { index: problem.index, name: problem.port.name, port: problem.port.port };
  const built = serviceAppProtocol(template, ref, port, value);
  if (!('patch' in built)) return null;
  const command = `kubectl -n ${ref.namespace} patch service ${ref.name} --type=json -p '${JSON.stringify(built.patch.patch)}'`;
  return { patch: built.patch, command };
}

/**
 * Service ports whose protocol Istio has to sniff (no `<protocol>[-suffix]` name, no appProtocol Istio
 * knows), in namespaces that have sidecars (not the control plane's, not Istio's own 150xx ports), and ExternalName Service ports named tcp or unnamed. Ports on
 * well-known server-first protocols (MySQL, SMTP, ...) are warnings, the others information.
 */
export const detectPortProtocolUndeclared: Detector = ({ view, entry, controlPlaneNamespaces }) => {
  if (!view.captured('Service')) return { drafts: [], skipped: 'no Services captured', detail: '' };
  if (!view.captured('Pod'))
    return { drafts: [], skipped: 'no Pods captured (needed to tell meshed namespaces)', detail: '' };
  const meshed = sidecarNamespaces(view);
  const services = view.list<PortedService>('Service').filter((s) => {
    const namespace = s.metadata?.namespace ?? '';
    return !SYSTEM_NAMESPACES.test(namespace) && !controlPlaneNamespaces.includes(namespace);
  });
  const drafts: Draft[] = [];
  let checked = 0;
  for (const service of services) {
    const externalName = service.spec?.type === 'ExternalName';
    if (externalName ? meshed.size === 0 : !meshed.has(service.metadata?.namespace ?? '')) continue;
    checked++;
    const pods = externalName ? [] : podsOfService(view, service);
    const problems = problemsOf(service, (port) => targetContainerPort(pods[0], port)?.name);
    if (problems.length === 0) continue;
    const ref = refOf(service, 'Service');
    const workloads = workloadsOfPods(view, pods);
    // Object state has no time of its own: the evidence is current, whatever rollout came later.
    const evidence: EvidenceItem[] = problems.map((p) => fromObject(ref, p.why));
    const created = service.metadata?.creationTimestamp;
    const facts: string[] = created ? [`Service ${ref.namespace}/${ref.name} was created at ${created}.`] : [];
    const patches: PatchProposal[] = [];
    for (const problem of problems) {
      const declared =
        problem.evident && entry.patch ? declaration(entry.patch, service, problem, problem.evident.value) : null;
      if (!problem.evident || !declared) continue;
      facts.push(
        `Service port ${problem.port.name ? portLabel(problem.port) : (problem.port.port ?? '?')}: the protocol is evident (${problem.evident.because}); declare it with ${declared.command}`,
      );
      patches.push(declared.patch);
    }
    if (workloads.length > 0) {
      facts.push(`Pods of ${workloads.map((w) => `${w.kind} ${w.name}`).join(', ')} serve these ports.`);
    }
    facts.push(noSymptomFact(view));
    const serverFirst = problems.some((p) => p.serverFirst);
    const severity: Severity = serverFirst || externalName ? 'warning' : 'info';
    drafts.push({
      resources: [ref, ...workloads],
      evidence,
      confidence: confidence(serverFirst || externalName ? 0.8 : 0.6),
      facts,
      severity,
      ...(patches.length > 0 ? { patches } : {}),
    });
  }
  return {
    drafts,
    detail: `${checked} Service(s) in namespaces with sidecars checked for a declared protocol per port`,
  };
};
