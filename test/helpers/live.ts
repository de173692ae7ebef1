import { KubeConfig } from '@kubernetes/client-node';
import { makeLogging } from '../../src/collect/live/clients';
import type { LiveOptions } from '../../src/collect/live/collect-live';
import { collectLive } from '../../src/collect/live/collect-live';
import { makeKubeApis } from '../../src/collect/live/kube-apis';
import { diagnose } from '../../src/diagnosis/engine';
import type { Finding, Report } from '../../src/diagnosis/evidence';
import type { FakeLogging } from '../fakes/cloud-logging';
import type { FakeKubeApi } from '../fakes/kube-api';
import { catalog } from './diagnose-dir';

/** Far enough back that every example snapshot, whatever its date, is inside the window. */
export const ALL_OF_TIME_MS = 20 * 365 * 86_400_000;

/** Runs the live collectors against the fakes (Cloud Logging when given, else pod logs) and diagnoses. */
export async function diagnoseLive(
  kube: FakeKubeApi,
  logging: FakeLogging | null,
  options: Partial<LiveOptions> = {},
): Promise<Report & { collection: Report['checks'] }> {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml);
  const sources = {
    kube: makeKubeApis(kc),
    logging: logging
      ? {
          client: makeLogging(logging.projectId, {
            project: logging.projectId,
            credentialsFile: undefined,
            loggingApiEndpoint: logging.url,
          }),
          projectId: logging.projectId,
        }
      : null,
  };
  const { evidence, checks } = await collectLive(sources, catalog, {
    namespace: null,
    controlPlaneNamespaces: ['istio-system'],
    sinceMs: ALL_OF_TIME_MS,
    nowMs: Date.now(),
    ...options,
  });
  const report = diagnose(evidence, catalog, {
    target: { namespace: options.namespace ?? null, workload: null },
    collectionChecks: checks,
    controlPlaneNamespaces: options.controlPlaneNamespaces,
  });
  return { ...report, collection: checks };
}

const RFC3339 = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * Findings with every timestamp written at millisecond precision: Cloud Logging's client returns times
 * as JavaScript Dates, so nanoseconds present in captured files cannot survive a live read.
 */
export function comparable(findings: Finding[]): unknown {
  return JSON.parse(JSON.stringify(findings).replace(RFC3339, (t) => new Date(t).toISOString()));
}
