import type { ClusterView } from '../cluster-view';
import type { Detector, Draft } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject } from '../evidence-items';
import type { ConfigMap, Workload } from '../kube-types';
import { groupByWorkload, newestFirst, occurrenceText } from '../log-groups';
import { homeNamespace } from '../control-plane';

export const MIXER = 'mixer-unavailable';
/** A 503 UAEX access-log entry whose Mixer status is UNAVAILABLE: a failed-closed policy check. */
export const MIXER_ACCESS = 'mixer-check-unavailable-access';

/** True for a line about a failing Mixer call (the proxy's own warning or a failed-closed request). */
export function isMixerFailure(line: LogLine): boolean {
  return line.signatures.includes(MIXER) || line.signatures.includes(MIXER_ACCESS);
}

/**
 * The Mixer component a failing call was meant for, whoever logged it: reports go to istio-telemetry,
 * checks to istio-policy (single-Mixer installs name the Deployment istio-mixer). When none is in the
 * evidence, it is named in the home control-plane namespace.
 */
function mixerOf(view: ClusterView, line: LogLine, home: string): ObjectRef {
  const deployments = view.list<Workload>('Deployment');
  const report = !line.signatures.includes(MIXER_ACCESS) && /Mixer Report|report_batch/i.test(line.text);
  const name = report ? 'istio-telemetry' : 'istio-policy';
  const found =
    deployments.find((d) => d.metadata?.name === name) ?? deployments.find((d) => d.metadata?.name === 'istio-mixer');
  return {
    kind: 'Deployment',
    namespace: found?.metadata?.namespace ?? home,
    name: found?.metadata?.name ?? name,
  };
}

function failOpenSetting(view: ClusterView): string | null {
  for (const cm of view.list<ConfigMap>('ConfigMap')) {
    const m = /policyCheckFailOpen:\s*(true|false)/.exec(cm.data?.mesh ?? '');
    if (m) return m[1] ?? null;
  }
  return null;
}

/** Sidecars of an old mesh cannot reach Mixer for policy checks or telemetry reports. */
export const detectLegacyMixerUnavailable: Detector = ({ view, controlPlaneNamespaces, nowMs }) => {
  const lines = [...new Set([...view.logsWith(MIXER), ...view.logsWith(MIXER_ACCESS)])].sort(
    (a, b) => (a.ms ?? 0) - (b.ms ?? 0),
  );
  if (lines.length === 0) return { drafts: [], detail: 'no failing Mixer calls in proxy logs' };
  const failOpen = failOpenSetting(view);
  const home = homeNamespace(controlPlaneNamespaces);
  const drafts: Draft[] = groupByWorkload(view, lines, (l) => mixerOf(view, l, home)).map(({ ref, lines: group }) => {
    const mixer = view.object<Workload>(ref);
    const facts: string[] = [];
    const evidence = [
      fromLog(newestFirst(group)[0]!),
      fromObject(ref, `Mixer calls failing ${occurrenceText(group, nowMs)}`),
    ];
    if (mixer) {
      const available = mixer.status?.availableReplicas ?? 0;
      evidence.push(fromObject(ref, `${available}/${mixer.spec?.replicas ?? '?'} replicas available`));
      if (available === 0) facts.push(`${ref.name} has no available replicas: bring Mixer back first.`);
    }
    const refused = group.filter((l) => l.signatures.includes(MIXER_ACCESS)).length;
    if (refused > 0)
      facts.push(
        `${refused} request(s) were answered 503 UAEX with Mixer status UNAVAILABLE: the sidecar failed closed because its policy check could not reach ${ref.name}.`,
      );
    if (failOpen === 'false')
      facts.push('policyCheckFailOpen is false: requests are denied while policy checks cannot reach Mixer.');
    if (view.logsWith('upstream-reset-termination-text').length > 0) {
      facts.push(
        '503s with "reset reason: connection termination" are also present: see the upstream keep-alive runbook; failing open on Mixer alone does not cure them.',
      );
    }
    return { resources: [ref], evidence, confidence: 0.7 + (group.length >= 3 ? 0.1 : 0) + (mixer ? 0.05 : 0), facts };
  });
  return { drafts, detail: `${lines.length} failing Mixer call(s)` };
};
