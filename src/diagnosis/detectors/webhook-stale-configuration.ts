import type { ClusterView } from '../cluster-view';
import type { Detector, Draft, DraftEvidence } from '../detector';
import type { LogLine, ObjectRef } from '../evidence';
import { fromLog, fromObject, refText } from '../evidence-items';
import type { Service, WebhookConfiguration } from '../kube-types';
import { configRef, MUTATING, VALIDATING } from '../webhooks';
import { homeNamespace } from '../control-plane';

export const OBJECT_MODIFIED = 'webhook-object-modified';
export const UPDATE_SUCCEEDED = 'webhook-update-succeeded';

/** A conflict that keeps coming back this often is not a one-off race between two writers. */
const RECURRING = 3;

const NAMED = [
  /admissionregistration\.k8s\.io "([a-z0-9.-]+)"/,
  /(?:update|patch)e?d? (?:validating|mutating)webhookconfigurations? ([a-z0-9.-]+)/i,
  /cannot patch "([a-z0-9.-]+)" with kind/,
];

function configNamed(line: LogLine): ObjectRef {
  const name = NAMED.map((re) => re.exec(line.text)?.[1]).find((n) => !!n) ?? 'unknown';
  const kind = /mutatingwebhookconfiguration/i.test(line.text) ? MUTATING : VALIDATING;
  return { kind, namespace: null, name };
}

/** Services an Istio webhook configuration calls that do not exist (a Service without a namespace is in `home`). */
function missingServices(view: ClusterView, config: WebhookConfiguration, home: string): string[] {
  if (!view.captured('Service')) return [];
  return (config.webhooks ?? [])
    .filter((w) => /istio\.io$/.test(w.name ?? ''))
    .map((w) => w.clientConfig?.service)
    .filter((svc) => svc?.name && !view.get<Service>('Service', svc.namespace ?? home, svc.name))
    .map((svc) => `${svc?.namespace ?? home}/${svc?.name}`);
}

/** Validating webhook configurations left over from a removed revision conflict with the installed one. */
export const detectWebhookStaleConfiguration: Detector = ({ view, controlPlaneNamespaces }) => {
  const found = new Map<string, { ref: ObjectRef; evidence: DraftEvidence[]; score: number }>();
  const add = (ref: ObjectRef, items: DraftEvidence[], score: number) => {
    const k = refText(ref);
    const existing = found.get(k);
    if (existing) {
      existing.evidence.push(...items);
      existing.score += score;
    } else found.set(k, { ref, evidence: items, score });
  };
  const istiodInstalled = view.list<Service>('Service').some((s) => /^istiod/.test(s.metadata?.name ?? ''));
  const stale = new Set<string>();
  for (const config of istiodInstalled ? view.list<WebhookConfiguration>(VALIDATING) : []) {
    const missing = missingServices(view, config, homeNamespace(controlPlaneNamespaces));
    if (missing.length === 0) continue;
    const ref = configRef(config, VALIDATING);
    stale.add(ref.name);
    add(
      ref,
      [
        fromObject(
          ref,
          (t) => t('stale-webhook.evidence.calls-missing', { services: missing.join(', ') }),
          config.metadata?.creationTimestamp ?? null,
        ),
      ],
      0.6,
    );
  }
  const conflicts = new Map<string, LogLine[]>();
  for (const line of view.logsWith(OBJECT_MODIFIED)) {
    const ref = configNamed(line);
    conflicts.set(refText(ref), [...(conflicts.get(refText(ref)) ?? []), line]);
  }
  const successes = view.logsWith(UPDATE_SUCCEEDED);
  for (const lines of conflicts.values()) {
    const ref = configNamed(lines[0]!);
    const last = Math.max(...lines.map((l) => l.ms ?? 0));
    const retried = successes.some((s) => configNamed(s).name === ref.name && (s.ms ?? 0) >= last);
    if (!stale.has(ref.name) && (retried || lines.length < RECURRING)) continue;
    add(
      ref,
      lines.slice(-2).map((l) => fromLog(l)),
      0.7,
    );
  }
  const drafts: Draft[] = [...found.values()].map(({ ref, evidence, score }) => ({
    resources: [ref],
    evidence: evidence.slice(0, 4),
    confidence: score,
    facts: [
      (t) =>
        t('stale-webhook.fact.delete', {
          object: `${ref.kind} ${ref.name}`,
          command: `kubectl delete ${ref.kind.toLowerCase()} ${ref.name}`,
        }),
    ],
  }));
  const detail = `${view.list(VALIDATING).length} validating webhook configuration(s) and ${conflicts.size} conflicting configuration(s) checked`;
  return { drafts, detail };
};
