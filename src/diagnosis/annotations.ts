import { parse as parseYaml } from 'yaml';
import { ISTIO_ANNOTATIONS, ISTIO_LABELS } from './annotations-known';

/** Prefixes of the Istio annotations the sidecar injector and the proxy read from a pod. */
const POD_PREFIXES = [
  'sidecar.istio.io/',
  'proxy.istio.io/',
  'traffic.sidecar.istio.io/',
  'readiness.status.sidecar.istio.io/',
  'status.sidecar.istio.io/',
  'prometheus.istio.io/',
];
const BOOLEAN = new Set([
  'sidecar.istio.io/inject',
  'sidecar.istio.io/rewriteAppHTTPProbers',
  'sidecar.istio.io/nativeSidecar',
  'prometheus.istio.io/merge-metrics',
]);
const INTEGER = new Set([
  'status.sidecar.istio.io/port',
  'readiness.status.sidecar.istio.io/initialDelaySeconds',
  'readiness.status.sidecar.istio.io/periodSeconds',
  'readiness.status.sidecar.istio.io/failureThreshold',
]);
const KNOWN = new Map([...ISTIO_LABELS, ...ISTIO_ANNOTATIONS].map((k) => [k.name, k]));

/** True for an annotation key in one of the Istio namespaces this check covers. */
export function isIstioPodAnnotation(key: string): boolean {
  return POD_PREFIXES.some((p) => key.startsWith(p));
}

/** True when Istio reads this name from pods (an annotation or label declared for Pod). */
export function readFromPods(key: string): boolean {
  return KNOWN.get(key)?.resources.includes('Pod') ?? false;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j] ?? 0;
      row[j] = next;
    }
  }
  return row[b.length] ?? 0;
}

/** The known Istio name closest to an unknown one (a likely typo), or null when none is close. */
export function closestKnown(key: string): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of KNOWN.keys()) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** Why an Istio annotation's value cannot be used, or null when it can (or is not checked). */
export function invalidValue(key: string, value: string): string | null {
  if (BOOLEAN.has(key) && value !== 'true' && value !== 'false') return `"${value}" is not "true" or "false"`;
  if (INTEGER.has(key) && !/^[0-9]+$/.test(value.trim())) return `"${value}" is not a whole number`;
  if (key === 'proxy.istio.io/config') {
    try {
      const parsed = parseYaml(value) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return null;
      return 'is not a YAML or JSON object of ProxyConfig fields';
    } catch (err) {
      return `is not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return null;
}

/** True when the name is declared by Istio at all. */
export function isKnown(key: string): boolean {
  return KNOWN.has(key);
}
