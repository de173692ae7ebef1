import { EvidenceBuilder } from '../../src/collect/evidence-builder';
import { diagnose } from '../../src/diagnosis/engine';
import type { Evidence, Report, Target } from '../../src/diagnosis/evidence';
import type { KubeObject } from '../../src/diagnosis/kube-types';
import { catalog, matcher } from './diagnose-dir';

type Json = Record<string, unknown>;

/** Evidence from objects (events included) and Cloud Logging entries, through the real builder. */
export function evidenceOf(objects: KubeObject[], entries: Json[] = []): Evidence {
  const builder = new EvidenceBuilder(matcher);
  for (const o of objects) builder.addObject(o);
  for (const e of entries) builder.addLogEntry(e);
  return builder.build();
}

export function diagnoseObjects(objects: KubeObject[], entries: Json[] = [], target?: Target): Report {
  return diagnose(evidenceOf(objects, entries), catalog, target ? { target } : {});
}

/** A container log entry as `gcloud logging read` prints it. */
export function logEntry(time: string, ns: string, pod: string, container: string, text: string): Json {
  return {
    timestamp: time,
    logName: 'projects/p/logs/stdout',
    resource: { type: 'k8s_container', labels: { namespace_name: ns, pod_name: pod, container_name: container } },
    textPayload: text,
  };
}

/** A core/v1 event. */
export function event(
  time: string,
  object: { kind: string; namespace: string; name: string; fieldPath?: string },
  reason: string,
  message: string,
  type = 'Normal',
  count = 1,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${object.name}.${reason}.${time}`, namespace: object.namespace },
    involvedObject: object,
    reason,
    message,
    type,
    count,
    firstTimestamp: time,
    lastTimestamp: time,
  };
}
