import { readFileSync } from 'node:fs';
import { Logging } from '@google-cloud/logging';
import { KubeConfig } from '@kubernetes/client-node';
import { OAuth2Client } from 'google-auth-library';

export class ClientConfigError extends Error {
  override readonly name = 'ClientConfigError';
}

/** The kubeconfig in use: KUBECONFIG or ~/.kube/config, else the in-cluster service account. */
export function loadKubeConfig(context: string | null, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  try {
    const files = (env.KUBECONFIG ?? '').split(':').filter((f) => f.length > 0);
    if (files.length === 1) kc.loadFromFile(files[0] as string);
    else kc.loadFromDefault();
  } catch (err) {
    throw new ClientConfigError(`cannot load a kubeconfig: ${(err as Error).message}`, { cause: err });
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new ClientConfigError(
        `context "${context}" is not in the kubeconfig (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  // With no kubeconfig and no service account, the client falls back to an unauthenticated localhost:8080.
  if (!cluster || (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080')) {
    throw new ClientConfigError(
      'no kubeconfig found: set KUBECONFIG (or create ~/.kube/config), use --context, or run inside a cluster',
    );
  }
  return kc;
}

/** The project to read logs from: --project, GOOGLE_CLOUD_PROJECT, or the ADC key file's project; else null. */
export function resolveProject(flag: string | null, env: NodeJS.ProcessEnv): string | null {
  if (flag) return flag;
  if (env.GOOGLE_CLOUD_PROJECT) return env.GOOGLE_CLOUD_PROJECT;
  if (env.GOOGLE_APPLICATION_CREDENTIALS) {
    try {
      const key = JSON.parse(readFileSync(env.GOOGLE_APPLICATION_CREDENTIALS, 'utf8')) as {
        project_id?: string;
        quota_project_id?: string;
      };
      return key.project_id ?? key.quota_project_id ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A Cloud Logging client. CLOUD_LOGGING_API_ENDPOINT points it elsewhere (a private endpoint, or a local
 * emulator over http, which gets a placeholder token instead of credentials).
 */
export function makeLogging(projectId: string, env: NodeJS.ProcessEnv): Logging {
  const endpoint = env.CLOUD_LOGGING_API_ENDPOINT;
  if (!endpoint) return new Logging({ projectId, fallback: 'rest' } as never);
  const url = new URL(endpoint);
  const local = url.protocol === 'http:';
  const options: Record<string, unknown> = {
    projectId,
    apiEndpoint: url.hostname,
    port: Number(url.port || (local ? 80 : 443)),
    protocol: url.protocol.replace(':', ''),
    fallback: 'rest',
    transporterOptions: { fetchImplementation: globalThis.fetch },
  };
  if (local) {
    const auth = new OAuth2Client({ transporterOptions: { fetchImplementation: globalThis.fetch } } as never);
    auth.setCredentials({ access_token: 'local-endpoint', expiry_date: Date.now() + 24 * 3600_000 });
    options.authClient = auth;
  }
  return new Logging(options as never);
}
