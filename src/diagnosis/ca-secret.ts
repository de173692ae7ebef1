import type { LogLine } from './evidence';

/**
 * True for a line of Istio's CA that is not istiod: Citadel, the CA of Istio up to 1.5 (Deployment
 * istio-citadel, container citadel), which logs the same secret errors from the same package.
 */
export function isCitadelLine(line: LogLine): boolean {
  return line.container === 'citadel' || (line.container === null && /^istio-citadel/.test(line.pod ?? ''));
}

/** The CA secret a line names (istio-ca-secret or cacerts), else both candidates. */
export function caSecretName(text: string): string {
  return /cacerts/.exec(text)?.[0] ?? /istio-ca-secret/.exec(text)?.[0] ?? 'istio-ca-secret or cacerts';
}
