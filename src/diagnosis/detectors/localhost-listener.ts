import { accessSymptoms, symptomEvidence, symptomText } from '../access-symptoms';
import { isAppContainer } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { Pod } from '../kube-types';
import { hasSidecar } from '../pod-facts';

/** Application containers of a pod that are running now. */
function runningApps(pod: Pod | undefined): string[] {
  return (pod?.status?.containerStatuses ?? [])
    .filter((s) => isAppContainer(s.name) && s.state?.running)
    .map((s) => s.name ?? '');
}

/**
 * A server's own sidecar answers 503 UF on an inbound cluster (`inbound|PORT||`) while the application
 * container runs: the proxy cannot connect to the application on the pod IP, which is what an application
 * listening on 127.0.0.1 only produces (istioctl analyze IST0143 checks the same from the pod's
 * listeners). Found from the access logs only.
 */
export const detectLocalhostListener: Detector = ({ view, nowMs }) => {
  if (view.evidence.logLinesRead === 0) return { drafts: [], skipped: 'no logs were read', detail: '' };
  const symptoms = accessSymptoms(
    view,
    (record, line) =>
      record.code === 503 &&
      record.flags.includes('UF') &&
      record.cluster?.direction === 'inbound' &&
      line.container === 'istio-proxy' &&
      runningApps(view.get<Pod>('Pod', line.namespace, line.pod ?? '')).length > 0,
  );
  const drafts: Draft[] = symptoms.map((symptom) => {
    const newest = symptom.lines[symptom.lines.length - 1]!;
    const pod = view.get<Pod>('Pod', newest.namespace, newest.pod ?? '');
    const port = symptom.cluster?.split('|')[1] ?? '?';
    return {
      resources: symptom.loggedBy,
      evidence: [symptomEvidence(symptom)],
      confidence: pod && hasSidecar(pod) ? 0.8 : 0.6,
      facts: [
        symptomText(symptom, nowMs),
        `The sidecar of ${newest.namespace}/${newest.pod} could not connect to port ${port} of its own pod while ${runningApps(pod).join(', ')} ran: the application most likely listens on 127.0.0.1 (localhost) only, which the sidecar does not use for inbound traffic.`,
      ],
    };
  });
  return { drafts, detail: 'inbound 503 UF access-log lines of sidecars checked' };
};
