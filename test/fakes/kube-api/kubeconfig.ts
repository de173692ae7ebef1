import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAKE_TOKEN = 'fake-kube-api-token';

/** A kubeconfig for the fake: plain HTTP (so TLS verification is off) and a bearer-token user. */
export function kubeconfigFor(url: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: fake',
    '    cluster:',
    `      server: ${url}`,
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: fake',
    '    user:',
    `      token: ${FAKE_TOKEN}`,
    'contexts:',
    '  - name: fake',
    '    context:',
    '      cluster: fake',
    '      user: fake',
    `      namespace: ${namespace}`,
    'current-context: fake',
    '',
  ].join('\n');
}

/** Writes `dir/kubeconfig` and returns its path. */
export function writeKubeconfigFile(dir: string, yaml: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}
