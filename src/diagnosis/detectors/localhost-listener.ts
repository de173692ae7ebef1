import type { AccessSymptom } from '../access-symptoms';
import { accessSymptoms, noSymptomFact, symptomEvidence, symptomText } from '../access-symptoms';
import type { ClusterView } from '../cluster-view';
import { isAppContainer, refOf } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, refText } from '../evidence-items';
import type { Pod, Service } from '../kube-types';
import { hasSidecar } from '../pod-facts';
import type { ServicePort } from '../ports';
import { targetContainerPort } from '../ports';
import { podsOfService } from '../routing';

/** The signature of an application announcing a loopback-only listener. */
const LISTENS_ON_LOOPBACK = 'app-listens-on-localhost';
const LOOPBACK_PORT = /(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/;

/** Application containers of a pod that are running now. */
function runningApps(pod: Pod | undefined): string[] {
  return (pod?.status?.containerStatuses ?? [])
    .filter((s) => isAppContainer(s.name) && s.state?.running)
    .map((s) => s.name ?? '');
}

/** A Service port that sends traffic to `port` of the pod: the Service, and its port as callers use it. */
interface Exposure {
  service: ObjectRef;
  port: number | string;
}

/** The Services (and their ports) whose targetPort lands on container port `port` of the pod. */
function exposuresOf(view: ClusterView, pod: Pod, port: number): Exposure[] {
  const out: Exposure[] = [];
  for (const service of view.list<Service>('Service')) {
    if (!podsOfService(view, service).includes(pod)) continue;
    for (const p of (service.spec?.ports ?? []) as ServicePort[]) {
      const target = p.targetPort ?? p.port;
      const lands = typeof target === 'number' ? target === port : targetContainerPort(pod, p)?.containerPort === port;
      if (lands) out.push({ service: refOf(service, 'Service'), port: p.port ?? target ?? port });
    }
  }
  return out;
}

/** What was seen of one workload: its sidecar's inbound 503 UF and its application's loopback listeners. */
interface Seen {
  workload: ObjectRef;
  pod: Pod | undefined;
  symptoms: AccessSymptom[];
  listeners: { line: LogLine; port: number; exposures: Exposure[] }[];
}

function entryFor(view: ClusterView, seen: Map<string, Seen>, namespace: string | null, podName: string): Seen {
  const workload = view.workloadOfPodName(namespace, podName);
  const key = refText(workload);
  const entry = seen.get(key) ?? {
    workload,
    pod: view.get<Pod>('Pod', namespace, podName),
    symptoms: [],
    listeners: [],
  };
  seen.set(key, entry);
  return entry;
}

function draftOf(view: ClusterView, nowMs: number | null, s: Seen): Draft {
  const listener = s.listeners.at(-1);
  const exposures = [
    ...new Map(s.listeners.flatMap((l) => l.exposures).map((e) => [refText(e.service) + e.port, e])).values(),
  ];
  const facts: string[] = s.symptoms.map((symptom) => symptomText(symptom, nowMs));
  const newest = s.symptoms[0]?.lines.at(-1);
  if (newest) {
    const port = s.symptoms[0]?.cluster?.split('|')[1] ?? '?';
    facts.push(
      `The sidecar of ${newest.namespace}/${newest.pod} could not connect to port ${port} of its own pod while ${runningApps(s.pod).join(', ')} ran: the application most likely listens on 127.0.0.1 (localhost) only, which the sidecar does not use for inbound traffic.`,
    );
  }
  if (listener) {
    facts.push(
      `The application of ${listener.line.namespace}/${listener.line.pod} (container ${listener.line.container}) says it listens on a loopback address, port ${listener.port}, which ${exposures.map((e) => `${refText(e.service)} port ${e.port}`).join(', ')} send${exposures.length === 1 ? 's' : ''} traffic to: connections through the mesh to that port are refused.`,
    );
  }
  if (s.symptoms.length === 0) facts.push(noSymptomFact(view));
  return {
    resources: [s.workload, ...exposures.map((e) => e.service)],
    evidence: [
      ...s.symptoms.map(symptomEvidence),
      ...(listener ? [fromLog(listener.line, 'the application listens on loopback only: ')] : []),
    ],
    confidence: s.symptoms.length > 0 && listener ? 0.95 : listener ? 0.85 : s.pod && hasSidecar(s.pod) ? 0.8 : 0.6,
    facts,
    ...(s.symptoms.length === 0 ? { severity: 'warning' as const } : {}),
  };
}

/**
 * An application that accepts connections on 127.0.0.1 only, behind its sidecar (istioctl analyze IST0143
 * checks the same from the pod's listeners). Two kinds of evidence: the server's own sidecar answering 503 UF
 * on an inbound cluster (`inbound|PORT||`) while the application container runs, and the application's log
 * saying it listens on a loopback address and a port a Service selecting the pod targets.
 */
export const detectLocalhostListener: Detector = ({ view, nowMs }) => {
  if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs were read', detail: '' };
  const seen = new Map<string, Seen>();
  const symptoms = accessSymptoms(
    view,
    (record, line) =>
      record.code === 503 &&
      record.flags.includes('UF') &&
      record.cluster?.direction === 'inbound' &&
      line.container === 'istio-proxy' &&
      runningApps(view.get<Pod>('Pod', line.namespace, line.pod ?? '')).length > 0,
  );
  for (const symptom of symptoms) {
    const newest = symptom.lines[symptom.lines.length - 1]!;
    entryFor(view, seen, newest.namespace, newest.pod ?? '').symptoms.push(symptom);
  }
  for (const line of view.logsWith(LISTENS_ON_LOOPBACK)) {
    const pod = view.get<Pod>('Pod', line.namespace, line.pod ?? '');
    const port = Number(LOOPBACK_PORT.exec(line.text)?.[1]);
    if (!pod || !hasSidecar(pod) || !Number.isInteger(port)) continue;
    const exposures = exposuresOf(view, pod, port);
    if (exposures.length === 0) continue;
    entryFor(view, seen, line.namespace, line.pod ?? '').listeners.push({ line, port, exposures });
  }
  return {
    drafts: [...seen.values()].map((s) => draftOf(view, nowMs, s)),
    detail: 'inbound 503 UF access-log lines of sidecars and loopback listeners announced by applications checked',
  };
};
